package dev.atmosd.it;

import static dev.atmosd.it.AtmosSandbox.REGION;
import static dev.atmosd.it.AtmosSandbox.START_URL;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * atmos.yaml's YAML functions through the packaged CLI and a real daemon: !env sees the variables of the shell that
 * runs the command (not the daemon's), a failing function is one line naming file:line with exit 2.
 * Go reference: pkg/config/process_yaml.go, pkg/utils/yaml_func_env.go, pkg/utils/yaml_func_exec.go.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class YamlFunctionsEndToEndTest {
  AtmosSandbox sandbox;

  @BeforeAll
  void start() {
    sandbox = AtmosSandbox.create();
  }

  @AfterAll
  void close() {
    sandbox.close();
  }

  private Path config(String name, String startUrl, String region) {
    return AtmosSandbox.write(sandbox.root().resolve("configs").resolve(name).resolve("atmos.yaml"), """
        auth:
          providers:
            p:
              kind: aws/iam-identity-center
              start_url: %s
              region: %s
          identities:
            dev-admin:
              kind: aws/permission-set
              via:
                provider: p
              principal:
                name: AdminAccess
                account:
                  id: "111111111111"
        """.formatted(startUrl, region));
  }

  @Test
  void envIsReadFromTheCallingShell() {
    Path file = config("env", "!env E2E_SSO_URL", "!env E2E_SSO_REGION " + REGION);
    sandbox.env("E2E_SSO_URL", START_URL);
    CliResult validate = sandbox.run("--config", file.toString(), "auth", "validate");
    assertThat(validate.exitCode()).as("%s", validate).isZero();

    CliResult list = sandbox.run("--config", file.toString(), "auth", "list", "--format", "json");
    assertThat(list.exitCode()).as("%s", list).isZero();
    assertThat(list.stdout()).contains(START_URL);
  }

  @Test
  void failingExecIsOneLineWithFileAndLine() {
    Path file = config("exec", START_URL, "!exec exit 7");
    // A command that needs the config: a config error, exit 2 (README's table).
    CliResult list = sandbox.run("--config", file.toString(), "auth", "list");
    assertThat(list.exitCode()).as("%s", list).isEqualTo(2);
    assertThat(list.stderrLines()).as("%s", list).hasSize(1);
    assertThat(list.stderr()).contains(file + ":6: !exec \"exit 7\" failed with exit code 7");
    // validate reports an invalid config with exit 1 and Go's failure line (tests/snapshots of auth validate).
    CliResult validate = sandbox.run("--config", file.toString(), "auth", "validate");
    assertThat(validate.exitCode()).as("%s", validate).isEqualTo(1);
    assertThat(validate.stderrLines()).as("%s", validate).hasSize(1);
    assertThat(validate.stderr()).contains("Authentication configuration validation failed",
        file + ":6: !exec \"exit 7\" failed with exit code 7");
  }
}
