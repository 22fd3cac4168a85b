package dev.atmosd.daemon.rpc;

/**
 * Why the daemon will not start, with the process exit code to end with: {@link #USAGE} (2) for a bad flag, socket
 * path or socket directory, {@link #ALREADY_RUNNING} (3) when another daemon serves the socket, {@link #FAILED} (1)
 * for anything else. The message is one line for stderr and the log.
 */
public final class StartupRefusedException extends RuntimeException {
  public static final int FAILED = 1;
  public static final int USAGE = 2;
  public static final int ALREADY_RUNNING = 3;

  private final int exitCode;

  public StartupRefusedException(int exitCode, String message) {
    super(message, null, false, false);
    this.exitCode = exitCode;
  }

  public int exitCode() {
    return exitCode;
  }
}
