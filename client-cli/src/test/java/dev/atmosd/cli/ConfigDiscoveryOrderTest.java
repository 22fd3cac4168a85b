package dev.atmosd.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every atmos.yaml found is sent, lowest precedence first, as atmos merges them. Followed: cloudposse/atmos
 * pkg/config/load.go (loadConfigSources, readParentDirConfig, readGitRootConfig, hasLocalAtmosConfig) and
 * pkg/config/config_cli_args.go (mergeConfigFromCLIArgs: --config files, then --config-path directories).
 */
class ConfigDiscoveryOrderTest {
  @TempDir Path root;

  private Path file(String relative) throws Exception {
    Path path = root.resolve(relative);
    Files.createDirectories(path.getParent());
    return Files.writeString(path, "auth: {}\n");
  }

  private ConfigDiscovery discovery(Map<String, String> env, String cwd) throws Exception {
    return new ConfigDiscovery(env, Files.createDirectories(root.resolve(cwd)), root.resolve("home"),
        root.resolve("system"));
  }

  private List<ConfigDiscovery.Found> sources(String cwd, Map<String, String> env) throws Exception {
    return discovery(env, cwd).sources(List.of(), List.of());
  }

  private static List<Path> files(List<ConfigDiscovery.Found> found) {
    return found.stream().map(ConfigDiscovery.Found::file).toList();
  }

  @Test
  void systemThenHomeThenWorkingDirectoryThenTheEnvironmentAllMerge() throws Exception {
    Path system = file("system/atmos.yaml");
    Path home = file("home/.atmos/atmos.yaml");
    Path cwd = file("work/atmos.yaml");
    Path fromEnv = file("env/atmos.yaml");

    List<ConfigDiscovery.Found> found = discovery(Map.of("ATMOS_CLI_CONFIG_PATH", root.resolve("env").toString()), "work")
        .sources(List.of(), List.of());

    assertThat(files(found)).containsExactly(system, home, cwd, fromEnv);
    // atmos reads the system file without the .atmos.d beside it
    assertThat(found.get(0).defaultImports()).isFalse();
    assertThat(found.get(1).defaultImports()).isTrue();
  }

  @Test
  void aWorkingDirectoryWithoutConfigUsesTheNearestParentsAndTheGitRootsAtmosYaml() throws Exception {
    Files.createDirectories(root.resolve("repo/.git"));
    Path atRoot = file("repo/atmos.yaml");
    Path inParent = file("repo/stacks/atmos.yaml");

    List<Path> found = files(discovery(Map.of(), "repo/stacks/deep/er").sources(List.of(), List.of()));

    assertThat(found).containsExactly(inParent, atRoot);
  }

  @Test
  void theGitRootIsOneSourceWhenItIsAlsoTheNearestParent() throws Exception {
    Files.createDirectories(root.resolve("repo/.git"));
    Path atRoot = file("repo/atmos.yaml");

    assertThat(files(discovery(Map.of(), "repo/sub").sources(List.of(), List.of()))).containsExactly(atRoot);
  }

  @Test
  void localConfigOfAnyKindOrTheEnvironmentStopsTheSearchUpwards() throws Exception {
    Files.createDirectories(root.resolve("repo/.git"));
    file("repo/atmos.yaml");
    Files.createDirectories(root.resolve("repo/own/.atmos.d"));
    Files.createDirectories(root.resolve("repo/other"));
    Path fromEnv = file("env/atmos.yaml");

    assertThat(discovery(Map.of(), "repo/own").sources(List.of(), List.of())).isEmpty();
    assertThat(files(discovery(Map.of("ATMOS_CLI_CONFIG_PATH", fromEnv.toString()), "repo/other")
        .sources(List.of(), List.of()))).containsExactly(fromEnv);
  }

  @Test
  void gitRootBasePathFalseStillLeavesTheParentSearch() throws Exception {
    Files.createDirectories(root.resolve("repo/.git"));
    Path atRoot = file("repo/atmos.yaml");
    Files.createDirectories(root.resolve("repo/a/b"));

    // The parent search finds repo/atmos.yaml by itself; ATMOS_GIT_ROOT_BASEPATH=false turns off only the git root.
    assertThat(files(discovery(Map.of("ATMOS_GIT_ROOT_BASEPATH", "false"), "repo/a/b").sources(List.of(), List.of())))
        .containsExactly(atRoot);
  }

  @Test
  void configFilesInOrderThenConfigPathDirectoriesAndNothingDiscovered() throws Exception {
    file("home/.atmos/atmos.yaml");
    file("work/atmos.yaml");
    Path second = file("b/second.yaml");
    Path first = file("a/first.yaml");
    Path inDirectory = file("dir/atmos.yaml");

    List<ConfigDiscovery.Found> found = discovery(Map.of(), "work")
        .sources(List.of("../a/first.yaml", "../b/second.yaml"), List.of("../dir"));

    assertThat(files(found)).containsExactly(first, second, inDirectory);
    // a --config file is read without its .atmos.d, a --config-path directory with it
    assertThat(found.stream().map(ConfigDiscovery.Found::defaultImports)).containsExactly(false, false, true);
  }

