package dev.atmosd.daemon.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RefreshScheduleTest {
  private static final Instant T0 = Instant.parse("2026-01-01T08:00:00Z");
  private final RefreshSchedule schedule = RefreshSchedule.DEFAULT;

  @Test
  void renewsAtTheLaterOfEightyPercentAndTwentyMinutesBeforeExpiry() {
    assertThat(schedule.prefetchTime(T0, T0.plus(Duration.ofHours(1)))).isEqualTo(T0.plus(Duration.ofMinutes(48)));
    assertThat(schedule.prefetchTime(T0, T0.plus(Duration.ofHours(8))))
        .isEqualTo(T0.plus(Duration.ofHours(8)).minus(Duration.ofMinutes(20)));
    assertThat(schedule.prefetchTime(T0, T0.plusSeconds(5))).isEqualTo(T0.plusSeconds(4));
  }

  @Test
  void anExpiredTokenIsRenewedAtOnce() {
    assertThat(schedule.prefetchTime(T0, T0.minusSeconds(10))).isEqualTo(T0);
  }

  @Test
  void aTokenIsStaleInItsLastFiveMinutes() {
    assertThat(schedule.isFresh(T0, T0.plus(Duration.ofMinutes(6)))).isTrue();
    assertThat(schedule.isFresh(T0, T0.plus(Duration.ofMinutes(5)))).isFalse();
    assertThat(schedule.isFresh(T0, null)).isFalse();
  }

  @Test
  void failedRenewalsBackOffUpToACap() {
    assertThat(schedule.retryDelay(1)).isEqualTo(Duration.ofSeconds(5));
    assertThat(schedule.retryDelay(2)).isEqualTo(Duration.ofSeconds(10));
    assertThat(schedule.retryDelay(3)).isEqualTo(Duration.ofSeconds(20));
    assertThat(schedule.retryDelay(40)).isEqualTo(Duration.ofMinutes(5));
  }
}
