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
 * The packaged CLI and a real daemon on real files: an {@code import:} list inside {@code .atmos.d/}, a repository
 * whose only config is its root's {@code .atmos.d/}, and {@code --base-path} / {@code ATMOS_BASE_PATH} as the base of
 * atmos.yaml's {@code import:} list. Go reference: cloudposse/atmos pkg/config/load.go (LoadConfig's default-config
 * branch, processConfigImportsAndReapply, mergeImports), pkg/config/import_base_path_runtime_test.go
 * (TestLoadConfig_RuntimeBasePathAnchorsImportsToCWD).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AtmosDirectoryLeftoversEndToEndTest {
  AtmosSandbox sandbox;

  @BeforeAll
  void start() {
    sandbox = AtmosSandbox.create();
  }

  @AfterAll
  void close() {
    if (sandbox != null) { // null when the native-client run skips the class
      sandbox.close();
    }
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

    CliResult nowhere = sandbox.run("-C", project.toString(), "--base-path", "../nowhere", "auth", "list");
    assertThat(nowhere.exitCode()).as("%s", nowhere).isEqualTo(2);
    assertThat(meaningful(nowhere)).as("%s", nowhere).singleElement().asString()
        .contains(project.resolve("atmos.yaml") + ": import \"ids.yaml\" not found (" + sandbox.root().resolve("nowhere/ids.yaml")
            + ", relative to --base-path / ATMOS_BASE_PATH ../nowhere)");
  }
}
