package dev.atmosd.daemon.credentials;

import dev.atmosd.daemon.config.AtmosConfig;
import dev.atmosd.daemon.config.ConfigException;
import dev.atmosd.daemon.config.IdentityConfig;
import dev.atmosd.daemon.config.ProviderConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * An identity and everything its credentials depend on: the identities it is reached {@code via}, down to the
 * permission set that a provider's portal mints, and that provider. {@code links} runs from the root permission set
 * to the target, so {@code links.get(i)} is minted with the credentials of {@code links.get(i - 1)}.
 */
public record IdentityChain(Path source, ProviderConfig provider, List<IdentityConfig> links) {

  public IdentityConfig target() {
    return links.get(links.size() - 1);
  }

  /** The chain up to and including {@code links.get(index)}. */
  public IdentityChain prefix(int index) {
    return new IdentityChain(source, provider, links.subList(0, index + 1));
  }

  /** The region the target's credentials are for: its {@code principal.region}, else the provider's. */
  public String region() {
    for (int i = links.size() - 1; i >= 0; i--) {
      IdentityConfig.Principal principal = links.get(i).principal();
      if (principal != null && principal.region() != null && !principal.region().isBlank()) {
        return principal.region();
      }
    }
    return provider.region();
  }

  /**
   * The cache key of the target: editing any definition along the chain (or the provider, or pointing the client at
   * another endpoint) yields a new key, so the daemon never serves credentials minted for an older definition.
   */
  public CacheKey cacheKey() {
    StringBuilder definition = new StringBuilder(provider.toString());
    links.forEach(link -> definition.append('\n').append(link));
    return new CacheKey(String.valueOf(source), target().name(), sha256(definition.toString()));
  }

  /** Where a cache entry belongs: the config file, the identity's name and a digest of its whole definition. */
  public record CacheKey(String source, String identity, String fingerprint) {}

  /**
   * Walks {@code via} from {@code identityName} down to a provider.
   *
   * @throws ConfigException NOT_FOUND for an unknown identity (with the nearest names), INVALID_ARGUMENT for a cycle,
   *     a dangling {@code via} or an unsupported kind
   */
  public static IdentityChain resolve(AtmosConfig config, String identityName) {
    IdentityConfig current = config.identities().get(identityName);
    if (current == null) {
      throw ConfigException.notFound("identity '" + identityName + "' is not defined in " + config.source()
          + NearestNames.suggestion(identityName, config.identities().keySet()));
    }
    Set<String> seen = new LinkedHashSet<>();
    List<IdentityConfig> reversed = new ArrayList<>();
    while (true) {
      if (!seen.add(current.name())) {
        throw new ConfigException("identity '" + identityName + "' in " + config.source()
            + " has a via.identity cycle: " + String.join(" -> ", seen) + " -> " + current.name());
      }
      reversed.add(current);
      if (IdentityConfig.KIND_PERMISSION_SET.equals(current.kind())) {
        ProviderConfig provider = providerOf(config, current);
        List<IdentityConfig> links = new ArrayList<>(reversed.size());
        for (int i = reversed.size() - 1; i >= 0; i--) {
          links.add(reversed.get(i));
        }
        return new IdentityChain(config.source(), provider, List.copyOf(links));
      }
      if (!IdentityConfig.KIND_ASSUME_ROLE.equals(current.kind())) {
        throw new ConfigException("identity '" + current.name() + "' in " + config.source() + " has kind '"
            + current.kind() + "'; atmosd mints credentials for " + IdentityConfig.KIND_PERMISSION_SET + " and "
            + IdentityConfig.KIND_ASSUME_ROLE);
      }
      String parent = current.viaIdentity();
      if (parent == null || parent.isBlank()) {
        throw new ConfigException("identity '" + current.name() + "' in " + config.source()
            + " is aws/assume-role but has no via.identity: name the identity whose credentials assume the role");
      }
      IdentityConfig next = config.identities().get(parent);
      if (next == null) {
        throw new ConfigException("identity '" + current.name() + "' in " + config.source() + " has via.identity '"
            + parent + "', which is not defined" + NearestNames.suggestion(parent, config.identities().keySet()));
      }
      if (current.principal() == null || blank(current.principal().assumeRoleArn())) {
        throw new ConfigException("identity '" + current.name() + "' in " + config.source()
            + " is aws/assume-role but has no principal.assume_role (the role ARN)");
      }
      current = next;
    }
  }

  private static ProviderConfig providerOf(AtmosConfig config, IdentityConfig identity) {
    String name = !blank(identity.viaProvider()) ? identity.viaProvider() : identity.provider();
    if (blank(name)) {
      throw new ConfigException("identity '" + identity.name() + "' in " + config.source()
          + " is aws/permission-set but has no via.provider");
    }
    ProviderConfig provider = config.providers().get(name);
    if (provider == null) {
      throw new ConfigException("identity '" + identity.name() + "' in " + config.source() + " has via.provider '"
          + name + "', which is not defined" + NearestNames.suggestion(name, config.providers().keySet()));
    }
    IdentityConfig.Principal principal = identity.principal();
    if (principal == null || blank(principal.permissionSetName())) {
      throw new ConfigException("identity '" + identity.name() + "' in " + config.source()
          + " is aws/permission-set but has no principal.name (the permission set)");
    }
    if (blank(principal.accountId()) && blank(principal.accountName())) {
      throw new ConfigException("identity '" + identity.name() + "' in " + config.source()
          + " is aws/permission-set but has neither principal.account.id nor principal.account.name");
    }
    return provider;
  }

  private static boolean blank(String value) {
    return value == null || value.isBlank();
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
