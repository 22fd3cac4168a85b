package dev.atmosd.it.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atmosd.it.AtmosSandbox;
import dev.atmosd.it.CliResult;
import dev.atmosd.v1.AuthEvent;
import dev.atmosd.v1.EndpointGrant;
import dev.atmosd.v1.IdentityInfo;
import dev.atmosd.v1.IdentityRequest;
import dev.atmosd.v1.ListIdentitiesRequest;
import dev.atmosd.v1.LogoutRequest;
import dev.atmosd.v1.RoleCredentials;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Another uid cannot use the socket; every file the daemon writes is owner-only; and with the daemon logging at
 * TRACE through sign-in, refresh, credentials, the endpoint, provisioning, the CLI and logout, no token, secret or
 * key it handled appears in its log, its output, or the CLI's stderr.
 */
class SecurityChecksTest {
  static final Path SETPRIV = Path.of("/usr/bin/setpriv");

  @Test
  void anotherUidCannotUseTheSocket() throws Exception {
    assumeTrue("root".equals(System.getProperty("user.name")) && Files.isExecutable(SETPRIV),
        "runs as root with setpriv: the stranger's client runs as uid 65534");
    try (Rig rig = Rig.create()) {
      rig.startInProcess();
      rig.awaitPing(Duration.ofSeconds(60), null);
      Path strangerHome = Files.createDirectories(Path.of("/tmp", "rl-nobody-" + ProcessHandle.current().pid()));
      try {
        Files.setPosixFilePermissions(strangerHome, PosixFilePermissions.fromString("rwx------"));
        Files.setOwner(strangerHome, strangerHome.getFileSystem().getUserPrincipalLookupService()
            .lookupPrincipalByName("nobody"));
        CliResult closed = asNobody(rig, strangerHome, "daemon", "status");
        System.out.println("[security] uid 65534, socket dir 0700: " + closed);
        assertThat(closed.exitCode()).as("%s", closed).isNotZero();
        assertThat(closed.stdout()).doesNotContain(String.valueOf(ProcessHandle.current().pid()));

        // TEST ONLY: open the way so that only the daemon's peer-credential check stands between.
        Files.setPosixFilePermissions(rig.root, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(rig.socket.getParent(), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(rig.socket, PosixFilePermissions.fromString("rw-rw-rw-"));
        CliResult refused = asNobody(rig, strangerHome, "auth", "credential-process", "--identity", "dev-admin",
            "--config", rig.config.toString());
        System.out.println("[security] uid 65534, socket opened 0666: " + refused);
        assertThat(refused.exitCode()).as("%s", refused).isNotZero();
        assertThat(refused.stdout()).as("no credentials for a stranger").doesNotContain("SecretAccessKey");
        assertThat(refused.stderr()).as("%s", refused).containsPattern("(?i)only the user|uid 65534|permission");
      } finally {
        UnwritableCacheTest.run("rm", "-rf", strangerHome.toString());
      }
    }
  }

  static CliResult asNobody(Rig rig, Path home, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(SETPRIV.toString(), "--reuid=65534", "--regid=65534",
        "--clear-groups", AtmosSandbox.atmosBinary().toString()));
    command.addAll(List.of(args));
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PATH", System.getenv("PATH"));
    env.put("HOME", home.toString());
    env.put("XDG_CACHE_HOME", home.resolve("cache").toString());
    env.put("XDG_STATE_HOME", home.resolve("state").toString());
    env.put("XDG_RUNTIME_DIR", home.resolve("run").toString());
    env.put("ATMOSD_SOCKET", rig.socket.toString());
    env.put("ATMOSD_NO_AUTOSTART", "1");
    env.put("CI", "true");
    return runCli(command, env, home);
  }

  static CliResult runCli(List<String> command, Map<String, String> env, Path dir) throws Exception {
    Path out = Files.createTempFile(dir, "cli", ".out");
    Path err = Files.createTempFile(dir, "cli", ".err");
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectOutput(out.toFile())
        .redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    pb.environment().clear();
    pb.environment().putAll(env);
    Process p = pb.start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("CLI hung: " + command);
    }
    return new CliResult(command, p.exitValue(), Files.readString(out), Files.readString(err));
  }

