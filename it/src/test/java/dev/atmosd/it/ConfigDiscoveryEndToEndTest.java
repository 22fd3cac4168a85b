package dev.atmosd.it;

import static dev.atmosd.it.AtmosSandbox.PROVIDER;
import static dev.atmosd.it.AtmosSandbox.REGION;
import static dev.atmosd.it.AtmosSandbox.START_URL;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Config discovery through the packaged CLI and a real daemon: {@code --config-path} names a project whose
 * atmos.yaml declares only the provider, its identities live in {@code .atmos.d/}, and {@code --profile} (or
 * ATMOS_PROFILE) merges {@code profiles/<name>/} over them; an {@code import:} list inside {@code .atmos.d/}, a
 * repository whose only config is its root's {@code .atmos.d/}, and {@code --base-path} / {@code ATMOS_BASE_PATH} as
 * the base of atmos.yaml's {@code import:} list. Go reference: cloudposse/atmos pkg/config/load.go
 * (mergeDefaultImports, LoadConfig's default-config branch, processConfigImportsAndReapply, mergeImports),
 * pkg/config/profiles.go (loadProfiles), pkg/config/config_cli_args.go, pkg/config/import_base_path_runtime_test.go
 * (TestLoadConfig_RuntimeBasePathAnchorsImportsToCWD).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConfigDiscoveryEndToEndTest {
  AtmosSandbox sandbox;
  Path project;

  @BeforeAll
  void start() {
    sandbox = AtmosSandbox.create();
    project = sandbox.root().resolve("project");
    AtmosSandbox.write(project.resolve("atmos.yaml"), provider());
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
    AtmosSandbox.write(broken.resolve("atmos.yaml"), provider());
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

  private String provider() {
    return ConfigYaml.create().ssoProvider(PROVIDER, START_URL, REGION, sandbox.endpoint()).render();
  }

  private static String identity(String name, String permissionSet) {
    return """
        auth:
          identities:
            %s:
              kind: aws/permission-set
              via: {provider: p}
              principal: {name: %s, account: {name: dev}}
        """.formatted(name, permissionSet);
  }

  private static java.util.List<String> meaningful(CliResult result) {
    return result.stderrLines().stream().filter(line -> !line.startsWith("starting atmosd")).toList();
  }

  @Test
  void aDotAtmosDImportListIsFollowedAndAnEntryFoundNowhereIsOneWarning() {
    Path project = sandbox.root().resolve("with-list");
    AtmosSandbox.write(project.resolve("atmos.yaml"), provider());
    Path team = AtmosSandbox.write(project.resolve(".atmos.d/team.yaml"), "import: [shared/team.yaml, shared/gone.yaml]\n");
    AtmosSandbox.write(project.resolve("shared/team.yaml"), identity("team-admin", "TeamAdmin"));

    CliResult list = sandbox.run("--config-path", project.toString(), "auth", "list", "--format", "json");
    assertThat(list.exitCode()).as("%s", list).isZero();
    assertThat(list.stdout()).contains("team-admin").contains("TeamAdmin");

    CliResult validate = sandbox.run("--config-path", project.toString(), "auth", "validate");
    assertThat(validate.exitCode()).as("%s", validate).isZero();
    assertThat(meaningful(validate)).as("%s", validate)
        .anySatisfy(line -> assertThat(line).contains(team + ": import \"shared/gone.yaml\" not found")
            .contains("(atmos skips it)"))
        .anySatisfy(line -> assertThat(line).contains("1 identity"));
  }

  @Test
  void theGitRootsDotAtmosDAloneIsTheConfigFromAnywhereInTheRepository() throws Exception {
    Path repo = sandbox.root().resolve("repo");
    Files.createDirectories(repo.resolve(".git"));
    Files.createDirectories(repo.resolve("components/vpc"));
    AtmosSandbox.write(repo.resolve(".atmos.d/auth.yaml"), provider());
    AtmosSandbox.write(repo.resolve("atmos.d/identities.yaml"), identity("repo-admin", "RepoAdmin"));

    for (Path directory : new Path[] {repo, repo.resolve("components/vpc")}) {
      CliResult list = sandbox.run("-C", directory.toString(), "auth", "list", "--format", "json");
      assertThat(list.exitCode()).as("%s", list).isZero();
      assertThat(list.stdout()).contains("repo-admin").contains(repo.toString());
    }
    CliResult validate = sandbox.run("-C", repo.toString(), "auth", "validate");
    assertThat(validate.exitCode()).as("%s", validate).isZero();
    assertThat(validate.stderr()).contains(repo + ": 1 provider, 1 identity");
  }

  @Test
  void aDotAtmosDOutsideAnyRepositoryIsOneLineSayingWhatToDo() {
    Path plain = sandbox.root().resolve("plain");
    AtmosSandbox.write(plain.resolve(".atmos.d/auth.yaml"), provider());

    CliResult list = sandbox.run("-C", plain.toString(), "auth", "list");

    assertThat(list.exitCode()).as("%s", list).isEqualTo(2);
    assertThat(meaningful(list)).as("%s", list).singleElement().asString()
        .contains("no atmos.yaml found, and " + plain.resolve(".atmos.d") + " is read without one only at the root of a"
            + " git repository")
        .contains("--config-path " + plain);
  }

  @Test
  void basePathFromTheFlagOrTheEnvironmentIsTheBaseOfTheImportList() {
    Path project = sandbox.root().resolve("based");
    AtmosSandbox.write(project.resolve("atmos.yaml"), "import: [ids.yaml]\n" + provider());
    AtmosSandbox.write(project.resolve("ids.yaml"), identity("x", "FromProject"));
    AtmosSandbox.write(sandbox.root().resolve("other/ids.yaml"), identity("x", "FromOther"));
    AtmosSandbox.write(sandbox.root().resolve("flag/ids.yaml"), identity("x", "FromFlag"));

    CliResult plain = sandbox.run("-C", project.toString(), "auth", "list", "--format", "json");
    assertThat(plain.stdout()).as("%s", plain).contains("FromProject");

    CliResult fromEnv = sandbox.run(Map.of("ATMOS_BASE_PATH", "../other"), "-C", project.toString(),
        "auth", "list", "--format", "json");
    assertThat(fromEnv.stdout()).as("%s", fromEnv).contains("FromOther");

    CliResult flagOverEnv = sandbox.run(Map.of("ATMOS_BASE_PATH", "../other"), "-C", project.toString(),
        "--base-path", "../flag", "auth", "list", "--format", "json");
    assertThat(flagOverEnv.stdout()).as("%s", flagOverEnv).contains("FromFlag");

    // Go skips an import it cannot resolve (pkg/config/imports.go): the listing works without it, and validate
    // names it in a warning.
    CliResult listed = sandbox.run("-C", project.toString(), "--base-path", "../nowhere", "auth", "list");
    assertThat(listed.exitCode()).as("%s", listed).isZero();
    assertThat(listed.stdout()).doesNotContain("FromProject").doesNotContain("FromOther");
    CliResult nowhere = sandbox.run("-C", project.toString(), "--base-path", "../nowhere", "auth", "validate");
    assertThat(nowhere.exitCode()).as("%s", nowhere).isZero();
    assertThat(meaningful(nowhere).stream().filter(line -> line.contains("not found"))).as("%s", nowhere).singleElement().asString()
        .contains(project.resolve("atmos.yaml") + ": import \"ids.yaml\" not found (" + sandbox.root().resolve("nowhere/ids.yaml")
            + ", relative to --base-path / ATMOS_BASE_PATH ../nowhere)");
  }
}
