package dev.atmosd.cli;

import dev.atmosd.v1.LogoutReply;
import dev.atmosd.v1.LogoutRequest;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "logout", description = "Sign out: forget a provider's session (or all) and its provisioned identities.")
final class AuthLogoutCommand extends CliCommand {
  @Option(names = {"-p", "--provider"}, description = "Provider to sign out of (default: the default provider).")
  String provider;

  @Option(names = "--all", description = "Sign out of every portal.")
  boolean all;

  @Override
  public Integer call() {
    if (provider != null && all) {
      throw new UserError("use either --provider or --all, not both");
    }
    Invocation invocation = invocation();
    LogoutRequest.Builder request = LogoutRequest.newBuilder()
        .setContext(invocation.context("auth logout", true)).setAll(all);
    if (provider != null) {
      request.setProvider(provider);
    }
    LogoutReply reply = invocation.daemon().sessions().withDeadlineAfter(60, TimeUnit.SECONDS)
        .logout(request.build());
    Terminal terminal = invocation.stderrTerminal();
    for (String warning : reply.getWarningsList()) {
      invocation.err().println(terminal.yellow("!") + " " + warning);
    }
    if (reply.getSessionsRemovedCount() == 0 && reply.getFilesRemovedCount() == 0) {
      invocation.out().println("Nothing to remove: not signed in.");
      return ExitCodes.OK;
    }
    int sessions = reply.getSessionsRemovedCount();
    invocation.out().println(invocation.stdoutTerminal().green("✓") + " Signed out: removed " + sessions
        + (sessions == 1 ? " session" : " sessions") + " and " + reply.getFilesRemovedCount()
        + (reply.getFilesRemovedCount() == 1 ? " file" : " files"));
    for (String file : reply.getFilesRemovedList()) {
      invocation.out().println("  removed " + file);
    }
    return ExitCodes.OK;
  }
}
