package dev.atmosd.daemon.credentials;

import java.time.Duration;
import java.time.Instant;

/**
 * When cached role credentials stop being handed out (stale) and when the daemon re-mints them ahead of need
 * (prefetch), in the spirit of the AWS SDK's cached-supplier stale/prefetch split.
 *
 * <p>botocore refreshes credentials with under 15 minutes left on every call, so with normal lifetimes the daemon
 * never hands out credentials closer than 15 minutes (plus a margin for clock skew and the client's own delay) to
 * their expiry, and re-mints about 20 minutes before expiry in the background. When the portal or STS only grants
 * short lifetimes, those fixed windows would re-mint on every request; then the windows scale with the lifetime:
 * prefetch at two thirds of it, stale at five sixths.
 */
public final class RefreshPolicy {
  /** botocore's advisory refresh window: credentials with less than this left look "expiring" to clients. */
  public static final Duration CLIENT_REFRESH_WINDOW = Duration.ofMinutes(15);
  static final Duration HAND_OUT_MARGIN = Duration.ofMinutes(1);
  static final Duration PREFETCH_BEFORE_EXPIRY = Duration.ofMinutes(20);
  /** Below this lifetime the fixed windows leave too little usable time between mints. */
  static final Duration SHORT_LIFETIME = Duration.ofMinutes(20);

  private RefreshPolicy() {}

  /** The two moments that matter for credentials minted at {@code mintedAt} and expiring at {@code expiration}. */
  public record Windows(Instant prefetchAt, Instant staleAt, Instant expiration) {
    /** Still worth handing out at {@code now}. */
    public boolean freshAt(Instant now) {
      return now.isBefore(staleAt);
    }

    /** Due for a background re-mint at {@code now}. */
    public boolean prefetchDueAt(Instant now) {
      return !now.isBefore(prefetchAt);
    }
  }

  public static Windows windows(Instant mintedAt, Instant expiration) {
    Duration lifetime = Duration.between(mintedAt, expiration);
    if (lifetime.isNegative() || lifetime.isZero()) {
      return new Windows(mintedAt, mintedAt, expiration);
    }
    if (lifetime.compareTo(SHORT_LIFETIME) < 0) {
      return new Windows(mintedAt.plus(lifetime.multipliedBy(2).dividedBy(3)),
          mintedAt.plus(lifetime.multipliedBy(5).dividedBy(6)), expiration);
    }
    Instant staleAt = expiration.minus(CLIENT_REFRESH_WINDOW).minus(HAND_OUT_MARGIN);
    // Prefetch 20 minutes ahead, but never in the first two thirds of the usable span, or a 21-minute lifetime
    // would re-mint the moment it was minted.
    Instant earliestPrefetch = mintedAt.plus(Duration.between(mintedAt, staleAt).multipliedBy(2).dividedBy(3));
    Instant prefetchAt = latest(expiration.minus(PREFETCH_BEFORE_EXPIRY), earliestPrefetch);
    return new Windows(prefetchAt, staleAt, expiration);
  }

  private static Instant latest(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }
}
