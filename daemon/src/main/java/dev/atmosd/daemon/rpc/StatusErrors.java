package dev.atmosd.daemon.rpc;

import dev.atmosd.daemon.config.ConfigException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns whatever a call failed with into the gRPC status the CLI maps to an exit code. User-facing failures carry
 * their own one-line message; anything unexpected becomes INTERNAL with a generic line, and its details go to the
 * log by class name only, since an SDK exception message may quote a request.
 */
public final class StatusErrors {
  private static final Logger log = LoggerFactory.getLogger(StatusErrors.class);

  private StatusErrors() {}

  public static StatusRuntimeException toStatus(Throwable failure) {
    Throwable cause = unwrap(failure);
    if (cause instanceof StatusRuntimeException status) {
      return status;
    }
    if (cause instanceof ConfigException config) {
      return (config.isNotFound() ? Status.NOT_FOUND : Status.INVALID_ARGUMENT)
          .withDescription(oneLine(config.getMessage())).asRuntimeException();
    }
    if (cause instanceof UserFacingException user) {
      return user.status().withDescription(oneLine(user.getMessage())).asRuntimeException();
    }
    if (cause instanceof CancellationException) {
      return Status.CANCELLED.withDescription("cancelled").asRuntimeException();
    }
    log.error("unexpected failure: {}", cause.getClass().getName(), cause);
    return Status.INTERNAL.withDescription("atmosd hit an internal error (" + cause.getClass().getSimpleName()
        + "); see the daemon log").asRuntimeException();
  }

  public static Throwable unwrap(Throwable failure) {
    Throwable cause = failure;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  /** Room for any real message; a caller's 100 kB identity name must not become a 100 kB status (gRPC caps at 8 KiB). */
  static final int MAX_MESSAGE_LENGTH = 1000;

  static String oneLine(String message) {
    String line = message == null ? "" : message.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
    return line.length() <= MAX_MESSAGE_LENGTH ? line : line.substring(0, MAX_MESSAGE_LENGTH - 1) + "…";
  }
}
