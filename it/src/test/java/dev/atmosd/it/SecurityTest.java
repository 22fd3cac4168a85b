package dev.atmosd.it;

import static dev.atmosd.it.AtmosSandbox.DEPLOYER;
import static dev.atmosd.it.AtmosSandbox.DEV_ADMIN;
import static dev.atmosd.it.AtmosSandbox.DEV_READONLY;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Only the owner reaches the daemon, and no secret ever reaches a log line, stderr or a process argument. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecurityTest {

  AtmosSandbox sandbox;

  @BeforeAll
  void createUser() {
    sandbox = AtmosSandbox.create();
  }

  @AfterAll
  void close() {
    AtmosSandbox.closeIfCreated(sandbox);
  }

  @Test
  void theSocketIsPrivate() {
    sandbox.runOk("daemon", "start");
    Path socket = sandbox.socket();
    assertThat(socket).exists();
    assertThat(AtmosSandbox.permissions(socket)).as("socket %s", socket).isEqualTo("rw-------");
    assertThat(AtmosSandbox.permissions(socket.getParent())).as("socket dir").isEqualTo("rwx------");
  }

  @Test
  void noSecretReachesTheDaemonLogStderrOrArguments() throws Exception {
    Map<String, String> secrets = new LinkedHashMap<>();
    sandbox.runOk("auth", "login");
    collectSessionSecrets(sandbox, secrets, "first sign-in");

    JsonNode creds = sandbox.ok(sandbox.run("auth", "credential-process", "--identity", DEV_ADMIN)).json();
    secrets.put("SecretAccessKey (" + DEV_ADMIN + ")", creds.path("SecretAccessKey").asText());
    secrets.put("SessionToken (" + DEV_ADMIN + ")", creds.path("SessionToken").asText());
    JsonNode chained = sandbox.ok(sandbox.run("auth", "credential-process", "--identity", DEPLOYER)).json();
    secrets.put("SecretAccessKey (" + DEPLOYER + ")", chained.path("SecretAccessKey").asText());
    secrets.put("SessionToken (" + DEPLOYER + ")", chained.path("SessionToken").asText());
    JsonNode env = sandbox.ok(sandbox.run("auth", "env", "--identity", DEV_ADMIN, "--format", "json")).json();
    secrets.put("AWS_CONTAINER_AUTHORIZATION_TOKEN", env.path("AWS_CONTAINER_AUTHORIZATION_TOKEN").asText());
    sandbox.ok(sandbox.run("auth", "whoami", "--identity", DEV_ADMIN, "--format", "json"));
    sandbox.ok(sandbox.run("auth", "status"));
    sandbox.ok(sandbox.run("auth", "list"));
    // The credentials the daemon serves over HTTP, fetched the way an SDK would.
    JsonNode fromEndpoint = Botocore.whoami(sandbox, Map.of(
        "AWS_CONTAINER_CREDENTIALS_FULL_URI", env.path("AWS_CONTAINER_CREDENTIALS_FULL_URI").asText(),
        "AWS_CONTAINER_AUTHORIZATION_TOKEN", env.path("AWS_CONTAINER_AUTHORIZATION_TOKEN").asText()));
    assertThat(fromEndpoint.path("Method").asText()).isEqualTo("container-role");
    // A refresh-token exchange (rotating the refresh token), then a failure path.
    sandbox.emulator().expireAccessTokens();
    sandbox.ok(sandbox.run("auth", "credential-process", "--identity", DEV_READONLY));
    collectSessionSecrets(sandbox, secrets, "after refresh");
    sandbox.run("auth", "credential-process", "--identity", "no-such-identity");
    sandbox.run("auth", "whoami", "--identity", DEV_ADMIN, "--format", "bogus");

    secrets.values().removeIf(v -> v == null || v.length() < 8);
    assertThat(secrets).as("secrets learned").hasSizeGreaterThanOrEqualTo(8);

    long daemonPid = Json.at(sandbox.status(), "daemon", "pid").asLong();
    String cmdline = new String(Files.readAllBytes(Path.of("/proc", String.valueOf(daemonPid), "cmdline")),
        StandardCharsets.UTF_8);
    String logFileName = Json.at(sandbox.status(), "daemon", "log_file").asText();
    Path logFile = logFileName.isEmpty() ? sandbox.daemonLogFile() : Path.of(logFileName);
    assertThat(logFile).as("the daemon's log file").exists();
    String log = Files.readString(logFile);
    assertThat(log).as("daemon log").isNotBlank();

    secrets.forEach((what, value) -> {
      assertThat(log).as("daemon log must not contain the %s", what).doesNotContain(value);
      assertThat(cmdline).as("daemon arguments must not contain the %s", what).doesNotContain(value);
      for (CliResult result : sandbox.history()) {
        assertThat(result.stderr()).as("stderr of `%s` must not contain the %s", String.join(" ", result.command()),
            what).doesNotContain(value);
      }
    });
  }

  static void collectSessionSecrets(AtmosSandbox sandbox, Map<String, String> secrets, String when) throws Exception {
    JsonNode cache = CliResult.parse(Files.readString(sandbox.sessionFile()));
    for (String field : new String[] {"accessToken", "refreshToken", "clientSecret"}) {
      secrets.put(field + " (" + when + ")", cache.path(field).asText());
    }
  }
}