  @Test
  void aConfigPathThatIsNoDirectoryIsAUsageErrorNamingTheFlag() throws Exception {
    Path aFile = file("plain.yaml");
    ConfigDiscovery discovery = discovery(Map.of(), "work");

    assertThatThrownBy(() -> discovery.sources(List.of(), List.of(aFile.toString())))
        .isInstanceOf(UserError.class).hasMessageStartingWith("--config-path " + aFile)
        .hasMessageContaining("is a file, not a directory: pass it with --config");
    assertThatThrownBy(() -> discovery.sources(List.of(), List.of("missing")))
        .isInstanceOf(UserError.class).hasMessageContaining("--config-path missing").hasMessageContaining("does not exist");
    Files.createDirectories(root.resolve("empty"));
    assertThatThrownBy(() -> discovery.sources(List.of(), List.of(root.resolve("empty").toString())))
        .isInstanceOf(UserError.class).hasMessageContaining("no atmos.yaml in directory");
  }

  @Test
  void theHiddenDotAtmosYamlCountsOnlyInAConfigPathDirectory() throws Exception {
    Path hidden = file("work/.atmos.yaml");

    assertThat(discovery(Map.of(), "work").sources(List.of(), List.of())).isEmpty();
    assertThat(files(discovery(Map.of(), "elsewhere").sources(List.of(), List.of("../work")))).containsExactly(hidden);
  }

  @Test
  void profileNamesSplitOnCommasAndDropBlanks() {
    assertThat(ProfileNames.split(" dev , ,ci,")).containsExactly("dev", "ci");
    assertThat(ProfileNames.split("")).isEmpty();
  }

  /**
   * A directory with {@code .atmos.d/} or {@code atmos.d/} but no atmos.yaml anywhere. Followed: cloudposse/atmos
   * pkg/config/load.go LoadConfig — when v.ConfigFileUsed() is empty it merges the built-in defaults and then
   * mergeDefaultImports(gitRoot) for ProcessTagGitRoot("!repo-root ."), skipped when that answers "." (no repository);
   * hasLocalAtmosConfig counts {@code .atmos.d}/{@code atmos.d} as local config, so the parent and git-root atmos.yaml
   * are not searched from such a directory (readParentDirConfig, readGitRootConfig).
   */
  @Test
  void theGitRootsDotAtmosDIsTheWholeConfigFromTheRootAndFromBelowIt() throws Exception {
    Files.createDirectories(root.resolve("repo/.git"));
    file("repo/.atmos.d/auth.yaml");

    for (String cwd : List.of("repo", "repo/components/vpc")) {
      assertThat(sources(cwd, Map.of())).as(cwd)
          .containsExactly(new ConfigDiscovery.Found(root.resolve("repo"), false, true));
    }
    assertThat(sources("repo", Map.of("ATMOS_GIT_ROOT_BASEPATH", "false"))).as("not gated by it, as in Go")
        .containsExactly(new ConfigDiscovery.Found(root.resolve("repo"), false, true));
  }

  @Test
  void anAtmosDWithoutTheDotCountsToo() throws Exception {
    Files.createDirectories(root.resolve("repo/.git"));
    file("repo/atmos.d/auth.yaml");

    assertThat(sources("repo", Map.of())).singleElement()
        .satisfies(found -> assertThat(found.atmosDOnly()).isTrue());
  }

  @Test
  void aDotAtmosDBelowTheRootOrOutsideAnyRepositoryIsNotReadAlone() throws Exception {
    Files.createDirectories(root.resolve("repo/.git"));
    file("repo/sub/.atmos.d/auth.yaml");
    file("plain/.atmos.d/auth.yaml");

    assertThat(sources("repo/sub", Map.of())).isEmpty();
    assertThat(sources("plain", Map.of())).isEmpty();
  }

  @Test
  void anyAtmosYamlFoundMeansTheUsualSourcesAndNoFallback() throws Exception {
    Files.createDirectories(root.resolve("repo/.git"));
    file("repo/.atmos.d/auth.yaml");
    Path home = file("home/.atmos/atmos.yaml");

    assertThat(sources("repo", Map.of())).containsExactly(new ConfigDiscovery.Found(home, true));
  }

  @Test
  void aDotAtmosDInTheWorkingDirectoryStillStopsTheSearchForTheRootsAtmosYaml() throws Exception {
    Files.createDirectories(root.resolve("repo/.git"));
    file("repo/atmos.yaml");
    file("repo/.atmos.d/root.yaml");
    file("repo/sub/.atmos.d/sub.yaml");

    assertThat(sources("repo/sub", Map.of()))
        .containsExactly(new ConfigDiscovery.Found(root.resolve("repo"), false, true));
  }
}
