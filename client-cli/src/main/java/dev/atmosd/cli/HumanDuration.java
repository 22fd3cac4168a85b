package dev.atmosd.cli;

import java.time.Duration;

/** Time left the way atmos prints it: {@code 2h}, {@code 2h5m}, {@code 45m}, {@code 30s}, {@code expired}. */
public final class HumanDuration {
  private HumanDuration() {}

  public static String format(Duration left) {
    long seconds = left.getSeconds();
    if (seconds <= 0) {
      return "expired";
    }
    long hours = seconds / 3600;
    long minutes = (seconds % 3600) / 60;
    if (hours > 0) {
      return minutes == 0 ? hours + "h" : hours + "h" + minutes + "m";
    }
    if (minutes > 0) {
      return minutes + "m";
    }
    return seconds + "s";
  }

  /** Elapsed time for progress output: {@code 2.3s}, {@code 1m05s}. */
  public static String elapsed(Duration elapsed) {
    long millis = elapsed.toMillis();
    if (millis < 60_000) {
      return String.format(java.util.Locale.ROOT, "%.1fs", millis / 1000.0);
    }
    return String.format(java.util.Locale.ROOT, "%dm%02ds", millis / 60_000, (millis / 1000) % 60);
  }
}
