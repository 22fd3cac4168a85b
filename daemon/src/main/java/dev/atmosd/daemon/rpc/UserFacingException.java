package dev.atmosd.daemon.rpc;

import io.grpc.Status;

/**
 * A failure the user can act on, with the gRPC status it maps to and a one-line message that names what failed
 * and what to do. Message text must never contain a token, secret or credential.
 * Typical statuses: PERMISSION_DENIED (access denied), DEADLINE_EXCEEDED (device code expired), UNAVAILABLE (AWS or
 * the emulator unreachable), RESOURCE_EXHAUSTED (throttled), FAILED_PRECONDITION (sign-in needed but not possible).
 */
public class UserFacingException extends RuntimeException {
  private final transient Status status;

  public UserFacingException(Status status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  public Status status() {
    return status;
  }
}
