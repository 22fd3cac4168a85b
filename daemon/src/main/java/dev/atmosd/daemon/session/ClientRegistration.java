package dev.atmosd.daemon.session;

import java.time.Duration;
import java.time.Instant;

/**
 * An OIDC client registration (RegisterClient result). Registrations last for months, so one is reused for every
 * sign-in and refresh of a portal until it expires, instead of registering a new client per sign-in.
 * {@link #toString()} never shows the secret.
 */
record ClientRegistration(String clientId, String clientSecret, Instant expiresAt) {

  /** Whether the registration still works at {@code now} with {@code margin} to spare (a device flow takes minutes). */
  boolean usableAt(Instant now, Duration margin) {
    return clientId != null && clientSecret != null && (expiresAt == null || expiresAt.isAfter(now.plus(margin)));
  }

  @Override
  public String toString() {
    return "ClientRegistration[expiresAt=" + expiresAt + "]";
  }
}
