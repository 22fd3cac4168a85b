package dev.atmosd.cli;

import com.google.protobuf.Timestamp;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/** Proto timestamps to the few textual shapes the CLI prints. */
public final class Timestamps {
  private static final DateTimeFormatter HUMAN =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

  private Timestamps() {}

  /** Proto3 leaves an unset timestamp as the epoch; treat that as "none". */
  public static boolean isSet(Timestamp timestamp) {
    return timestamp != null && (timestamp.getSeconds() != 0 || timestamp.getNanos() != 0);
  }

  public static Instant toInstant(Timestamp timestamp) {
    return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
  }

  /** ISO-8601 UTC with {@code Z} and no fraction: what credential_process and AWS_CREDENTIAL_EXPIRATION expect. */
  public static String iso(Timestamp timestamp) {
    return DateTimeFormatter.ISO_INSTANT.format(toInstant(timestamp).truncatedTo(ChronoUnit.SECONDS));
  }

  /** {@code 2026-11-24 15:04 UTC}. */
  public static String human(Timestamp timestamp) {
    return HUMAN.format(toInstant(timestamp));
  }
}
