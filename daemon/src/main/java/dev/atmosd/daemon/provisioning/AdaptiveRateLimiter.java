package dev.atmosd.daemon.provisioning;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * One portal's request budget, shared by every worker of every discovery against that portal: a token bucket whose
 * refill rate adapts AIMD-style. A 429 halves the rate for the whole pool at once and empties the burst, so the
 * other workers stop hammering too; each success adds {@code increase / rate} permits per second, i.e. about
 * {@code increase} per second of clean traffic, up to {@code maxRate}.
 *
 * <p>Why AIMD and a cap: the portal's limits are undocumented (ListAccountRoles has been seen to answer 429 above
 * roughly 20 requests per second, see peer-tools §7.6/§9.5), so the pool starts at a safe rate, learns downwards
 * when the portal objects, and probes back up slowly.
 *
 * <p>A burst of 429s caused by requests sent under the same rate counts once: each permit remembers the rate
 * generation it was granted under, and only a throttle of the current generation slows the pool down again.
 * Permits are reservations (the bucket may go negative), so waiters are served roughly in arrival order and never
 * spin.
 */
final class AdaptiveRateLimiter {
  /** A granted request slot; hand it back through {@link #onSuccess} or {@link #onThrottled}. */
  record Permit(long generation) {}

  private static final double DECREASE = 0.5;

  private final double minRate;
  private final double maxRate;
  private final double increase;
  private final double burst;
  private final LongSupplier nanoTime;

  private double rate;
  private double tokens;
  private long refilledAt;
  private long generation;

  AdaptiveRateLimiter(double initialRate, double minRate, double maxRate, double increase, int burst) {
    this(initialRate, minRate, maxRate, increase, burst, System::nanoTime);
  }

  AdaptiveRateLimiter(double initialRate, double minRate, double maxRate, double increase, int burst, LongSupplier nanoTime) {
    if (!(minRate > 0) || maxRate < minRate || burst < 1) {
      throw new IllegalArgumentException("rates must satisfy 0 < min <= max and burst >= 1");
    }
    this.minRate = minRate;
    this.maxRate = maxRate;
    this.increase = increase;
    this.burst = burst;
    this.nanoTime = nanoTime;
    this.rate = Math.max(minRate, Math.min(maxRate, initialRate));
    this.tokens = burst;
    this.refilledAt = nanoTime.getAsLong();
  }

  /** Waits for a slot; the wait is the caller's (a worker thread of our own pool), never a gRPC thread. */
  Permit acquire() throws InterruptedException {
    long waitNanos;
    long granted;
    synchronized (this) {
      refill();
      tokens -= 1;
      waitNanos = tokens >= 0 ? 0 : (long) (-tokens / rate * 1e9);
      granted = generation;
    }
    if (waitNanos > 0) {
      TimeUnit.NANOSECONDS.sleep(waitNanos);
    }
    return new Permit(granted);
  }

  synchronized void onSuccess(Permit permit) {
    rate = Math.min(maxRate, rate + increase / rate);
  }

  /** The portal said 429 to a request sent under {@code permit}. True when this slowed the pool down. */
  synchronized boolean onThrottled(Permit permit) {
    if (permit.generation() != generation) {
      return false;
    }
    refill();
    rate = Math.max(minRate, rate * DECREASE);
    tokens = Math.min(tokens, 0);
    generation++;
    return true;
  }

  synchronized double currentRate() {
    return rate;
  }

  private void refill() {
    long now = nanoTime.getAsLong();
    tokens = Math.min(burst, tokens + (now - refilledAt) / 1e9 * rate);
    refilledAt = now;
  }
}
