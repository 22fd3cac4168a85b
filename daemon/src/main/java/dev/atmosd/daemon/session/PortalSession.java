package dev.atmosd.daemon.session;

import dev.atmosd.daemon.config.ProviderConfig;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;

/**
 * What the daemon holds for one portal (start URL + region), shared by every provider that points at it. Plain
 * state, guarded by this object's monitor; {@link SessionRegistry} does the work.
 */
final class PortalSession {
  final String key;
  final String startUrl;
  final String region;

  // all guarded by this
  /** Every provider name seen for this portal, in first-seen order (renaming a provider keeps the session). */
  final Set<String> providers = new LinkedHashSet<>();
  /** The provider last asked through: its endpoints serve background work. */
  ProviderConfig lastProvider;
  /** The newest known session, possibly with an expired access token; null before any sign-in or disk load. */
  StoredSession stored;
  /** When {@code stored}'s access token was issued (or first seen, for one read from disk). */
  Instant issuedAt;
  /** A registration from a device flow that did not finish; reused by the next one. */
  ClientRegistration spareRegistration;
  /** An access token the portal refused (invalidate): never handed out again, even if the disk still has it. */
  String rejectedAccessToken;
  /** A refresh token the token endpoint refused: the session needs a sign-in; the file stays until one succeeds. */
  String rejectedRefreshToken;
  boolean diskChecked;
  boolean closed;

  SignInAttempt attempt;
  ScheduledFuture<?> refreshTimer;
  /** Bumped whenever the timer is armed or cancelled, so a timer that fires late knows it was superseded. */
  long timerGeneration;
  Instant nextRefreshAt;
  int refreshFailures;
  int refreshCount;
  Instant lastRefreshedAt;
  String lastError;
  /** When {@code lastError} happened: status shows only recent failures. */
  Instant lastErrorAt;

  PortalSession(String startUrl, String region) {
    this.key = PortalKey.of(startUrl, region);
    this.startUrl = startUrl;
    this.region = region;
  }

  synchronized void seen(ProviderConfig provider) {
    providers.add(provider.name());
    lastProvider = provider;
  }

  /** The in-memory token if it may be handed out now (not refused, not stale). */
  synchronized Optional<AccessToken> freshToken(Instant now, RefreshSchedule schedule) {
    if (!closed && usable(stored) && schedule.isFresh(now, stored.expiresAt())) {
      return Optional.of(stored.toAccessToken(key));
    }
    return Optional.empty();
  }

  /** Whether {@code session}'s access token has not been refused by the portal. */
  synchronized boolean usable(StoredSession session) {
    return session != null && session.accessToken() != null && !session.accessToken().equals(rejectedAccessToken);
  }

  /** Whether {@code session}'s refresh token may be tried (present, registration alive, not already refused). */
  synchronized boolean refreshable(StoredSession session, Instant now) {
    return session != null && session.canRefreshAt(now) && !session.refreshToken().equals(rejectedRefreshToken);
  }

  /** Takes {@code session} as the current one. */
  synchronized void adopt(StoredSession session, Instant issued) {
    stored = session;
    issuedAt = issued;
    spareRegistration = null;
  }

  /** The registration a new device flow should reuse, if any. */
  synchronized ClientRegistration reusableRegistration() {
    if (stored != null && stored.registration() != null) {
      if (spareRegistration == null || (stored.registration().expiresAt() != null && spareRegistration.expiresAt() != null
          && stored.registration().expiresAt().isAfter(spareRegistration.expiresAt()))) {
        return stored.registration();
      }
    }
    return spareRegistration;
  }

  synchronized SessionSnapshot snapshot(Instant now) {
    SessionSnapshot.State state;
    boolean refreshRefused = stored != null && stored.refreshToken() != null
        && stored.refreshToken().equals(rejectedRefreshToken);
    if (attempt != null && attempt.stage == SignInAttempt.Stage.SIGNING_IN) {
      state = SessionSnapshot.State.SIGNING_IN;
    } else if (stored == null) {
      state = SessionSnapshot.State.NOT_SIGNED_IN;
    } else if (refreshRefused) {
      state = SessionSnapshot.State.NEEDS_SIGN_IN;
    } else if (usable(stored) && stored.accessTokenValidBeyond(now)) {
      state = SessionSnapshot.State.ACTIVE;
    } else if (stored.canRefreshAt(now)) {
      state = SessionSnapshot.State.EXPIRED;
    } else {
      state = SessionSnapshot.State.NEEDS_SIGN_IN;
    }
    ClientRegistration registration = stored == null ? null : stored.registration();
    return new SessionSnapshot(key, startUrl, region, new ArrayList<>(providers), state,
        stored == null ? null : stored.expiresAt(), nextRefreshAt,
        registration == null ? null : registration.expiresAt(),
        stored != null && stored.refreshToken() != null && !refreshRefused,
        lastRefreshedAt, lastError, refreshCount, lastError == null ? null : lastErrorAt);
  }
}
