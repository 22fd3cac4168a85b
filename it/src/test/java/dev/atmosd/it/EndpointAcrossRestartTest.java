package dev.atmosd.it;

import static dev.atmosd.it.AtmosSandbox.DEV_ACCOUNT;
import static dev.atmosd.it.AtmosSandbox.DEV_ADMIN;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An `auth exec` child keeps getting credentials from the container endpoint across `atmos daemon restart` (issue 11
 * item 7): the port and the grants are saved (0600, tokens only as hashes) and taken back by the new daemon.
 * The child is real botocore, asking the endpoint afresh on each round.
 */
class EndpointAcrossRestartTest {
  private static final String CHILD = """
      import json, os, sys, time
      import botocore.session
      work = sys.argv[1]
      with open(os.path.join(work, 'token'), 'w') as f:
          f.write(os.environ['AWS_CONTAINER_AUTHORIZATION_TOKEN'])
      n = 0
      while True:
          n += 1
          go = os.path.join(work, 'go-%d' % n)
          while not os.path.exists(go) and not os.path.exists(os.path.join(work, 'stop')):
              time.sleep(0.05)
          if not os.path.exists(go):
              break
          try:
              session = botocore.session.Session()
              client = session.create_client('sts', endpoint_url=os.environ['IT_STS_ENDPOINT'], region_name='us-east-1')
              identity = client.get_caller_identity()
              out = {'Account': identity['Account'], 'Method': session.get_credentials().method}
          except Exception as e:
              out = {'error': repr(e)}
          tmp = os.path.join(work, 'result-%d.tmp' % n)
          with open(tmp, 'w') as f:
              f.write(json.dumps(out))
          os.rename(tmp, os.path.join(work, 'result-%d' % n))
      """;

  AtmosSandbox sandbox;

  @BeforeEach
  void signIn() {
    sandbox = AtmosSandbox.create();
    sandbox.runOk("auth", "login");
  }

  @AfterEach
  void close() {
    AtmosSandbox.closeIfCreated(sandbox);
  }

  @Test
  void anExecChildKeepsItsEndpointAcrossADaemonRestart() throws Exception {
    Path rounds = Files.createDirectories(sandbox.workDir().resolve("rounds"));
    AtmosSandbox.Running exec = startChild(rounds);

    assertThat(round(rounds, 1).path("Method").asText()).isEqualTo("container-role");

    sandbox.runOk("daemon", "restart");
    JsonNode afterRestart = round(rounds, 2);
    assertThat(afterRestart.path("error").asText(null)).as("the child's fetch after the restart").isNull();
    assertThat(afterRestart.path("Method").asText()).isEqualTo("container-role");
    assertThat(afterRestart.path("Account").asText()).isEqualTo(DEV_ACCOUNT);

    Path saved = sandbox.cacheHome().resolve("atmos/atmosd/endpoint-grants.json");
    assertThat(AtmosSandbox.permissions(saved)).isEqualTo("rw-------");
    String token = Files.readString(rounds.resolve("token"));
    assertThat(Files.readString(saved)).contains("tokenSha256").doesNotContain(token);

    Files.writeString(rounds.resolve("stop"), "");
    sandbox.ok(exec.await(Duration.ofSeconds(60)));
  }

  @Test
  void anExecChildKeepsItsEndpointAfterTheDaemonIsKilledAndStartedAgain() throws Exception {
    // kill -9 leaves no time to save anything: the grant must be on disk from the moment it was made. The next atmos
    // call starts a daemon, as socket activation would on the first connection.
    Path rounds = Files.createDirectories(sandbox.workDir().resolve("rounds"));
    AtmosSandbox.Running exec = startChild(rounds);
    assertThat(round(rounds, 1).path("Method").asText()).isEqualTo("container-role");
    long killed = SessionLifecycleTest.daemonPid(sandbox);

    ProcessHandle.of(killed).orElseThrow().destroyForcibly();
    Await.until(Duration.ofSeconds(20), "the killed daemon (pid " + killed + ") is gone",
        () -> ProcessHandle.of(killed).map(h -> !h.isAlive()).orElse(true));
    long started = SessionLifecycleTest.daemonPid(sandbox);

    assertThat(started).isNotEqualTo(killed);
    JsonNode afterCrash = round(rounds, 2);
    assertThat(afterCrash.path("error").asText(null)).as("the child's fetch after the crash").isNull();
    assertThat(afterCrash.path("Account").asText()).isEqualTo(DEV_ACCOUNT);
    Files.writeString(rounds.resolve("stop"), "");
    sandbox.ok(exec.await(Duration.ofSeconds(60)));
  }

  /** `auth exec` of {@link #CHILD} for dev-admin, fetching afresh in each round it is told to run. */
  private AtmosSandbox.Running startChild(Path rounds) {
    Path script = AtmosSandbox.write(sandbox.workDir().resolve("child.py"), CHILD);
    return sandbox.start(Map.of("IT_STS_ENDPOINT", sandbox.endpoint()), "auth", "exec",
        "--identity", DEV_ADMIN, "--", AtmosSandbox.python(), script.toString(), rounds.toString());
  }

  private static JsonNode round(Path rounds, int n) throws Exception {
    Files.writeString(rounds.resolve("go-" + n), "");
    Path result = rounds.resolve("result-" + n);
    Await.until(Duration.ofSeconds(60), "round " + n + " of the child", () -> Files.exists(result));
    return CliResult.parse(Files.readString(result));
  }
}
