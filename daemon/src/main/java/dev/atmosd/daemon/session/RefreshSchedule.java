package dev.atmosd.daemon.session;

import java.time.Duration;
import java.time.Instant;

/**
 * When a portal's access token is renewed, in the shape of the AWS SDK's cached-supplier policy: a token is
 * <em>stale</em> when it has less than {@link #staleBefore} left (callers are not handed it; they wait for a new
 * one), and it is <em>prefetched</em> — renewed in the background with nobody asking — at the later of
 * {@link #prefetchFraction} of its lifetime and {@link #prefetchBefore} before expiry. Both points lie before expiry
 * for any lifetime, so an hour-long token renews at 48 minutes, an 8-hour one 20 minutes before it ends, and a
 * 5-second test token after 4 seconds. Failed background renewals back off exponentially.
 */
final class RefreshSchedule {
  static final RefreshSchedule DEFAULT = new RefreshSchedule(
      Duration.ofMinutes(5), Duration.ofMinutes(20), 0.8, Duration.ofSeconds(5), Duration.ofMinutes(5));

  private final Duration staleBefore;
  private final Duration prefetchBefore;
  private final double prefetchFraction;
  private final Duration firstRetry;
  private final Duration maxRetry;

  RefreshSchedule(Duration staleBefore, Duration prefetchBefore, double prefetchFraction, Duration firstRetry,
      Duration maxRetry) {
    this.staleBefore = staleBefore;
    this.prefetchBefore = prefetchBefore;
    this.prefetchFraction = prefetchFraction;
    this.firstRetry = firstRetry;
    this.maxRetry = maxRetry;
  }

  /** Whether a token expiring at {@code expiresAt} may still be handed to a caller at {@code now}. */
  boolean isFresh(Instant now, Instant expiresAt) {
    return expiresAt != null && expiresAt.isAfter(staleTime(now));
  }

  /** A token must outlive this instant to be handed out at {@code now}. */
  Instant staleTime(Instant now) {
    return now.plus(staleBefore);
  }

  /**
   * When to renew a token that was obtained (or, for one read from disk, first seen) at {@code issuedAt}. Never
   * before {@code issuedAt}; for a token already past both points that means "now".
   */
  Instant prefetchTime(Instant issuedAt, Instant expiresAt) {
    Duration lifetime = Duration.between(issuedAt, expiresAt);
    if (lifetime.isNegative() || lifetime.isZero()) {
      return issuedAt;
    }
    Instant byFraction = issuedAt.plusMillis((long) (lifetime.toMillis() * prefetchFraction));
    Instant byMargin = expiresAt.minus(prefetchBefore);
    Instant later = byFraction.isAfter(byMargin) ? byFraction : byMargin;
    return later.isBefore(issuedAt) ? issuedAt : later;
  }

  /** How long to wait before background renewal attempt {@code failures + 1} after {@code failures} failures. */
  Duration retryDelay(int failures) {
    long millis = firstRetry.toMillis() << Math.min(Math.max(failures - 1, 0), 16);
    return millis > maxRetry.toMillis() ? maxRetry : Duration.ofMillis(millis);
  }
}
