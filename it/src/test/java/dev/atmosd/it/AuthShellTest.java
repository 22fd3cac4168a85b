package dev.atmosd.it;

import static dev.atmosd.it.AtmosSandbox.DEV_ACCOUNT;
import static dev.atmosd.it.AtmosSandbox.DEV_ADMIN;
import static dev.atmosd.it.AtmosSandbox.DEV_READONLY;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code atmos auth shell}, as the Go atmos has it. Followed: cmd/auth/shell.go ({@code -i} inherited from
 * {@code auth}, {@code --shell} with env ATMOS_SHELL then SHELL, shell arguments only after {@code --}; the newer
 * shell_test.go TestValidateAuthShellArgs rejects any before it), internal/exec/shell_utils.go ExecAuthShellCommand
 * (ATMOS_IDENTITY and ATMOS_SHLVL in the shell's environment, "→ Entering Atmos shell with identity: X" / "← Exited
 * Atmos shell for identity: X" on stderr), pkg/shell/interactive.go (Determine: the override, else bash, else sh;
 * {@code -l} when no arguments; StartInteractive: the shell's exit code is atmos's) and pkg/shell/level.go (ATMOS_SHLVL
 * is 0 when unset or not a number, the shell gets one more); website/docs/cli/commands/auth/auth-shell.mdx.
 * Where atmosd differs on purpose: the credentials are the daemon's endpoint (a grant that ends with the shell), not
 * AWS_PROFILE and atmos's own files, as for {@code auth exec}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthShellTest {
  private static final Map<String, String> SH = Map.of("SHELL", "/bin/sh");

  AtmosSandbox sandbox;

  @BeforeAll
  void signIn() {
    sandbox = AtmosSandbox.create();
    sandbox.writeConfig(sandbox.standardConfig().identityEnv(DEV_READONLY, "ATMOS_IT_STAGE", "dev-ro"));
    sandbox.runOk("auth", "login");
  }

  @AfterAll
  void close() {
    AtmosSandbox.closeIfCreated(sandbox);
  }

  @Test
  void theShellHoldsTheIdentityAndItsGrantEndsWithIt() throws Exception {
    Path script = AtmosSandbox.write(sandbox.binDir().resolve("whoami.py"), Botocore.WHOAMI);
    Path grantFile = sandbox.workDir().resolve("shell-grant.env");
    String commands = "echo \"identity=$ATMOS_IDENTITY level=$ATMOS_SHLVL stage=$ATMOS_IT_STAGE\"; "
        + "env > " + grantFile + "; exec " + AtmosSandbox.python() + " " + script;

    CliResult result = sandbox.ok(sandbox.run(Map.of("SHELL", "/bin/sh", "IT_STS_ENDPOINT", sandbox.endpoint()),
        "auth", "shell", "-i", DEV_READONLY, "--", "-c", commands));

    assertThat(result.stdoutLines()).as("stdout is the shell's alone: %s", result).hasSize(2)
        .first().isEqualTo("identity=" + DEV_READONLY + " level=1 stage=dev-ro");
    JsonNode who = CliResult.parse(result.stdoutLines().get(1));
    assertThat(who.path("Method").asText()).isEqualTo("container-role");
    assertThat(who.path("Account").asText()).isEqualTo(DEV_ACCOUNT);
    assertThat(who.path("Arn").asText()).contains("ReadOnly");
    assertThat(result.stderrLines()).as("%s", result).containsExactly(
        "→ Entering Atmos shell with identity: " + DEV_READONLY,
        "  Type 'exit' to return to your normal shell",
        "← Exited Atmos shell for identity: " + DEV_READONLY);

    Map<String, String> grant = EndpointGrantLifetimeTest.endpointVars(grantFile);
    assertThat(EndpointGrantLifetimeTest.status(grant)).as("the shell's grant once it has exited").isEqualTo(403);
  }

  @Test
  void theShellsExitCodeIsAtmossAndLevelsNest() {
    CliResult seven = sandbox.run(SH, "auth", "shell", "-i", DEV_ADMIN, "--", "-c", "exit 7");
    assertThat(seven.exitCode()).as("%s", seven).isEqualTo(7);

    CliResult nested = sandbox.ok(sandbox.run(Map.of("SHELL", "/bin/sh", "ATMOS_SHLVL", "2"),
        "auth", "shell", "-i", DEV_ADMIN, "--", "-c", "echo $ATMOS_SHLVL"));
    assertThat(nested.stdout()).isEqualTo("3\n");
  }

  @Test
  void theShellIsTheFlagThenAtmosShellThenShell() {
    String which = "echo ${BASH_VERSION:+bash}";
    CliResult flag = sandbox.ok(sandbox.run(SH, "auth", "shell", "-i", DEV_ADMIN, "--shell", "/bin/bash",
        "--", "-c", which));
    assertThat(flag.stdout()).isEqualTo("bash\n");
    CliResult atmosShell = sandbox.ok(sandbox.run(Map.of("SHELL", "/bin/sh", "ATMOS_SHELL", "bash"),
        "auth", "shell", "-i", DEV_ADMIN, "--", "-c", which));
    assertThat(atmosShell.stdout()).isEqualTo("bash\n");
    CliResult shell = sandbox.ok(sandbox.run(SH, "auth", "shell", "-i", DEV_ADMIN, "--", "-c", which));
    assertThat(shell.stdout()).isEqualTo("\n");
  }

  @Test
  void withoutIdentityOffATerminalItIsTheDefaultOrAsAuthExecSays() {
    CliResult byDefault = sandbox.ok(sandbox.run(SH, "auth", "shell", "--", "-c", "echo $ATMOS_IDENTITY"));
    assertThat(byDefault.stdout()).isEqualTo(DEV_ADMIN + "\n");

    for (List<String> args : List.of(List.of("auth", "shell", "-i", "--", "-c", "echo unreachable"),
        List.of("auth", "shell", "-i"))) {
      AtmosFlagsTest.assertNeedsATerminal(sandbox.run(SH, args.toArray(String[]::new)));
    }
  }

  @Test
  void aMissingShellIsOneLineAndExit127() {
    CliResult missing = sandbox.run(Map.of("SHELL", "/nonexistent/zsh"), "auth", "shell", "-i", DEV_ADMIN);
    assertThat(missing.exitCode()).as("%s", missing).isEqualTo(127);
    assertThat(missing.stderrLines()).as("%s", missing)
        .containsExactly("atmos: shell /nonexistent/zsh: not found or not executable");

    CliResult noSeparator = sandbox.run(SH, "auth", "shell", "-i", DEV_ADMIN, "zsh");
    assertThat(noSeparator.exitCode()).as("%s", noSeparator).isEqualTo(2);
    assertThat(noSeparator.stderrLines()).as("%s", noSeparator).hasSize(1).first().asString()
        .contains("after --").contains("--shell");
  }

  /** On a terminal (util-linux script gives it a pty): a login shell reading commands the user types. */
  @Test
  void anInteractiveShellOnATerminal() {
    String typed = "printf 'echo \"level=$ATMOS_SHLVL id=$ATMOS_IDENTITY\"\\nexit 3\\n'";
    CliResult session = sandbox.runCommand(List.of("sh", "-c", typed + " | script -qec 'exec "
        + AtmosSandbox.atmosBinary() + " auth shell -i " + DEV_ADMIN + "' /dev/null"), SH, Duration.ofSeconds(60));

    assertThat(session.exitCode()).as("%s", session).isEqualTo(3);
    assertThat(session.stdout()).as("%s", session).contains("Entering Atmos shell with identity:")
        .contains("level=1 id=" + DEV_ADMIN).contains("Exited Atmos shell for identity: " + DEV_ADMIN);
  }

  /**
   * Ctrl-C on a terminal is SIGINT to its foreground process group: atmos and the shell. The shell decides what it
   * means (an interactive one ignores it); atmos must neither die of it nor pass on a second one. {@code kill -INT 0}
   * from the shell is that signal, sent at once, as the shell starts.
   */
  @Test
  void ctrlCOnTheTerminalIsTheShellsNotAtmoss() {
    String inShell = "trap \"echo shell-got-INT\" INT; kill -INT 0; echo still-here; exit 5";
    CliResult session = sandbox.runCommand(List.of("script", "-qec", "exec " + AtmosSandbox.atmosBinary()
        + " auth shell -i " + DEV_ADMIN + " -- -c '" + inShell + "'", "/dev/null"), SH, Duration.ofSeconds(60));

    assertThat(session.exitCode()).as("atmos waited for the shell and took its code: %s", session).isEqualTo(5);
    assertThat(session.stdout()).as("%s", session).containsOnlyOnce("shell-got-INT").contains("still-here")
        .contains("Exited Atmos shell for identity: " + DEV_ADMIN);
  }
}