  @Test
  void noSecretAtTraceLevelAndEveryFileIsOwnerOnly() throws Exception {
    try (Rig rig = Rig.create(b -> b.accessTokenLifetime(Duration.ofSeconds(20)))) {
      rig.emu.addAccounts(5, 2);
      rig.writeConfig(rig.standardConfig().autoProvision(Rig.PROVIDER));
      Rig.DaemonProcess daemon = rig.startProcess(Map.of("ATMOSD_LOG_LEVEL", "TRACE"));
      rig.awaitPing(Duration.ofSeconds(120), daemon.process);
      Map<String, String> secrets = new LinkedHashMap<>();
      List<CliResult> cli = new ArrayList<>();
      try (Rig.Client client = rig.client()) {
        ProcessFaultsTest.loginToTheEnd(client, rig, false);
        collectSessionSecrets(rig, secrets, "sign-in");
        for (String identity : Rig.IDENTITIES) {
          credentials(secrets, client.credentials(rig.context(), identity));
        }
        IdentityInfo provisioned = client.identities().listIdentities(ListIdentitiesRequest.newBuilder()
            .setContext(rig.context()).build()).getIdentitiesList().stream().filter(IdentityInfo::getProvisioned)
            .findFirst().orElseThrow();
        credentials(secrets, client.credentials(rig.context(), provisioned.getName()));
        client.identities().whoami(IdentityRequest.newBuilder().setContext(rig.context()).setIdentity("dev-deployer")
            .build()).forEachRemaining(e -> { });

        EndpointGrant grant = client.grant(rig.context(), "prod-admin");
        secrets.put("endpoint token", grant.getAuthorizationToken());
        HttpResponse<String> served = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(grant.getFullUri()))
            .header("Authorization", grant.getAuthorizationToken()).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(served.statusCode()).isEqualTo(200);
        JsonNode body = Rig.JSON.readTree(served.body());
        secrets.put("endpoint SecretAccessKey", body.path("SecretAccessKey").asText());
        secrets.put("endpoint Token", body.path("Token").asText());
        HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(grant.getFullUri()))
            .header("Authorization", "wrong-" + grant.getAuthorizationToken()).GET().build(),
            HttpResponse.BodyHandlers.ofString());

        // A refresh by refresh token (the access token is rejected), and the timer's own renewals (20 s tokens).
        rig.emu.expireAccessTokens();
        credentials(secrets, client.credentials(rig.context(), "prod-admin"));
        collectSessionSecrets(rig, secrets, "refresh");

