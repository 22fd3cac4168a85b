package dev.atmosd.daemon.endpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atmosd.daemon.config.ConfigRequest;
import dev.atmosd.daemon.files.PrivateFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one home of the endpoint's state file ({@code <cache>/atmos/atmosd/endpoint-grants.json}, 0600, replaced
 * atomically): the port and the live grants, so a restarted daemon serves the same URIs and tokens and an
 * {@code exec}/{@code terraform} child rides through. Tokens are stored only as their SHA-256: the file opens nothing.
 */
final class EndpointGrantsFile {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int VERSION = 1;

  /** What the file holds: the port the endpoint listened on, and its grants. */
  record Contents(int port, List<CredentialGrant> grants) {}

  private final Path file;

  EndpointGrantsFile(Path file) {
    this.file = file;
  }

  Path path() {
    return file;
  }

  /** The saved state; empty when there is none. A file that cannot be read is an {@link IOException}. */
  Optional<Contents> read() throws IOException {
    JsonNode root;
    try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
      root = JSON.readTree(in);
    } catch (NoSuchFileException missing) {
      return Optional.empty();
    }
    if (root == null || root.path("version").asInt() != VERSION) {
      throw new IOException(file + " is not an endpoint grants file of version " + VERSION);
    }
    List<CredentialGrant> grants = new ArrayList<>();
    for (JsonNode g : root.path("grants")) {
      Map<String, String> env = new LinkedHashMap<>();
      g.path("clientEnv").properties().forEach(e -> env.put(e.getKey(), e.getValue().asText()));
      CredentialGrant.GrantHolder holder = g.hasNonNull("holderPid")
          ? new CredentialGrant.GrantHolder(g.get("holderPid").asLong(), instant(g, "holderStartedAt"))
          : null;
      grants.add(new CredentialGrant(g.path("grantId").asText(), g.path("identity").asText(),
          Base64.getDecoder().decode(g.path("tokenSha256").asText()), config(g),
          Map.copyOf(env), g.hasNonNull("sessionKey") ? g.get("sessionKey").asText() : null,
          instant(g, "expiresAt"), holder));
    }
    return Optional.of(new Contents(root.path("port").asInt(), List.copyOf(grants)));
  }

  void write(int port, Collection<CredentialGrant> grants) throws IOException {
    ObjectNode root = JSON.createObjectNode().put("version", VERSION).put("port", port);
    ArrayNode list = root.putArray("grants");
    for (CredentialGrant grant : grants) {
      ObjectNode g = list.addObject()
          .put("grantId", grant.grantId())
          .put("identity", grant.identity())
          .put("tokenSha256", Base64.getEncoder().encodeToString(grant.tokenSha256()))
          .put("configPath", grant.configPath().toString());
      // The whole config request; a file written before it had configPath alone, which reads back as that file.
      ArrayNode sources = g.putArray("configSources");
      grant.config().sources().forEach(source -> sources.addObject().put("path", source.file().toString())
          .put("defaultImports", source.defaultImports()).put("atmosDOnly", source.atmosDOnly()));
      ArrayNode profiles = g.putArray("profiles");
      grant.config().profiles().forEach(profiles::add);
      g.put("workingDirectory", grant.config().workingDirectory() == null ? null
          : grant.config().workingDirectory().toString());
      ObjectNode env = g.putObject("clientEnv");
      grant.clientEnv().forEach(env::put);
      g.put("sessionKey", grant.sessionKey());
      g.put("expiresAt", grant.expiresAt() == null ? null : grant.expiresAt().toString());
      if (grant.holder() != null) {
        g.put("holderPid", grant.holder().pid());
        g.put("holderStartedAt", grant.holder().startedAt() == null ? null : grant.holder().startedAt().toString());
      }
    }
    PrivateFiles.writeAtomically(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
  }

  private static ConfigRequest config(JsonNode g) {
    if (!g.has("configSources")) {
      return ConfigRequest.of(Path.of(g.path("configPath").asText()));
    }
    List<ConfigRequest.Source> sources = new ArrayList<>();
    g.path("configSources").forEach(source -> sources.add(new ConfigRequest.Source(Path.of(source.path("path").asText()),
        source.path("defaultImports").asBoolean(true), source.path("atmosDOnly").asBoolean(false))));
    List<String> profiles = new ArrayList<>();
    g.path("profiles").forEach(profile -> profiles.add(profile.asText()));
    Path workingDirectory = g.hasNonNull("workingDirectory") ? Path.of(g.get("workingDirectory").asText()) : null;
    return new ConfigRequest(sources, profiles, workingDirectory);
  }

  private static Instant instant(JsonNode node, String field) {
    return node.hasNonNull(field) ? Instant.parse(node.get(field).asText()) : null;
  }
}
