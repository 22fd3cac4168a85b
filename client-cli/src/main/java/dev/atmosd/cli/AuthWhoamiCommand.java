package dev.atmosd.cli;

import dev.atmosd.v1.AuthEvent;
import dev.atmosd.v1.CallerIdentity;
import dev.atmosd.v1.ClientContext;
import dev.atmosd.v1.IdentityRequest;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "whoami", description = "Show who an identity is to AWS (STS GetCallerIdentity).")
final class AuthWhoamiCommand extends CliCommand {
  @Option(names = {"-i", "--identity"}, arity = "0..1", fallbackValue = IdentityPicker.SELECT,
      description = "Identity (env ATMOS_IDENTITY; default: the default identity;"
          + " no value: pick one on a terminal).")
  String identity;

  @Option(names = {"-o", "--output", "-f", "--format"}, defaultValue = "text",
      description = "text or json (default: ${DEFAULT-VALUE}); -o/--output as Go's whoami, -f/--format as before.")
  String format;

  @Override
  public Integer call() {
    String chosen = checkFormat(format, "text", "json");
    Invocation invocation = invocation();
    ClientContext context = invocation.unattendedContext("auth whoami");
    AuthEvent result = follow(invocation.daemon().identities().whoami(IdentityRequest.newBuilder()
        .setContext(context).setIdentity(invocation.identity(identityFlag(identity))).build()), context);
    CallerIdentity caller = expect(result, AuthEvent.EventCase.CALLER_IDENTITY, "a caller identity")
        .getCallerIdentity();
    if (chosen.equals("json")) {
      invocation.out().print(StructuredOutput.json(ReplyDocuments.caller(caller)));
      return ExitCodes.OK;
    }
    Terminal terminal = invocation.stdoutTerminal();
    TextTable table = new TextTable();
    table.row("Identity", caller.getIdentity());
    if (!caller.getProvider().isEmpty()) {
      table.row("Provider", caller.getProvider());
    }
    table.row("Account", caller.getAccount());
    table.row("ARN", caller.getArn());
    if (!caller.getRegion().isEmpty()) {
      table.row("Region", caller.getRegion());
    }
    if (Timestamps.isSet(caller.getCredentialsExpireAt())) {
      Duration left = Duration.between(invocation.clock().instant(),
          Timestamps.toInstant(caller.getCredentialsExpireAt()));
      String in = "(in " + HumanDuration.format(left) + ")";
      table.row("Expires", Timestamps.human(caller.getCredentialsExpireAt()) + " "
          + (left.toMinutes() < 15 ? terminal.red(in) : in));
    }
    invocation.out().print(table.render(""));
    return ExitCodes.OK;
  }
}
