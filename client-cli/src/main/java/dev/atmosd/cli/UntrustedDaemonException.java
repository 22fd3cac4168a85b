package dev.atmosd.cli;

import java.io.IOException;

/**
 * The process behind the socket does not run as the user: it could be another user posing as atmosd. An IOException,
 * as Netty expects of a failed connect; gRPC does not pass it on, so {@link DaemonConnection#refusal()} keeps it.
 */
public final class UntrustedDaemonException extends IOException {
  public UntrustedDaemonException(String message) {
    super(message, null);
  }
}
