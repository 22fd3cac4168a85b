package dev.atmosd.cli;

import dev.atmosd.v1.ValidateReply;
import dev.atmosd.v1.ValidateRequest;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;

@Command(name = "validate", description = "Check the auth section of atmos.yaml (the daemon parses it).")
final class AuthValidateCommand extends CliCommand {
  @Override
  public Integer call() {
    Invocation invocation = invocation();
    ValidateReply reply = invocation.daemon().config().withDeadlineAfter(60, TimeUnit.SECONDS)
        .validate(ValidateRequest.newBuilder().setContext(invocation.context("auth validate", true)).build());
    Terminal terminal = invocation.stderrTerminal();
    for (String warning : reply.getWarningsList()) {
      invocation.err().println(terminal.yellow("!") + " " + warning);
    }
    for (String note : reply.getNotesList()) {
      invocation.err().println("note: " + note);
    }
    String identities = reply.getIdentities() + (reply.getIdentities() == 1 ? " identity" : " identities");
    if (reply.getProvisionedIdentities() > 0) {
      identities += ", " + reply.getProvisionedIdentities() + " provisioned";
    }
    invocation.out().println(invocation.stdoutTerminal().green("✓") + " auth configuration is valid: "
        + reply.getConfigPath() + " (" + reply.getProviders() + (reply.getProviders() == 1 ? " provider, " : " providers, ")
        + identities + ")");
    return ExitCodes.OK;
  }
}
