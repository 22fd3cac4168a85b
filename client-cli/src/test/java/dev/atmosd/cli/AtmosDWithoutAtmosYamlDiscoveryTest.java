package dev.atmosd.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A directory with {@code .atmos.d/} or {@code atmos.d/} but no atmos.yaml anywhere. Followed: cloudposse/atmos
 * pkg/config/load.go LoadConfig — when v.ConfigFileUsed() is empty it merges the built-in defaults and then
 * mergeDefaultImports(gitRoot) for ProcessTagGitRoot("!repo-root ."), skipped when that answers "." (no repository);
 * hasLocalAtmosConfig counts {@code .atmos.d}/{@code atmos.d} as local config, so the parent and git-root atmos.yaml
 * are not searched from such a directory (readParentDirConfig, readGitRootConfig).
 */
class AtmosDWithoutAtmosYamlDiscoveryTest {
  @TempDir Path root;

  private Path write(String relative) throws Exception {
    Path path = root.resolve(relative);
    Files.createDirectories(path.getParent());
    return Files.writeString(path, "auth: {}\n");
  }

  private List<ConfigDiscovery.Found> sources(String cwd, Map<String, String> env) throws Exception {
    return new ConfigDiscovery(env, Files.createDirectories(root.resolve(cwd)), root.resolve("home"),
        root.resolve("system")).sources(List.of(), List.of());
  }

  @Test
  void theGitRootsDotAtmosDIsTheWholeConfigFromTheRootAndFromBelowIt() throws Exception {
    Files.createDirectories(root.resolve("repo/.git"));
    write("repo/.atmos.d/auth.yaml");

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
    write("repo/atmos.d/auth.yaml");

    assertThat(sources("repo", Map.of())).singleElement().satisfies(found -> assertThat(found.atmosDOnly()).isTrue());
  }

  @Test
  void aDotAtmosDBelowTheRootOrOutsideAnyRepositoryIsNotReadAlone() throws Exception {
    Files.createDirectories(root.resolve("repo/.git"));
    write("repo/sub/.atmos.d/auth.yaml");
    write("plain/.atmos.d/auth.yaml");

    assertThat(sources("repo/sub", Map.of())).isEmpty();
    assertThat(sources("plain", Map.of())).isEmpty();
  }

  @Test
  void anyAtmosYamlFoundMeansTheUsualSourcesAndNoFallback() throws Exception {
    Files.createDirectories(root.resolve("repo/.git"));
    write("repo/.atmos.d/auth.yaml");
    Path home = write("home/.atmos/atmos.yaml");

    assertThat(sources("repo", Map.of())).containsExactly(new ConfigDiscovery.Found(home, true));
  }

  @Test
  void aDotAtmosDInTheWorkingDirectoryStillStopsTheSearchForTheRootsAtmosYaml() throws Exception {
    Files.createDirectories(root.resolve("repo/.git"));
    write("repo/atmos.yaml");
    write("repo/.atmos.d/root.yaml");
    write("repo/sub/.atmos.d/sub.yaml");

    assertThat(sources("repo/sub", Map.of())).containsExactly(new ConfigDiscovery.Found(root.resolve("repo"), false, true));
  }
}
