package dev.atmosd.daemon.session;

import java.time.Instant;
import java.util.List;

/** A point-in-time view of one portal session; nulls mean "not known". Carries no secret. */
public record SessionSnapshot(
    String sessionKey,
    String startUrl,
    String region,
    List<String> providers,
    State state,
    Instant accessTokenExpiresAt,
    Instant nextRefreshAt,
    Instant registrationExpiresAt,
    boolean hasRefreshToken,
    Instant lastRefreshedAt,
    String lastError,
    int refreshCount,
    Instant lastErrorAt) {

  /** This view without a failure older than {@code since}: what went wrong long ago is history, not status. */
  public SessionSnapshot withFailuresSince(Instant since) {
    if (lastError == null || (lastErrorAt != null && !lastErrorAt.isBefore(since))) {
      return this;
    }
    return new SessionSnapshot(sessionKey, startUrl, region, providers, state, accessTokenExpiresAt, nextRefreshAt,
        registrationExpiresAt, hasRefreshToken, lastRefreshedAt, null, refreshCount, null);
  }

  public enum State { ACTIVE, SIGNING_IN, NEEDS_SIGN_IN, EXPIRED, NOT_SIGNED_IN }
}
