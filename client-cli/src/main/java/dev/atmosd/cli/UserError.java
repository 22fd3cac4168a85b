package dev.atmosd.cli;

/** A one-line problem the user can fix (bad flag value, missing file); printed without a stack trace, exit 2. */
public class UserError extends RuntimeException {
  private final int exitCode;

  public UserError(String message) {
    this(message, ExitCodes.USAGE);
  }

  public UserError(String message, int exitCode) {
    super(message, null, false, false);
    this.exitCode = exitCode;
  }

  public int exitCode() {
    return exitCode;
  }
}
