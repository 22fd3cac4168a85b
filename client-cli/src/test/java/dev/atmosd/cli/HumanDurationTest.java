package dev.atmosd.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class HumanDurationTest {
  @Test
  void formatsTimeLeftTheWayAtmosDoes() {
    assertThat(HumanDuration.format(Duration.ofHours(2))).isEqualTo("2h");
    assertThat(HumanDuration.format(Duration.ofMinutes(125))).isEqualTo("2h5m");
    assertThat(HumanDuration.format(Duration.ofMinutes(45).plusSeconds(59))).isEqualTo("45m");
    assertThat(HumanDuration.format(Duration.ofSeconds(30))).isEqualTo("30s");
    assertThat(HumanDuration.format(Duration.ofMinutes(479))).isEqualTo("7h59m");
    assertThat(HumanDuration.format(Duration.ZERO)).isEqualTo("expired");
    assertThat(HumanDuration.format(Duration.ofSeconds(-5))).isEqualTo("expired");
  }

  @Test
  void formatsElapsedTime() {
    assertThat(HumanDuration.elapsed(Duration.ofMillis(2300))).isEqualTo("2.3s");
    assertThat(HumanDuration.elapsed(Duration.ofSeconds(65))).isEqualTo("1m05s");
  }
}
