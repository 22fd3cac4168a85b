package dev.atmosd.it;

import static dev.atmosd.it.AtmosSandbox.DEV_ADMIN;
import static dev.atmosd.it.AtmosSandbox.DEV_READONLY;
import static dev.atmosd.it.AtmosSandbox.PROD_ACCOUNT;
import static dev.atmosd.it.AtmosSandbox.PROD_ADMIN;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The packaged CLI against a real daemon, taking the Go atmos's flags (cmd/auth/*.go, cited per test) while the
 * spellings atmosd had before keep working.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AtmosFlagsTest {

  AtmosSandbox sandbox;

  @BeforeAll
  void signIn() {
    sandbox = AtmosSandbox.create();
    sandbox.runOk("auth", "login");
  }

  @AfterAll
  void close() {
    sandbox.close();
  }

  /**
   * cmd/auth/auth.go: {@code -i/--identity} is a persistent flag of {@code auth}, so {@code atmos auth -i X whoami}
   * works; the subcommand's own {@code -i} (atmosd's old spelling) still works and wins.
   */
  @Test
  void identityOnTheAuthCommandItself() {
    JsonNode who = sandbox.ok(sandbox.run("auth", "-i", PROD_ADMIN, "whoami", "--format", "json")).json();
    assertThat(who.path("identity").asText()).isEqualTo(PROD_ADMIN);
    assertThat(who.path("account").asText()).isEqualTo(PROD_ACCOUNT);
    JsonNode own = sandbox.ok(sandbox.run("auth", "--identity=" + PROD_ADMIN, "whoami", "-i", DEV_READONLY,
        "--format", "json")).json();
    assertThat(own.path("identity").asText()).as("the subcommand's own -i wins").isEqualTo(DEV_READONLY);
    JsonNode byDefault = sandbox.ok(sandbox.run("auth", "whoami", "--format", "json")).json();
    assertThat(byDefault.path("identity").asText()).isEqualTo(DEV_ADMIN);
    CliResult process = sandbox.ok(sandbox.run("auth", "-i", PROD_ADMIN, "credential-process"));
    assertThat(process.json().path("Version").asInt()).isEqualTo(1);
    assertThat(sandbox.ok(sandbox.run("auth", "-i", PROD_ADMIN, "env")).stdout())
        .contains("AWS_CONTAINER_CREDENTIALS_FULL_URI");
  }

  /** cmd/auth/whoami.go: {@code -o/--output json}; atmosd's {@code -f/--format} stays. */
  @Test
  void whoamiOutputJson() {
    JsonNode who = sandbox.ok(sandbox.run("auth", "whoami", "-o", "json", "-i", PROD_ADMIN)).json();
    assertThat(who.path("identity").asText()).isEqualTo(PROD_ADMIN);
    assertThat(sandbox.ok(sandbox.run("auth", "whoami", "--output=json")).json().path("identity").asText())
        .isEqualTo(DEV_ADMIN);
    assertThat(sandbox.ok(sandbox.run("auth", "whoami", "--format", "json")).json().path("account").asText())
        .isNotEmpty();
  }

  /** cmd/auth/env.go: {@code -f env} (KEY=value lines) among SupportedFormats, and {@code --login}. */
  @Test
  void envFormatEnvAndLogin() {
    CliResult env = sandbox.ok(sandbox.run("auth", "env", "-f", "env", "--login", "-i", DEV_ADMIN));
    assertThat(env.stdout()).containsPattern("(?m)^AWS_CONTAINER_CREDENTIALS_FULL_URI=http://\\S+$")
        .doesNotContain("export ").doesNotContain("'");
    CliResult keys = sandbox.ok(sandbox.run("auth", "env", "--format=env", "--static", "-i", DEV_ADMIN));
    assertThat(keys.stdout()).containsPattern("(?m)^AWS_ACCESS_KEY_ID=\\S+$");
  }

  /** Go's global flags: {@code --no-color} anywhere on the line, {@code --logs-level} with Go's level names. */
  @Test
  void globalNoColorAndLogsLevel() {
    CliResult plain = sandbox.ok(sandbox.run("--no-color", "auth", "list", "--format", "table"));
    assertThat(plain.stdout()).contains("IDENTITIES").doesNotContain("\u001b[");
    sandbox.ok(sandbox.run("auth", "status", "--no-color"));
    sandbox.ok(sandbox.run("--logs-level", "Debug", "auth", "whoami"));
    sandbox.ok(sandbox.run("auth", "whoami", "--logs-level=off"));
    CliResult bad = sandbox.run("--logs-level", "Loud", "auth", "whoami");
    assertThat(bad.exitCode()).as("%s", bad).isEqualTo(2);
    assertThat(bad.stderrLines()).as("%s", bad).hasSize(1).first().asString()
        .startsWith("atmos: --logs-level Loud: use one of Trace, Debug, Info, Warning, Off");
  }

  /**
   * cmd/auth/auth.go NoOptDefVal __SELECT__ and the guard in pkg/auth (ErrIdentitySelectionRequiresTTY): -i without a
   * value off a terminal fails with one line and exit 1, never waiting for input; on a terminal it asks.
   */
  @Test
  void identityWithoutValueNeedsATerminal() {
    for (List<String> args : List.of(List.of("auth", "whoami", "-i"), List.of("auth", "-i", "whoami"),
        List.of("auth", "env", "--identity"))) {
      assertNeedsATerminal(sandbox.run(args.toArray(String[]::new)));
    }
  }

  /** What {@code -i} without a value does off a terminal: one line, exit 1, nothing on stdout. */
  static void assertNeedsATerminal(CliResult result) {
    assertThat(result.exitCode()).as("%s", result).isEqualTo(1);
    assertThat(result.stderrLines()).as("%s", result).containsExactly("atmos: interactive identity selection"
        + " requires a TTY: name one with --identity NAME (or ATMOS_IDENTITY); atmos auth list shows them");
    assertThat(result.stdout()).isEmpty();
  }

  /** On a terminal (util-linux script gives the CLI a pty) -i alone lists the identities and takes a number. */
  @Test
  void identityWithoutValuePicksOnATerminal() {
    String command = "printf '4\\n' | script -qec '" + AtmosSandbox.atmosBinary() + " auth whoami -i -o json' /dev/null";
    CliResult picked = sandbox.runCommand(List.of("sh", "-c", command), Map.of("CI", ""), Duration.ofSeconds(60));
    assertThat(picked.exitCode()).as("%s", picked).isZero();
    assertThat(picked.stdout()).as("%s", picked).contains("Select an identity:").contains("4) " + PROD_ADMIN)
        .contains("\"identity\" : \"" + PROD_ADMIN + "\"");
  }
}
