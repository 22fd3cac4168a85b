package dev.atmosd.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "exec", description = "Run a command with an identity's credentials (through the daemon's endpoint).")
final class AuthExecCommand extends CliCommand {
  @Option(names = {"-i", "--identity"}, arity = "0..1", fallbackValue = IdentityPicker.SELECT,
      description = "Identity (env ATMOS_IDENTITY; default: the default identity;"
          + " no value: pick one on a terminal).")
  String identity;

  @Parameters(arity = "1..*", paramLabel = "COMMAND", description = "The command and its arguments (after --).")
  List<String> command = new ArrayList<>();

  @Override
  public Integer call() {
    String program = command.get(0);
    return GrantedCommandRunner.run(this, "auth exec", identityFlag(identity), program, command.subList(1, command.size()),
        program + ": command not found on PATH");
  }
}
