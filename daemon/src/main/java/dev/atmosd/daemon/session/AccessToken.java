package dev.atmosd.daemon.session;

import java.time.Instant;

/** A portal's bearer access token. {@link #toString()} never shows the value. */
public record AccessToken(String sessionKey, String value, Instant expiresAt) {
  @Override
  public String toString() {
    return "AccessToken[session=" + sessionKey + ", expiresAt=" + expiresAt + "]";
  }
}
