package dev.atmosd.daemon.provisioning;

import java.time.Duration;

/**
 * The knobs of discovery that are not user configuration: retry budget, backoff and the portal rate budget.
 * {@link #DEFAULTS} suits the real portal; tests pass a faster set so retries do not cost seconds.
 *
 * @param maxParallelism upper bound on workers per discovery, whatever {@code provisioning.parallelism} says
 * @param attempts       tries per portal call (429, 5xx, connection errors) before that call is given up
 * @param backoffBase    first retry delay; doubles per attempt, with equal jitter, up to {@code backoffCap}
 * @param initialRate    requests per second a portal's pool starts at
 * @param minRate        floor the pool never slows below
 * @param maxRate        ceiling the pool never exceeds (about what ListAccountRoles tolerates, peer-tools §9.5)
 * @param increase       permits/s gained per second of clean traffic (the additive part of AIMD)
 * @param burst          requests that may leave at once after a quiet spell
 */
public record DiscoveryTuning(
    int maxParallelism,
    int attempts,
    Duration backoffBase,
    Duration backoffCap,
    double initialRate,
    double minRate,
    double maxRate,
    double increase,
    int burst) {

  public static final DiscoveryTuning DEFAULTS =
      new DiscoveryTuning(32, 10, Duration.ofMillis(200), Duration.ofSeconds(10), 20, 1, 20, 2, 10);

  AdaptiveRateLimiter newLimiter() {
    return new AdaptiveRateLimiter(initialRate, minRate, maxRate, increase, burst);
  }
}
