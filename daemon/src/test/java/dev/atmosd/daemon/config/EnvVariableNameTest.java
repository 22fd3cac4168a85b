package dev.atmosd.daemon.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atmosd.daemon.files.DaemonPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An identity's env key is printed bare by `atmos auth env` and eval'd by the user's shell (issue 11, item 2), and
 * atmos.yaml may come from a cloned repository: only a plain variable name is accepted, in both spellings of env.
 */
class EnvVariableNameTest {
  @TempDir Path dir;

  private static final String IDENTITY = """
      auth:
        providers:
          company-sso: { kind: aws/iam-identity-center, start_url: "https://c.awsapps.com/start", region: us-east-1 }
        identities:
          admin:
            kind: aws/permission-set
            via: { provider: company-sso }
            principal: { name: Admin, account: { name: prod } }
      """;

  private Exception loading(String env) throws Exception {
    Path file = dir.resolve("atmos.yaml");
    Files.writeString(file, IDENTITY + env);
    try {
      new ConfigLoader(new DaemonPaths(dir.resolve("cache"), dir.resolve("state")), Map.of()).load(file, Map.of())
          .identity("admin");
      return null;
    } catch (ConfigException refused) {
      return refused;
    }
  }

  @Test
  void aKeyThatIsShellCodeIsAConfigErrorNamingIt() throws Exception {
    assertThat(loading("""
              env:
                "X=1; touch /tmp/p; Y": v
        """)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("env key \"X=1; touch /tmp/p; Y\" is not a variable name");
    assertThat(loading("""
              env:
                - key: "$(id)"
                  value: v
        """)).hasMessageContaining("env key \"$(id)\" is not a variable name");
    assertThat(loading("""
              env:
                1ABC: v
        """)).hasMessageContaining("env key \"1ABC\"");
  }

  @Test
  void plainNamesAndAnyValuesAreAccepted() throws Exception {
    assertThat(loading("""
              env:
                _TF_VAR_x1: "it's; $(not) `code`"
        """)).isNull();
  }
}
