package dev.atmosd.cli;

import dev.atmosd.v1.ListIdentitiesReply;
import dev.atmosd.v1.ListIdentitiesRequest;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code auth list} with the Go atmos's formats and filters (cmd/auth/list.go). */
@Command(name = "list", description = "List providers and identities (provisioned ones included) with credential state.")
final class AuthListCommand extends CliCommand {
  @Option(names = {"-f", "--format"}, defaultValue = "tree",
      description = "tree, table, json, yaml, graphviz (dot), mermaid, markdown (md) (default: ${DEFAULT-VALUE}).")
  String format;

  @Option(names = "--providers", arity = "0..1", fallbackValue = "", paramLabel = "a,b",
      description = "Show only providers (optionally those named: --providers=sso,okta).")
  String providers;

  @Option(names = "--identities", arity = "0..1", fallbackValue = "", paramLabel = "x,y",
      description = "Show only identities (optionally those named: --identities=admin,dev).")
  String identities;

  @Option(names = "--tags", paramLabel = "a,b",
      description = "Keep entries with any of these tags (env ATMOS_AUTH_TAGS).")
  String tags;

  @Override
  public Integer call() {
    String chosen = checkFormat(format, "tree", "table", "json", "yaml", "graphviz", "dot", "mermaid", "markdown", "md");
    Invocation invocation = invocation();
    ListSelection selection = new ListSelection(providers, identities,
        tags != null ? tags : invocation.env().get("ATMOS_AUTH_TAGS"));
    ListIdentitiesReply reply = selection.apply(invocation.daemon().identities().withDeadlineAfter(60, TimeUnit.SECONDS)
        .listIdentities(ListIdentitiesRequest.newBuilder().setContext(invocation.context("auth list", true)).build()));
    invocation.out().print(render(chosen, reply, invocation));
    return ExitCodes.OK;
  }

  private static String render(String format, ListIdentitiesReply reply, Invocation invocation) {
    switch (format) {
      case "json": return StructuredOutput.json(ReplyDocuments.identities(reply));
      case "yaml": return StructuredOutput.yaml(ReplyDocuments.identities(reply));
      case "table": return new IdentityTableRenderer(invocation.stdoutTerminal(), invocation.clock().instant()).render(reply);
      case "graphviz":
      case "dot": return IdentityGraphRenderer.graphviz(reply);
      case "mermaid": return IdentityGraphRenderer.mermaid(reply);
      case "markdown":
      case "md": return IdentityGraphRenderer.markdown(reply);
      default: return new IdentityTreeRenderer(invocation.stdoutTerminal(), invocation.clock().instant()).render(reply);
    }
  }
}
