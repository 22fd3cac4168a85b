package dev.atmosd.daemon.session;

import java.time.Instant;

/**
 * Everything the daemon knows about one portal session, exactly the fields the AWS SDKs keep in an SSO cache file.
 * {@code registration} and {@code refreshToken} may be null (a session signed in without refresh support).
 * {@link #toString()} never shows a token or secret.
 */
record StoredSession(
    String startUrl,
    String region,
    String accessToken,
    Instant expiresAt,
    ClientRegistration registration,
    String refreshToken) {

  /** Whether the access token is still good for more than the given instant. */
  boolean accessTokenValidBeyond(Instant instant) {
    return accessToken != null && expiresAt != null && expiresAt.isAfter(instant);
  }

  boolean canRefreshAt(Instant now) {
    return refreshToken != null && registration != null
        && registration.clientId() != null && registration.clientSecret() != null
        && (registration.expiresAt() == null || registration.expiresAt().isAfter(now));
  }

  /** The session after a successful CreateToken: a token endpoint that does not rotate keeps the old refresh token. */
  StoredSession withNewToken(String newAccessToken, Instant newExpiresAt, String rotatedRefreshToken, ClientRegistration reg) {
    return new StoredSession(startUrl, region, newAccessToken, newExpiresAt, reg,
        rotatedRefreshToken != null && !rotatedRefreshToken.isEmpty() ? rotatedRefreshToken : refreshToken);
  }

  AccessToken toAccessToken(String sessionKey) {
    return new AccessToken(sessionKey, accessToken, expiresAt);
  }

  @Override
  public String toString() {
    return "StoredSession[startUrl=" + startUrl + ", region=" + region + ", expiresAt=" + expiresAt
        + ", hasRefreshToken=" + (refreshToken != null) + ", " + registration + "]";
  }
}
