package dev.atmosd.cli;

import dev.atmosd.v1.ValidateReply;
import dev.atmosd.v1.ValidateRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code auth validate} as the Go atmos words it (cmd/auth/validate.go): the verdict goes to stderr, stdout stays
 * empty; a bad config is exit 1 with "Authentication configuration validation failed" and "invalid auth config". A
 * config that cannot be loaded at all because a profile asked for does not exist (NOT_FOUND) is not a verdict: Go
 * fails its config load before any command runs (cmd/root.go Execute, pkg/config/profiles.go loadProfiles: exit 2),
 * so it is reported as every other command reports it.
 */
@Command(name = "validate", description = "Validate the authentication configuration in atmos.yaml (the daemon parses it).")
final class AuthValidateCommand extends CliCommand {
  static final String VALID = "Authentication configuration is valid";
  static final String FAILED = "Authentication configuration validation failed: invalid auth config: ";

  @Option(names = {"-v", "--verbose"}, description = "Also say what is being validated (env ATMOS_AUTH_VALIDATE_VERBOSE).")
  boolean verbose;

  @Override
  public Integer call() {
    Invocation invocation = invocation();
    Terminal terminal = invocation.stderrTerminal();
    boolean chatty = verbose || "true".equalsIgnoreCase(invocation.env().get("ATMOS_AUTH_VALIDATE_VERBOSE"));
    if (chatty) {
      invocation.err().println("Validating authentication configuration...");
    }
    ValidateReply reply;
    try {
      reply = invocation.daemon().config().withDeadlineAfter(60, TimeUnit.SECONDS)
          .validate(ValidateRequest.newBuilder().setContext(invocation.context("auth validate", true)).build());
    } catch (StatusRuntimeException failure) {
      Status.Code code = failure.getStatus().getCode();
      if (ExitCodes.forStatus(code) != ExitCodes.USAGE || code == Status.Code.NOT_FOUND) {
        throw failure;   // no verdict (the daemon could not answer, or no config to judge): as any other command
      }
      invocation.err().println(terminal.red("✗") + " " + FAILED + firstLine(failure.getStatus().getDescription()));
      return ExitCodes.FAILED;
    }
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
    invocation.err().println(terminal.green("✓") + " " + VALID + " (" + reply.getConfigPath() + ": "
        + reply.getProviders() + (reply.getProviders() == 1 ? " provider, " : " providers, ") + identities + ")");
    if (chatty) {
      for (String file : reply.getImportedFilesList()) {
        invocation.err().println("  imported " + file);
      }
    }
    return ExitCodes.OK;
  }

  private static String firstLine(String message) {
    if (message == null || message.isBlank()) {
      return "the daemon gave no reason";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
