package dev.atmosd.cli;

import dev.atmosd.v1.IdentityInfo;
import dev.atmosd.v1.ListIdentitiesReply;
import dev.atmosd.v1.ListIdentitiesRequest;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code -i} / {@code --identity} without a value, as the Go atmos treats it (cmd/auth/auth.go NoOptDefVal
 * {@code __SELECT__}, pkg/auth manager GetDefaultIdentity(forceSelect)): a numbered choice on a terminal; elsewhere
 * (a pipe, CI) one line saying how to name the identity, exit 1 as Go's "interactive identity selection requires a TTY".
 */
final class IdentityPicker {
  /** The value picocli gives {@code -i} when it has none; never a valid identity name in atmos.yaml. */
  static final String SELECT = "__SELECT__";

  private IdentityPicker() {}

  static String pick(Invocation invocation, String command) {
    if (!invocation.interactive()) {
      throw new UserError("interactive identity selection requires a TTY: name one with --identity NAME"
          + " (or ATMOS_IDENTITY); atmos auth list shows them", ExitCodes.FAILED);
    }
    ListIdentitiesReply reply = invocation.daemon().identities().withDeadlineAfter(60, TimeUnit.SECONDS)
        .listIdentities(ListIdentitiesRequest.newBuilder().setContext(invocation.context(command, true)).build());
    List<IdentityInfo> identities = reply.getIdentitiesList().stream().filter(i -> i.getNotRunReason().isEmpty())
        .sorted(Comparator.comparing(IdentityInfo::getName)).toList();
    if (identities.isEmpty()) {
      throw new UserError("no identities available: add one to auth.identities in atmos.yaml");
    }
    Terminal terminal = invocation.stderrTerminal();
    invocation.err().println(terminal.bold("Select an identity:"));
    for (int n = 0; n < identities.size(); n++) {
      IdentityInfo identity = identities.get(n);
      invocation.err().printf("  %2d) %s%s%n", n + 1, identity.getName(),
          identity.getIsDefault() ? terminal.dim(" (default)") : "");
    }
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    while (true) {
      invocation.err().print("Number or name: ");
      invocation.err().flush();
      String line;
      try {
        line = in.readLine();
      } catch (IOException unreadable) {
        line = null;
      }
      if (line == null) {
        throw new UserError("no identity selected", ExitCodes.FAILED);
      }
      String answer = line.strip();
      for (int n = 0; n < identities.size(); n++) {
        if (answer.equals(String.valueOf(n + 1)) || answer.equals(identities.get(n).getName())) {
          return identities.get(n).getName();
        }
      }
      invocation.err().println("  not one of the above: type 1-" + identities.size() + " or a name");
    }
  }
}
