package dev.atmosd.it;

import static dev.atmosd.it.AtmosSandbox.DEV_ADMIN;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A child of {@code auth exec} outlives its role credentials and never notices: the SDK refreshes from the daemon. */
class LongRunTest {
  static final Duration ROLE_LIFETIME = Duration.ofSeconds(20);
  static final Duration RUN_FOR = Duration.ofSeconds(32);

  static final String LOOP = """
      import json, os, sys, time
      import botocore.session
      session = botocore.session.Session()
      client = session.create_client('sts', endpoint_url=os.environ['IT_STS_ENDPOINT'], region_name='us-east-1')
      run_for = float(os.environ['IT_RUN_SECONDS'])
      start = time.monotonic()
      keys, calls = [], 0
      while time.monotonic() - start < run_for:
          creds = session.get_credentials().get_frozen_credentials()
          client.get_caller_identity()  # raises when STS rejects the credentials
          keys.append(creds.access_key)
          calls += 1
          time.sleep(1)  # the pace of a long-running tool, not a wait for anything
      print(json.dumps({'calls': calls, 'distinct_keys': len(set(keys)),
                        'method': session.get_credentials().method}))
      """;

  @Test
  void anExecChildAlwaysGetsValidCredentialsPastOneRoleLifetime() {
    try (AtmosSandbox sandbox = AtmosSandbox.create(b -> b.roleCredentialLifetime(ROLE_LIFETIME))) {
      sandbox.runOk("auth", "login");
      long deviceAuthorizations = sandbox.emulator().calls("StartDeviceAuthorization");
      long roleCredentials = sandbox.emulator().calls("GetRoleCredentials");
      Path script = AtmosSandbox.write(sandbox.binDir().resolve("loop.py"), LOOP);

      CliResult run = sandbox.ok(sandbox.run(
          Map.of("IT_STS_ENDPOINT", sandbox.endpoint(), "IT_RUN_SECONDS", String.valueOf(RUN_FOR.toSeconds())),
          RUN_FOR.plusSeconds(40), "auth", "exec", "--identity", DEV_ADMIN, "--",
          AtmosSandbox.python(), script.toString()));

      JsonNode summary = CliResult.parse(run.stdoutLines().get(run.stdoutLines().size() - 1));
      assertThat(summary.path("method").asText()).isEqualTo("container-role");
      assertThat(summary.path("calls").asInt()).as("%s", run).isGreaterThan(10);
      assertThat(summary.path("distinct_keys").asInt()).as("re-minted credentials reached the child: %s", run)
          .isGreaterThanOrEqualTo(2);
      assertThat(sandbox.emulator().calls("GetRoleCredentials")).isGreaterThanOrEqualTo(roleCredentials + 2);
      assertThat(sandbox.emulator().calls("StartDeviceAuthorization")).as("no new sign-in")
          .isEqualTo(deviceAuthorizations);
      assertThat(sandbox.browserInvocations()).hasSize(1);
    }
  }
}
