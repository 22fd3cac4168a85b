package dev.atmosd.it;

import static dev.atmosd.it.AtmosSandbox.DEV_ADMIN;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An atmos.yaml from a cloned repository names an env key that is shell code (issue 11, item 2): `auth env` must
 * refuse it as a config error naming the key, exit 2, and print nothing an `eval` could run.
 */
class EnvNameInjectionTest {
  AtmosSandbox sandbox;

  @BeforeEach
  void create() {
    sandbox = AtmosSandbox.create();
  }

  @AfterEach
  void close() {
    sandbox.close();
  }

  @Test
  void anEnvKeyThatIsShellCodeIsAConfigErrorAndNothingIsPrinted() {
    Path planted = sandbox.root().resolve("pwned");
    String key = "X=1; touch " + planted + "; Y";
    sandbox.writeConfig(sandbox.standardConfig().identityEnv(DEV_ADMIN, key, "v"));

    CliResult result = sandbox.run("auth", "env", "--identity", DEV_ADMIN, "--format", "bash");

    assertThat(result.exitCode()).as("%s", result).isEqualTo(2);
    assertThat(result.stdout()).as("nothing for eval").isEmpty();
    assertThat(result.stderr()).as("%s", result).contains("env key \"" + key + "\" is not a variable name")
        .contains(sandbox.configFile().toString());
    assertThat(planted).doesNotExist();
  }
}
