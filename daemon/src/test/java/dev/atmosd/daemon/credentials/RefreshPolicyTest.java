package dev.atmosd.daemon.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class RefreshPolicyTest {
  private static final Instant MINTED = Instant.parse("2026-01-01T08:00:00Z");

  @Test
  void anHourLongCredentialIsHandedOutUntilSixteenMinutesAreLeftAndPrefetchedAtTwenty() {
    RefreshPolicy.Windows windows = RefreshPolicy.windows(MINTED, MINTED.plus(Duration.ofHours(1)));

    assertThat(windows.prefetchAt()).isEqualTo(MINTED.plus(Duration.ofMinutes(40)));
    assertThat(windows.staleAt()).isEqualTo(MINTED.plus(Duration.ofMinutes(44)));
    assertThat(windows.freshAt(MINTED.plus(Duration.ofMinutes(43)))).isTrue();
    assertThat(windows.freshAt(MINTED.plus(Duration.ofMinutes(45)))).isFalse();
  }

  @Test
  void aShortLifetimeScalesTheWindowsInsteadOfReMintingOnEveryRequest() {
    RefreshPolicy.Windows windows = RefreshPolicy.windows(MINTED, MINTED.plusSeconds(6));

    assertThat(windows.prefetchAt()).isEqualTo(MINTED.plusSeconds(4));
    assertThat(windows.staleAt()).isEqualTo(MINTED.plusSeconds(5));
    assertThat(windows.freshAt(MINTED)).isTrue();
  }

  @Property
  void prefetchComesNoLaterThanStaleWhichComesBeforeExpiry(@ForAll @LongRange(min = 1, max = 36 * 3600) long seconds) {
    Instant expiration = MINTED.plusSeconds(seconds);
    RefreshPolicy.Windows windows = RefreshPolicy.windows(MINTED, expiration);

    assertThat(windows.prefetchAt()).isAfterOrEqualTo(MINTED).isBeforeOrEqualTo(windows.staleAt());
    assertThat(windows.staleAt()).isBefore(expiration);
    assertThat(windows.freshAt(MINTED)).isTrue();
  }

  @Property
  void whenThePortalGrantsMoreThanTwentyMinutesEveryHandOutHasMoreThanFifteenLeft(
      @ForAll @LongRange(min = 20 * 60, max = 36 * 3600) long seconds) {
    Instant expiration = MINTED.plusSeconds(seconds);
    RefreshPolicy.Windows windows = RefreshPolicy.windows(MINTED, expiration);

    assertThat(Duration.between(windows.staleAt(), expiration)).isGreaterThan(Duration.ofMinutes(15));
    assertThat(Duration.between(windows.prefetchAt(), expiration)).isGreaterThanOrEqualTo(Duration.ofMinutes(16));
  }
}
