package dev.atmosd.it;

import static dev.atmosd.it.AtmosSandbox.DEPLOYER;
import static dev.atmosd.it.AtmosSandbox.DEV_ADMIN;
import static dev.atmosd.it.AtmosSandbox.DEV_READONLY;
import static dev.atmosd.it.AtmosSandbox.PROD_ADMIN;
import static dev.atmosd.it.AtmosSandbox.PROVIDER;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The packaged CLI against a real daemon, held to the Go atmos's output shapes, messages and exit codes (its golden
 * snapshots under tests/snapshots and its CLI cases tests/test-cases/auth-*.yaml, cited per test).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AtmosOutputTest {

  AtmosSandbox sandbox;

  @BeforeAll
  void start() {
    sandbox = AtmosSandbox.create();
  }

  @AfterAll
  void close() {
    sandbox.close();
  }

  /**
   * tests/snapshots/TestCLICommands_atmos_auth_validate.stderr.golden: "✓ Authentication configuration is valid" on
   * stderr, nothing on stdout, exit 0 (tests/test-cases/auth-cli.yaml "atmos auth validate").
   */
  @Test
  void validateSaysValidOnStderr() {
    CliResult validate = sandbox.run("auth", "validate");
    assertThat(validate.exitCode()).as("%s", validate).isZero();
    assertThat(validate.stdout()).isEmpty();
    assertThat(validate.stderr()).contains("✓ Authentication configuration is valid")
        .contains("1 provider, 4 identities");
  }

  /** tests/test-cases/auth-validation.yaml "atmos auth validate --verbose": says what it validates first. */
  @Test
  void validateVerbose() {
    CliResult validate = sandbox.run("auth", "validate", "-v");
    assertThat(validate.exitCode()).as("%s", validate).isZero();
    assertThat(validate.stderrLines().get(0)).isEqualTo("Validating authentication configuration...");
    assertThat(validate.stderr()).contains("Authentication configuration is valid");
  }

  /**
   * tests/test-cases/auth-validation.yaml "atmos auth validate (invalid config)": exit 1, stderr has "invalid auth
   * config" and "Authentication configuration validation failed"; here on one line that names the field.
   */
  @Test
  void validateAnInvalidConfigExitsOneWithGosPhrases() {
    java.nio.file.Path bad = AtmosSandbox.write(sandbox.root().resolve("bad/atmos.yaml"), ConfigYaml.create()
        .ssoProvider(PROVIDER, null, AtmosSandbox.REGION, sandbox.endpoint())
        .permissionSet(DEV_ADMIN, PROVIDER, "Admin", "dev").render());
    CliResult validate = sandbox.run("--config", bad.toString(), "auth", "validate");
    assertThat(validate.exitCode()).as("%s", validate).isEqualTo(1);
    assertThat(validate.stdout()).isEmpty();
    assertThat(validate.stderrLines().stream().filter(l -> !l.startsWith("starting atmosd")))
        .as("one line (besides the autostart notice) %s", validate).hasSize(1);
    assertThat(validate.stderr()).contains("Authentication configuration validation failed")
        .contains("invalid auth config").contains("start_url");
  }
}
