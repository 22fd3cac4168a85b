package dev.atmosd.cli;

import io.grpc.Status;

/**
 * The CLI's exit codes, and how a daemon error becomes one. Kept in one place so the {@code --help} footer and the
 * code cannot disagree.
 */
public final class ExitCodes {
  public static final int OK = 0;
  /** The operation failed (the daemon, AWS, or a child process had a problem). */
  public static final int FAILED = 1;
  /** The user asked for something impossible: a bad flag, a bad atmos.yaml, an unknown identity or provider. */
  public static final int USAGE = 2;
  /** The command to run under {@code auth exec} / {@code terraform}, or the shell of {@code auth shell}, does not exist. */
  public static final int COMMAND_NOT_FOUND = 127;

  public static final String HELP_FOOTER = "%nExit codes:%n"
      + "  0    success%n"
      + "  1    the operation failed (daemon, AWS, network)%n"
      + "  2    usage or config error (bad flag, atmos.yaml, unknown identity)%n"
      + "  127  the program for `auth exec` / `terraform` (the shell for `auth shell`) was not found%n"
      + "  N    `auth exec` / `auth shell` / `terraform`: the program's exit code (128+signal)%n";

  private ExitCodes() {}

  /** The contract (atmosd.proto): INVALID_ARGUMENT, NOT_FOUND, FAILED_PRECONDITION are the user's to fix. */
  public static int forStatus(Status.Code code) {
    switch (code) {
      case INVALID_ARGUMENT:
      case NOT_FOUND:
      case FAILED_PRECONDITION:
        return USAGE;
      case OK:
        return OK;
      default:
        return FAILED;
    }
  }
}
