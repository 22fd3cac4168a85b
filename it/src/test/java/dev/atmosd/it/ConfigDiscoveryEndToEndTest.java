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
    if (sandbox != null) { // null when the native-client run skips the class
      sandbox.close();
    }
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

  /**
   * Go fails its config load before any command runs (cmd/root.go Execute returns InitCliConfig's error; the error
   * pkg/config/profiles.go loadProfiles builds carries exit code 2): so does every command here, validate included.
   */
  @Test
  void aProfileThatDoesNotExistIsOneLineAndExitTwoForEveryCommand() {
    for (String[] command : new String[][] {{"auth", "list"}, {"auth", "validate"}, {"auth", "whoami"},
        {"auth", "credential-process", "--identity", "dev-admin"}, {"auth", "env"}}) {
      String[] args = new String[command.length + 4];
      args[0] = "--config-path";
      args[1] = project.toString();
      args[2] = "--profile";
      args[3] = "nope";
      System.arraycopy(command, 0, args, 4, command.length);
      CliResult result = sandbox.run(args);
      assertThat(result.exitCode()).as("%s", result).isEqualTo(2);
      assertThat(result.stdout()).as("%s", result).isEmpty();
      assertThat(result.stderrLines()).as("%s", result).filteredOn(line -> !line.startsWith("starting atmosd"))
          .singleElement().asString()
          .startsWith("atmos: profile not found: Profile `nope` (--profile or ATMOS_PROFILE) does not exist")
          .contains(project.resolve("profiles/nope").toString())
          .contains("Available profiles are: `ci`");
    }
    CliResult fromEnv = sandbox.run(Map.of("ATMOS_PROFILE", "nope"), "--config-path", project.toString(),
        "auth", "validate");
    assertThat(fromEnv.exitCode()).as("%s", fromEnv).isEqualTo(2);
    assertThat(fromEnv.stderr()).doesNotContain("validation failed");
  }
}
