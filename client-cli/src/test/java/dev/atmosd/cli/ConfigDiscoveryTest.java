package dev.atmosd.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigDiscoveryTest {
  @TempDir
  Path root;

  private Path file(Path path) throws Exception {
    Files.createDirectories(path.getParent());
    return Files.writeString(path, "auth: {}\n");
  }

  @Test
  void explicitConfigWinsOverEnvironmentCwdAndHome() throws Exception {
    Path explicit = file(root.resolve("explicit/custom.yaml"));
    Path fromEnv = file(root.resolve("env/atmos.yaml"));
    Path cwd = root.resolve("cwd");
    file(cwd.resolve("atmos.yaml"));
    Path home = root.resolve("home");
    file(home.resolve(".atmos/atmos.yaml"));
    Map<String, String> env = Map.of("ATMOS_CLI_CONFIG_PATH", fromEnv.getParent().toString());
    ConfigDiscovery discovery = new ConfigDiscovery(env, cwd, home);

    assertThat(discovery.find(explicit.toString())).contains(explicit);
    // relative --config resolves against the working directory
    assertThat(discovery.find("../explicit/custom.yaml")).contains(explicit);
    assertThat(discovery.find(null)).contains(fromEnv);
  }

  @Test
  void environmentMayNameTheFileItself() throws Exception {
    Path fromEnv = file(root.resolve("env/other.yaml"));
    assertThat(new ConfigDiscovery(Map.of("ATMOS_CLI_CONFIG_PATH", fromEnv.toString()), root, root).find(null))
        .contains(fromEnv);
  }

  @Test
  void fallsBackToCwdThenHomeThenNothing() throws Exception {
    Path cwd = Files.createDirectories(root.resolve("cwd"));
    Path home = Files.createDirectories(root.resolve("home"));
    ConfigDiscovery discovery = new ConfigDiscovery(Map.of(), cwd, home);
    assertThat(discovery.find(null)).isEmpty();

    Path inHome = file(home.resolve(".atmos/atmos.yaml"));
    assertThat(discovery.find(null)).contains(inHome);

    Path inCwd = file(cwd.resolve("atmos.yaml"));
    assertThat(discovery.find(null)).contains(inCwd);
  }

  @Test
  void anExplicitPathThatDoesNotExistIsAUsageError() throws Exception {
    ConfigDiscovery discovery = new ConfigDiscovery(
        Map.of("ATMOS_CLI_CONFIG_PATH", root.resolve("missing").toString()), root, root);
    assertThatThrownBy(() -> discovery.find(root.resolve("nope.yaml").toString()))
        .isInstanceOf(UserError.class).hasMessageContaining("--config").hasMessageContaining("does not exist");
    assertThatThrownBy(() -> discovery.find(null))
        .isInstanceOf(UserError.class).hasMessageContaining("ATMOS_CLI_CONFIG_PATH");
    Path emptyDir = Files.createDirectories(root.resolve("empty"));
    assertThatThrownBy(() -> discovery.find(emptyDir.toString()))
        .isInstanceOf(UserError.class).hasMessageContaining("no atmos.yaml in directory");
  }
}
