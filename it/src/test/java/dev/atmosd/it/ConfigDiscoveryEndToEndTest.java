package dev.atmosd.it;

import static dev.atmosd.it.AtmosSandbox.PROVIDER;
import static dev.atmosd.it.AtmosSandbox.REGION;
import static dev.atmosd.it.AtmosSandbox.START_URL;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Config discovery through the packaged CLI and a real daemon: {@code --config-path} names a project whose
 * atmos.yaml declares only the provider, its identities live in {@code .atmos.d/}, and {@code --profile} (or
 * ATMOS_PROFILE) merges {@code profiles/<name>/} over them. Go reference: cloudposse/atmos pkg/config/load.go
 * (mergeDefaultImports), pkg/config/profiles.go (loadProfiles), pkg/config/config_cli_args.go.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConfigDiscoveryEndToEndTest {
  AtmosSandbox sandbox;
  Path project;

  @BeforeAll
  void start() {
    sandbox = AtmosSandbox.create();
    project = sandbox.root().resolve("project");
    AtmosSandbox.write(project.resolve("atmos.yaml"),
        ConfigYaml.create().ssoProvider(PROVIDER, START_URL, REGION, sandbox.endpoint()).render());
    AtmosSandbox.write(project.resolve(".atmos.d/identities/dev.yaml"), """
        auth:
          identities:
            dev-admin:
              kind: aws/permission-set
              default: true
              via: {provider: p}
              principal: {name: Admin, account: {name: dev}}
        """);
    AtmosSandbox.write(project.resolve("profiles/ci/auth.yaml"), """
        auth:
          identities:
            ci-readonly:
              kind: aws/permission-set
              via: {provider: p}
              principal: {name: ReadOnly, account: {name: dev}}
        """);
  }

  @AfterAll
  void close() {
    AtmosSandbox.closeIfCreated(sandbox);
  }

  @Test
  void dotAtmosDIdentitiesAndAProfileArriveThroughConfigPath() {
    CliResult plain = sandbox.run("--config-path", project.toString(), "auth", "list", "--format", "json");
    assertThat(plain.exitCode()).as("%s", plain).isZero();
    assertThat(plain.stdout()).contains("dev-admin").doesNotContain("ci-readonly");

    CliResult withProfile = sandbox.run("--config-path", project.toString(), "--profile", "ci",
        "auth", "list", "--format", "json");
    assertThat(withProfile.exitCode()).as("%s", withProfile).isZero();
    assertThat(withProfile.stdout()).contains("dev-admin").contains("ci-readonly");

    CliResult fromEnv = sandbox.run(Map.of("ATMOS_PROFILE", "ci"), "--config-path", project.toString(),
        "auth", "list", "--format", "json");
    assertThat(fromEnv.exitCode()).as("%s", fromEnv).isZero();
    assertThat(fromEnv.stdout()).contains("ci-readonly");
  }

  @Test
  void chdirIntoTheProjectFindsItsAtmosYamlAndDotAtmosD() {
    CliResult result = sandbox.run("-C", project.toString(), "--profile", "ci", "auth", "list", "--format", "json");
    assertThat(result.exitCode()).as("%s", result).isZero();
    assertThat(result.stdout()).contains("dev-admin").contains("ci-readonly");
  }

  @Test
  void aDotAtmosDFileThatDoesNotParseIsOneWarningWithFileAndLineAndTheRestStillWorks() {
    Path broken = sandbox.root().resolve("broken");
    AtmosSandbox.write(broken.resolve("atmos.yaml"),
        ConfigYaml.create().ssoProvider(PROVIDER, START_URL, REGION, sandbox.endpoint()).render());
    AtmosSandbox.write(broken.resolve(".atmos.d/a.yaml"), """
        auth:
          identities:
            dev-admin:
              kind: aws/permission-set
              via: {provider: p}
              principal: {name: Admin, account: {name: dev}}
        """);
    Path bad = AtmosSandbox.write(broken.resolve(".atmos.d/b.yaml"), "auth:\n  identities: [unclosed\n");

    CliResult result = sandbox.run("--config-path", broken.toString(), "auth", "validate");

    assertThat(result.exitCode()).as("%s", result).isZero();
    assertThat(result.stderrLines()).as("%s", result)
        .anySatisfy(line -> assertThat(line).contains(bad + ":").contains("invalid YAML"));
    assertThat(result.stderr()).contains("1 identity");
  }

  @Test
  void aProfileThatDoesNotExistIsOneLineAndExitTwo() {
    CliResult result = sandbox.run("--config-path", project.toString(), "--profile", "nope", "auth", "list");
    assertThat(result.exitCode()).as("%s", result).isEqualTo(2);
    assertThat(result.stderrLines()).as("%s", result).filteredOn(line -> !line.startsWith("starting atmosd")).hasSize(1);
    assertThat(result.stderr()).contains("profile \"nope\" not found").contains("available: ci");
  }
}
