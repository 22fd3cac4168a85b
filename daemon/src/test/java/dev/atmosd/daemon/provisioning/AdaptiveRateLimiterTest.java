package dev.atmosd.daemon.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class AdaptiveRateLimiterTest {
  private final AtomicLong now = new AtomicLong();

  @Test
  void aBurstOfThrottlesUnderOneRateSlowsThePoolOnce() throws InterruptedException {
    AdaptiveRateLimiter limiter = new AdaptiveRateLimiter(20, 1, 20, 2, 10, now::get);
    AdaptiveRateLimiter.Permit first = limiter.acquire();
    AdaptiveRateLimiter.Permit second = limiter.acquire();

    assertThat(limiter.onThrottled(first)).isTrue();
    assertThat(limiter.onThrottled(second)).isFalse();
    assertThat(limiter.currentRate()).isEqualTo(10.0);

    now.addAndGet(1_000_000_000L); // a second later: the emptied bucket has refilled, so acquire does not wait
    AdaptiveRateLimiter.Permit afterSlowdown = limiter.acquire();
    assertThat(limiter.onThrottled(afterSlowdown)).isTrue();
    assertThat(limiter.currentRate()).isEqualTo(5.0);
  }

  @Test
  void successesRaiseTheRateAdditivelyUpToTheCeiling() throws InterruptedException {
    AdaptiveRateLimiter limiter = new AdaptiveRateLimiter(4, 1, 6, 2, 100, now::get);
    for (int i = 0; i < 4; i++) {
      limiter.onSuccess(limiter.acquire());
    }
    assertThat(limiter.currentRate()).isBetween(5.5, 6.0);
    for (int i = 0; i < 50; i++) {
      limiter.onSuccess(limiter.acquire());
    }
    assertThat(limiter.currentRate()).isEqualTo(6.0);
  }

  @Test
  void theRateNeverFallsBelowTheFloor() throws InterruptedException {
    AdaptiveRateLimiter limiter = new AdaptiveRateLimiter(4, 2, 6, 2, 1000, now::get);
    for (int i = 0; i < 10; i++) {
      now.addAndGet(1_000_000_000L);
      limiter.onThrottled(limiter.acquire());
    }
    assertThat(limiter.currentRate()).isEqualTo(2.0);
  }
}
