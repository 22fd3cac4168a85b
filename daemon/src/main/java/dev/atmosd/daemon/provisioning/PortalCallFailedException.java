package dev.atmosd.daemon.provisioning;

/** A portal call given up on (retries exhausted, or an error no retry can fix); the message is one line, no token. */
final class PortalCallFailedException extends Exception {
  private final boolean unauthorized;

  PortalCallFailedException(String message, boolean unauthorized, Throwable cause) {
    super(message, cause, false, false);
    this.unauthorized = unauthorized;
  }

  /** The portal rejected the token itself (401): the session is gone, not this one call. */
  boolean unauthorized() {
    return unauthorized;
  }
}
