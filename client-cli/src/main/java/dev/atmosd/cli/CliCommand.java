package dev.atmosd.cli;

import dev.atmosd.v1.AuthEvent;
import dev.atmosd.v1.ClientContext;
import java.util.Iterator;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A picocli command with access to this run's {@link Invocation}. The empty {@code @Command} (no attributes, nothing
 * for the subclasses to inherit) is what picocli's annotation processor requires of a class holding {@code @Spec}.
 */
@Command
abstract class CliCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  Invocation invocation() {
    return ((Atmos) spec.root().userObject()).invocation();
  }

  /**
   * The identity flag in effect: the subcommand's own {@code -i}, else the one given to {@code auth} itself
   * ({@code atmos auth -i X whoami}, as Go's persistent flag); null when neither was given. {@code -i} without a
   * value picks one interactively ({@link IdentityPicker}).
   */
  String identityFlag(String own) {
    String chosen = own;
    for (CommandSpec parent = spec.parent(); chosen == null && parent != null; parent = parent.parent()) {
      if (parent.userObject() instanceof AuthCommand auth) {
        chosen = auth.identity;
      }
    }
    if (IdentityPicker.SELECT.equals(chosen)) {
      chosen = IdentityPicker.pick(invocation(), "auth " + spec.name());
    }
    return chosen;
  }

  /** Shows the sign-in prompts of an event stream and returns its result event. */
  AuthEvent follow(Iterator<AuthEvent> events, ClientContext context) {
    Invocation invocation = invocation();
    return new SignInPrompter(invocation.err(), invocation.stderrTerminal(), invocation.browser(),
        context.getMayOpenBrowser(), invocation.clock()).follow(events);
  }

  /** The result a streaming call promised; a stream that ended without it is the daemon's bug, not the user's. */
  static AuthEvent expect(AuthEvent result, AuthEvent.EventCase wanted, String what) {
    if (result == null || result.getEventCase() != wanted) {
      throw new UserError("atmosd ended the call without " + what, ExitCodes.FAILED);
    }
    return result;
  }

  static String checkFormat(String format, String... allowed) {
    for (String candidate : allowed) {
      if (candidate.equalsIgnoreCase(format)) {
        return candidate;
      }
    }
    throw new UserError("unknown --format " + format + ": use " + String.join(", ", allowed));
  }
}
