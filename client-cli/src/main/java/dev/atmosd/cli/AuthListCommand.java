package dev.atmosd.cli;

import dev.atmosd.v1.ListIdentitiesReply;
import dev.atmosd.v1.ListIdentitiesRequest;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "list", description = "List providers and identities (provisioned ones included) with credential state.")
final class AuthListCommand extends CliCommand {
  @Option(names = {"-f", "--format"}, defaultValue = "tree", description = "tree, json or yaml (default: ${DEFAULT-VALUE}).")
  String format;

  @Override
  public Integer call() {
    String chosen = checkFormat(format, "tree", "json", "yaml");
    Invocation invocation = invocation();
    ListIdentitiesReply reply = invocation.daemon().identities().withDeadlineAfter(60, TimeUnit.SECONDS)
        .listIdentities(
        ListIdentitiesRequest.newBuilder().setContext(invocation.context("auth list", true)).build());
    switch (chosen) {
      case "json":
        invocation.out().print(StructuredOutput.json(ReplyDocuments.identities(reply)));
        break;
      case "yaml":
        invocation.out().print(StructuredOutput.yaml(ReplyDocuments.identities(reply)));
        break;
      default:
        invocation.out().print(new IdentityTreeRenderer(invocation.stdoutTerminal(), invocation.clock().instant())
            .render(reply));
    }
    return ExitCodes.OK;
  }
}
