package dev.atmosd.cli;

import dev.atmosd.v1.LogoutReply;
import dev.atmosd.v1.LogoutRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.PrintStream;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code atmos auth logout [IDENTITY] [--provider P | --all] [--dry-run]}, as the Go atmos's (cmd/auth/logout.go):
 * an identity logout removes that identity's own credentials and keeps the portal session its provider shares with
 * the other identities; {@code --dry-run} shows on stderr what would be removed and removes nothing.
 */
@Command(name = "logout", description = {
    "Sign out: forget a provider's session (or all) and its provisioned identities;",
    "with IDENTITY, only that identity's cached credentials and endpoint grants (the portal session stays)."})
final class AuthLogoutCommand extends CliCommand {
  @Parameters(index = "0", arity = "0..1", paramLabel = "IDENTITY",
      description = "Identity to log out (as -i; this one wins when both are given). One not in atmos.yaml exits 1,"
          + " as Go's logout.")
  String identity;

  @Option(names = {"-i", "--identity"}, paramLabel = "NAME", arity = "0..1", fallbackValue = IdentityPicker.SELECT,
      description = "Identity to log out (no value: pick one on a terminal). ATMOS_IDENTITY is not read here: a plain"
          + " `auth logout` signs out of the default provider.")
  String identityOption;

  @Option(names = {"-p", "--provider"}, description = "Provider to sign out of (default: the default provider).")
  String provider;

  @Option(names = "--all", description = "Sign out of every portal.")
  boolean all;

  @Option(names = "--dry-run", description = "Show what would be removed, on stderr, and remove nothing.")
  boolean dryRun;

  @Override
  public Integer call() {
    if (provider != null && all) {
      throw new UserError("use either --provider or --all, not both");
    }
    String target = identity != null ? identity.strip() : identityFlag(identityOption);
    boolean byIdentity = target != null && !target.isBlank();
    if (byIdentity && (provider != null || all)) {
      throw new UserError("use one of IDENTITY, --provider or --all, not several");
    }
    Invocation invocation = invocation();
    LogoutRequest.Builder request = LogoutRequest.newBuilder()
        .setContext(invocation.context("auth logout", true)).setAll(all).setDryRun(dryRun);
    if (provider != null) {
      request.setProvider(provider);
    }
    if (byIdentity) {
      request.setIdentity(target.strip());
    }
    LogoutReply reply;
    try {
      reply = invocation.daemon().sessions().withDeadlineAfter(60, TimeUnit.SECONDS).logout(request.build());
    } catch (StatusRuntimeException e) {
      if (byIdentity && e.getStatus().getCode() == Status.Code.NOT_FOUND) {
        // Go's logout fails an identity not in the config with exit 1 (ErrIdentityNotInConfig carries no exit code).
        throw new UserError(e.getStatus().getDescription(), ExitCodes.FAILED);
      }
      throw e;
    }
    Terminal terminal = invocation.stderrTerminal();
    for (String warning : reply.getWarningsList()) {
      invocation.err().println(terminal.yellow("!") + " " + warning);
    }
    if (reply.getDryRun()) {
      printDryRun(reply, byIdentity ? target.strip() : null, invocation.err());
    } else if (byIdentity) {
      printIdentityLogout(reply, target.strip(), invocation);
    } else {
      printPortalLogout(reply, invocation);
    }
    return ExitCodes.OK;
  }

  private static boolean removesNothing(LogoutReply reply) {
    return reply.getSessionsRemovedCount() == 0 && reply.getFilesRemovedCount() == 0
        && reply.getCredentialsRemovedCount() == 0 && reply.getGrantsRevoked() == 0;
  }

  /** The credentials and grants a logout drops, one aligned row each; shared by every kind of logout. */
  private static void credentialRows(LogoutReply reply, TextTable rows, boolean preview) {
    if (reply.getCredentialsRemovedCount() > 0) {
      String names = String.join(", ", reply.getCredentialsRemovedList());
      rows.row(preview ? "• Credentials:" : "forgot", preview ? names + " (cached role credentials)"
          : "cached credentials of " + names);
    }
    int grants = reply.getGrantsRevoked();
    if (grants > 0) {
      rows.row(preview ? "• Grants:" : "revoked", grants == 1 ? "1 endpoint grant (its token stops working)"
          : grants + " endpoint grants (their tokens stop working)");
    }
  }

  /** Go prints its preview on the UI channel, stderr (pkg/ui MarkdownMessagef, Writef), and so does this. */
  private static void printDryRun(LogoutReply reply, String identity, PrintStream err) {
    err.println("Dry run mode: No credentials will be removed");
    err.println();
    if (removesNothing(reply)) {
      err.println("Would remove: nothing (" + (identity != null
          ? identity + " holds no cached credentials or endpoint grants" : "not signed in") + ")");
      return;
    }
    err.println("Would remove:");
    TextTable rows = new TextTable();
    reply.getSessionsRemovedList().forEach(key -> rows.row("• Session:", key));
    reply.getFilesRemovedList().forEach(file -> rows.row("• Files:", file));
    credentialRows(reply, rows, true);
    err.print(rows.render("  "));
    if (identity != null) {
      err.println("The portal session stays signed in for the other identities.");
    }
  }

  private static void printIdentityLogout(LogoutReply reply, String identity, Invocation invocation) {
    if (removesNothing(reply)) {
      invocation.out().println("Nothing to remove: " + identity + " holds no cached credentials or endpoint grants.");
      return;
    }
    invocation.out().println(invocation.stdoutTerminal().green("✓") + " Logged out " + identity
        + " (the portal session stays signed in for the other identities)");
    TextTable rows = new TextTable();
    credentialRows(reply, rows, false);
    invocation.out().print(rows.render("  "));
  }

  private static void printPortalLogout(LogoutReply reply, Invocation invocation) {
    if (removesNothing(reply)) {
      invocation.out().println("Nothing to remove: not signed in.");
      return;
    }
    int sessions = reply.getSessionsRemovedCount();
    invocation.out().println(invocation.stdoutTerminal().green("✓") + " Signed out: removed " + sessions
        + (sessions == 1 ? " session" : " sessions") + " and " + reply.getFilesRemovedCount()
        + (reply.getFilesRemovedCount() == 1 ? " file" : " files"));
    TextTable rows = new TextTable();
    reply.getFilesRemovedList().forEach(file -> rows.row("removed", file));
    credentialRows(reply, rows, false);
    invocation.out().print(rows.render("  "));
  }
}
