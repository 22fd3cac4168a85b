package dev.atmosd.daemon.session;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import software.amazon.awssdk.services.ssooidc.SsoOidcClient;
import software.amazon.awssdk.services.ssooidc.model.CreateTokenRequest;
import software.amazon.awssdk.services.ssooidc.model.CreateTokenResponse;

/**
 * {@code CreateToken grant_type=refresh_token}: a new access token with no browser. The token endpoint may rotate
 * the refresh token; the rotated one is kept (the old one may stop working), and the old one when none comes back.
 * Blocking; runs on the engine's AWS-call executor.
 */
final class RefreshTokenExchange {
  static final String GRANT_TYPE = "refresh_token";

  /** The renewed session and when its token was issued (the start of its lifetime for the refresh schedule). */
  record Renewed(StoredSession session, Instant issuedAt) {}

  private RefreshTokenExchange() {}

  static Renewed renew(SsoOidcClient oidc, StoredSession session, Clock clock) {
    ClientRegistration registration = session.registration();
    CreateTokenResponse response = oidc.createToken(CreateTokenRequest.builder()
        .clientId(registration.clientId())
        .clientSecret(registration.clientSecret())
        .grantType(GRANT_TYPE)
        .refreshToken(session.refreshToken())
        .build());
    Instant issuedAt = clock.instant();
    Instant expiresAt = expiry(issuedAt, response.expiresIn());
    return new Renewed(session.withNewToken(response.accessToken(), expiresAt, response.refreshToken(), registration),
        issuedAt);
  }

  /** {@code now + expiresIn}, whole seconds, as every SDK computes it (and as the cache file can hold it). */
  static Instant expiry(Instant issuedAt, Integer expiresInSeconds) {
    int seconds = expiresInSeconds == null ? 3600 : expiresInSeconds;
    return issuedAt.truncatedTo(ChronoUnit.SECONDS).plusSeconds(seconds);
  }
}
