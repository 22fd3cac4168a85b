package dev.atmosd.cli;

import picocli.CommandLine.Command;

@Command(name = "auth", description = "Sign in, inspect sessions and hand credentials to tools.",
    subcommands = {AuthLoginCommand.class, AuthLogoutCommand.class, AuthStatusCommand.class, AuthValidateCommand.class,
        AuthListCommand.class, AuthWhoamiCommand.class, AuthCredentialProcessCommand.class, AuthEnvCommand.class,
        AuthExecCommand.class})
final class AuthCommand extends CliCommand {
  @Override
  public Integer call() {
    spec.commandLine().usage(invocation().err());
    return ExitCodes.USAGE;
  }
}