        // The packaged CLI against this daemon.
        Map<String, String> env = new LinkedHashMap<>(rig.env);
        env.put("PATH", System.getenv("PATH"));
        env.put("ATMOSD_SOCKET", rig.socket.toString());
        env.put("ATMOSD_NO_AUTOSTART", "1");
        env.put("CI", "true");
        String atmos = AtmosSandbox.atmosBinary().toString();
        String config = rig.config.toString();
        for (List<String> args : List.of(
            List.of("auth", "credential-process", "--identity", "dev-readonly"),
            List.of("auth", "env", "--identity", "dev-admin", "--format", "json"),
            List.of("auth", "env", "--identity", "dev-deployer", "--format", "bash", "--static"),
            List.of("auth", "whoami", "--identity", "dev-admin"),
            List.of("auth", "status"),
            List.of("auth", "list"),
            List.of("auth", "credential-process", "--identity", "no-such-identity"))) {
          List<String> command = new ArrayList<>(List.of(atmos, "--config", config));
          command.addAll(args);
          CliResult result = runCli(command, env, rig.root);
          cli.add(result);
          for (String name : List.of("SecretAccessKey", "SessionToken", "AWS_CONTAINER_AUTHORIZATION_TOKEN",
              "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN")) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile(name + "\"?\\s*[:=]\\s*['\"]?([^'\"\\s,}]+)")
                .matcher(result.stdout());
            while (m.find()) {
              secrets.put(name + " via CLI " + args.get(1), m.group(1));
            }
          }
        }
        collectSessionSecrets(rig, secrets, "end");
        // Every file the daemon wrote, while they are all there (logout removes the session and its identities).
        assertThat(rig.sessionsDir().resolve(dev.atmosd.it.AtmosSandbox.sessionKey(Rig.START_URL, Rig.REGION) + ".json"))
            .exists();
        assertThat(rig.provisionedFile()).exists();
        assertOwnerOnly(rig.cache.resolve("atmos"));
        assertOwnerOnly(rig.logFile());
        assertOwnerOnly(rig.socket.getParent());
        client.sessions().logout(LogoutRequest.newBuilder().setContext(rig.context()).setAll(true).build());
      }
      secrets.values().removeIf(v -> v == null || v.length() < 8);
      assertThat(secrets.size()).as("secrets learned: %s", secrets.keySet()).isGreaterThanOrEqualTo(20);

      List<Path> logs;
      try (Stream<Path> files = Files.list(rig.state)) {
        logs = files.filter(f -> f.getFileName().toString().startsWith("atmosd.log")).toList();
      }
      StringBuilder everything = new StringBuilder();
      for (Path log : logs) {
        everything.append(Files.readString(log, StandardCharsets.UTF_8));
      }
      String log = everything.toString();
      assertThat(log).as("the daemon logged at DEBUG/TRACE").containsPattern(" (DEBUG|TRACE) ");
      String daemonOut = Rig.read(rig.root.resolve("daemon.out"));
      String cmdline = new String(Files.readAllBytes(Path.of("/proc", String.valueOf(daemon.pid()), "cmdline")),
          StandardCharsets.UTF_8);
      for (Map.Entry<String, String> secret : secrets.entrySet()) {
        assertThat(log).as("the TRACE log must not contain the %s", secret.getKey()).doesNotContain(secret.getValue());
        assertThat(daemonOut).as("the daemon's stdout/stderr must not contain the %s", secret.getKey())
            .doesNotContain(secret.getValue());
        assertThat(cmdline).as("the daemon's arguments").doesNotContain(secret.getValue());
        for (CliResult result : cli) {
          assertThat(result.stderr()).as("stderr of %s must not contain the %s", result.command(), secret.getKey())
              .doesNotContain(secret.getValue());
        }
      }
      System.out.println("RELIABILITY secrets: " + secrets.size() + " secret values (" + String.join(", ",
          secrets.keySet()) + ") scanned for in " + log.lines().count() + " TRACE log lines, the daemon's output and "
          + cli.size() + " CLI stderr streams: none found");

      assertOwnerOnly(rig.cache.resolve("atmos"));
    }
  }

  static void collectSessionSecrets(Rig rig, Map<String, String> secrets, String when) {
    rig.assertFilesIntact().values().forEach(file -> {
      for (String field : List.of("accessToken", "refreshToken", "clientSecret")) {
        secrets.put(field + " (" + when + ")", file.path(field).asText());
      }
    });
  }

  static void credentials(Map<String, String> secrets, RoleCredentials credentials) {
    secrets.put("SecretAccessKey of " + credentials.getIdentity(), credentials.getSecretAccessKey());
    secrets.put("SessionToken of " + credentials.getIdentity(), credentials.getSessionToken());
  }

  /** Every directory 0700 and every file 0600 or stricter (no bits for group or others) below {@code root}. */
  static void assertOwnerOnly(Path root) throws Exception {
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Set<PosixFilePermission> others = Set.of(PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE,
        PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE,
        PosixFilePermission.OTHERS_EXECUTE);
    List<String> walked = new ArrayList<>();
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.toList()) {
        Set<PosixFilePermission> mode = Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
        String shown = PosixFilePermissions.toString(mode);
        walked.add(root.relativize(path) + " " + shown);
        if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
          assertThat(shown).as("directory %s", path).isEqualTo("rwx------");
        } else {
          assertThat(mode).as("file %s (%s)", path, shown).doesNotContainAnyElementsOf(others);
        }
      }
    }
    System.out.println("[security] owner-only: " + walked);
  }
}
