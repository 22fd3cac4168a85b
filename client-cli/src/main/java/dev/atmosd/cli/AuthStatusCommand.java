package dev.atmosd.cli;

import dev.atmosd.v1.StatusReply;
import dev.atmosd.v1.StatusRequest;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "status", description = "Show the daemon and every portal session: state, expiry, next refresh.")
final class AuthStatusCommand extends CliCommand {
  @Option(names = {"-f", "--format"}, defaultValue = "text", description = "text or json (default: ${DEFAULT-VALUE}).")
  String format;

  @Override
  public Integer call() {
    String chosen = checkFormat(format, "text", "json");
    Invocation invocation = invocation();
    StatusReply reply = invocation.daemon().sessions()
        .withDeadlineAfter(DaemonConnection.ANSWER_WITHIN_SECONDS, TimeUnit.SECONDS)
        .status(StatusRequest.newBuilder().setContext(invocation.context("auth status", true)).build());
    if (chosen.equals("json")) {
      invocation.out().print(StructuredOutput.json(ReplyDocuments.status(reply)));
    } else {
      invocation.out().print(new StatusRenderer(invocation.stdoutTerminal(), invocation.clock().instant())
          .status(reply));
    }
    return ExitCodes.OK;
  }
}
