package dev.atmosd.daemon.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atmosd.daemon.files.DaemonPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The YAML functions atmos evaluates in atmos.yaml, through the real loader on real files. Semantics followed:
 * Go atmos pkg/config/process_yaml.go (which tags, !unset), pkg/utils/yaml_func_env.go (!env NAME [default]; unset
 * without default is empty, not an error), pkg/utils/yaml_func_exec.go (sh output, trailing newlines stripped),
 * pkg/git ProcessTagRoot (!repo-root [default]).
 */
class YamlFunctionsTest {
  @TempDir Path dir;

  private ConfigLoader loader() {
    return new ConfigLoader(new DaemonPaths(dir.resolve("cache"), dir.resolve("state")), Map.of());
  }

  private Path write(String name, String yaml) throws IOException {
    return ConfigTestFiles.write(dir, name, yaml);
  }

  private static String provider(String startUrl, String region) {
    return """
        auth:
          providers:
            company-sso:
              kind: aws/iam-identity-center
              start_url: %s
              region: %s
        """.formatted(startUrl, region);
  }

  @Test
  void envTakesTheClientsVariableThenTheDefault() throws IOException {
    Path file = write("atmos.yaml", provider("!env SSO_URL", "!env SSO_REGION eu-west-1"));
    AtmosConfig config = loader().load(file, Map.of("SSO_URL", "https://env.awsapps.com/start"));
    assertThat(config.provider("company-sso").startUrl()).isEqualTo("https://env.awsapps.com/start");
    assertThat(config.provider("company-sso").region()).isEqualTo("eu-west-1");

    // A new value in the client's environment is seen at once: a config made with functions is not re-used.
    AtmosConfig changed = loader().load(file, Map.of("SSO_URL", "https://other.awsapps.com/start",
        "SSO_REGION", "us-west-2"));
    assertThat(changed.provider("company-sso").startUrl()).isEqualTo("https://other.awsapps.com/start");
    assertThat(changed.provider("company-sso").region()).isEqualTo("us-west-2");
  }

  @Test
  void envWithTooManyArgumentsNamesFileAndLine() throws IOException {
    Path file = write("atmos.yaml", provider("!env A b c", "us-east-1"));
    assertThatThrownBy(() -> loader().load(file, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(file + ":5: !env takes a variable name and an optional default");
  }

  @Test
  void execUsesTheCommandsOutput() throws IOException {
    Path file = write("atmos.yaml", provider("!exec printf 'https://exec.awsapps.com/start\\n\\n'", "!exec echo $REGION_FROM_ENV"));
    AtmosConfig config = loader().load(file, Map.of("REGION_FROM_ENV", "ap-south-1"));
    assertThat(config.provider("company-sso").startUrl()).isEqualTo("https://exec.awsapps.com/start");
    assertThat(config.provider("company-sso").region()).isEqualTo("ap-south-1");
  }

  @Test
  void failingExecIsOneLineWithFileAndLine() throws IOException {
    Path file = write("atmos.yaml", provider("https://x.awsapps.com/start", "!exec exit 3"));
    assertThatThrownBy(() -> loader().load(file, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessage(file + ":6: !exec \"exit 3\" failed with exit code 3: fix the command or remove it");
  }

  @Test
  void includeReadsAFileRelativeToTheIncludingFile() throws IOException {
    write("conf/sso.yaml", """
        kind: aws/iam-identity-center
        start_url: https://included.awsapps.com/start
        region: !env INCLUDED_REGION us-east-2
        """);
    Path file = write("conf/atmos.yaml", """
        auth:
          providers:
            company-sso: !include sso.yaml
        """);
    AtmosConfig config = loader().load(file, Map.of());
    assertThat(config.provider("company-sso").startUrl()).isEqualTo("https://included.awsapps.com/start");
    assertThat(config.provider("company-sso").region()).isEqualTo("us-east-2");
  }

  @Test
  void missingIncludeNamesFileLineAndPath() throws IOException {
    Path file = write("atmos.yaml", """
        auth:
          providers:
            company-sso: !include nowhere.yaml
        """);
    assertThatThrownBy(() -> loader().load(file, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessage(file + ":3: !include file " + dir.resolve("nowhere.yaml") + " does not exist: fix the path"
            + " (relative to " + dir + ")");
  }

  @Test
  void repoRootIsTheGitWorktreeAboveTheConfig() throws IOException {
    Files.createDirectories(dir.resolve("repo/.git"));
    Path file = write("repo/sub/atmos.yaml", provider("https://x.awsapps.com/start", "us-east-1")
        + "base_path: !repo-root\n");
    // Not an auth field; evaluating it must not fail, and outside a repo without default it must.
    loader().load(file, Map.of());
    Path outside = write("norepo/atmos.yaml", provider("https://x.awsapps.com/start", "us-east-1")
        + "base_path: !repo-root\n");
    if (!Files.exists(dir.getRoot().resolve(".git"))) {
      assertThatThrownBy(() -> loader().load(outside, Map.of()))
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining(outside + ":7: !repo-root: ");
    }
    Path withDefault = write("norepo2/atmos.yaml", provider("https://x.awsapps.com/start", "us-east-1")
        + "base_path: !repo-root /fallback\n");
    loader().load(withDefault, Map.of());
  }

  @Test
  void unsetRemovesWhatAnImportSet() throws IOException {
    write("base.yaml", """
        auth:
          providers:
            company-sso:
              kind: aws/iam-identity-center
              start_url: https://x.awsapps.com/start
              region: us-east-1
            legacy-sso:
              kind: aws/iam-identity-center
              start_url: https://legacy.awsapps.com/start
              region: us-east-1
        """);
    Path file = write("atmos.yaml", """
        import:
          - base.yaml
        auth:
          providers:
            legacy-sso: !unset
        """);
    AtmosConfig config = loader().load(file, Map.of());
    assertThat(config.providers()).containsOnlyKeys("company-sso");
  }
}
