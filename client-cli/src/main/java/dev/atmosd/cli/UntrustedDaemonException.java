package dev.atmosd.cli;

import java.io.IOException;

/**
 * The socket, its directory or the process behind it is not the user's own: whoever answers there could be another
 * user posing as atmosd. An IOException so that gRPC carries it as the cause of the failed connection.
 */
public final class UntrustedDaemonException extends IOException {
  public UntrustedDaemonException(String message) {
    super(message, null);
  }

  /** The refusal somewhere in {@code failure}'s causes, or null. */
  static UntrustedDaemonException findIn(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof UntrustedDaemonException) {
        return (UntrustedDaemonException) cause;
      }
      if (cause.getCause() == cause) {
        break;
      }
    }
    return null;
  }
}
