package dev.atmosd.cli;

import dev.atmosd.v1.EndpointGrant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * An interactive shell holding an identity, as the Go atmos's {@code auth shell} (cmd/auth/shell.go,
 * internal/exec/shell_utils.go ExecAuthShellCommand, pkg/shell/interactive.go and level.go): the shell is
 * {@code --shell}, else {@code ATMOS_SHELL}, else {@code SHELL}, else bash, else sh; with no arguments after
 * {@code --} it is a login shell ({@code -l}); it sees {@code ATMOS_IDENTITY} and {@code ATMOS_SHLVL} one deeper than
 * ours. Its credentials are an endpoint grant that ends with the shell, as for {@code auth exec}; its exit code is
 * ours.
 */
@Command(name = "shell", description = "Start an interactive shell with an identity's credentials (through the daemon's"
    + " endpoint); `exit` leaves it.")
final class AuthShellCommand extends CliCommand {
  /** How deep in atmos shells a shell is (Go's pkg/shell LevelEnvVar), for a prompt to show. */
  static final String LEVEL = "ATMOS_SHLVL";

  @Option(names = {"-i", "--identity"}, arity = "0..1", fallbackValue = IdentityPicker.SELECT,
      description = "Identity (env ATMOS_IDENTITY; default: the default identity;"
          + " no value: pick one on a terminal).")
  String identity;

  @Option(names = "--shell", paramLabel = "PROGRAM",
      description = "The shell (default: env ATMOS_SHELL, else SHELL, else bash, else sh).")
  String shell;

  @Parameters(paramLabel = "ARGS", description = "Arguments for the shell, after -- (default: -l, a login shell).")
  List<String> shellArgs = new ArrayList<>();

  @Override
  public Integer call() {
    requireSeparator();
    Invocation invocation = invocation();
    Map<String, String> env = invocation.env();
    String program = program(shell, env);
    String hint = program.isEmpty() ? "no shell found: neither bash nor sh is on PATH; name one with --shell or SHELL"
        : "shell " + program + ": not found or not executable";
    List<String> args = shellArgs.isEmpty() ? List.of("-l") : shellArgs;
    Terminal terminal = invocation.stderrTerminal();
    return GrantedCommandRunner.run(this, "auth shell", identityFlag(identity), program, args, hint,
        new GrantedCommandRunner.Around() {
          @Override
          public void starting(EndpointGrant grant, Map<String, String> childEnv) {
            childEnv.put(LEVEL, Integer.toString(level(env.get(LEVEL)) + 1));
            invocation.err().printf("%n%s %s%n%s%n%n", terminal.green(terminal.bold("→ Entering Atmos shell with"
                + " identity:")), grant.getIdentity(), terminal.dim("  Type 'exit' to return to your normal shell"));
          }

          @Override
          public void ended(EndpointGrant grant, int exitCode) {
            invocation.err().printf("%n%s%n%n", terminal.dim("← Exited Atmos shell for identity: "
                + grant.getIdentity()));
          }
        });
  }

  /**
   * Arguments belong to the shell only after {@code --}, as Go's validateAuthShellArgs: {@code atmos auth shell zsh}
   * would otherwise run {@code $SHELL zsh} (a script named zsh) where the user meant {@code --shell zsh}.
   */
  private void requireSeparator() {
    if (shellArgs.isEmpty()) {
      return;
    }
    List<String> original = spec.commandLine().getParseResult().originalArgs();
    int separator = original.indexOf("--");
    if (separator < 0 || !original.subList(separator + 1, original.size()).equals(shellArgs)) {
      throw new UserError("auth shell: arguments for the shell go after --, e.g. atmos auth shell -- -c 'aws s3 ls';"
          + " the shell itself is --shell PROGRAM");
    }
  }

  /** The shell to run: the flag, ATMOS_SHELL, SHELL, then bash or sh on PATH; empty when there is none at all. */
  static String program(String flag, Map<String, String> env) {
    for (String chosen : new String[] {flag, env.get("ATMOS_SHELL"), env.get("SHELL")}) {
      if (chosen != null && !chosen.isBlank()) {
        return chosen.strip();
      }
    }
    for (String fallback : new String[] {"bash", "sh"}) {
      if (Executables.find(fallback, env.get("PATH")).isPresent()) {
        return fallback;
      }
    }
    return "";
  }

  /** The current {@code ATMOS_SHLVL}: 0 when unset or not a number, as Go's shell.Level. */
  static int level(String value) {
    if (value == null) {
      return 0;
    }
    try {
      return Math.max(0, Integer.parseInt(value.strip()));
    } catch (NumberFormatException notANumber) {
      return 0;
    }
  }
}
