package dev.atmosd.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "auth", description = "Sign in, inspect sessions and hand credentials to tools.",
    subcommands = {AuthLoginCommand.class, AuthLogoutCommand.class, AuthStatusCommand.class, AuthValidateCommand.class,
        AuthListCommand.class, AuthWhoamiCommand.class, AuthCredentialProcessCommand.class, AuthEnvCommand.class,
        AuthExecCommand.class, AuthShellCommand.class})
final class AuthCommand extends CliCommand {
  /** As the Go atmos's persistent flag on {@code auth} (cmd/auth/auth.go): {@code atmos auth -i X whoami}. */
  @Option(names = {"-i", "--identity"}, paramLabel = "NAME", arity = "0..1", fallbackValue = IdentityPicker.SELECT,
      description = "Identity for the subcommand (env ATMOS_IDENTITY); a subcommand's own -i wins.")
  String identity;

  @Override
  public Integer call() {
    spec.commandLine().usage(invocation().err());
    return ExitCodes.USAGE;
  }
}
