package dev.atmosd.emulator;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses durations as people write them on a command line: ISO-8601 (PT30S) or 250ms / 30s / 5m / 1h / 90d. */
final class Durations {
    private static final Pattern SHORT = Pattern.compile("^(\\d+)(ms|s|m|h|d)$");

    private Durations() {
    }

    static Duration parse(String text) {
        String value = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        if (value.startsWith("p")) {
            return Duration.parse(value.toUpperCase(Locale.ROOT));
        }
        Matcher m = SHORT.matcher(value);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a duration: '" + text + "' (use e.g. 250ms, 30s, 5m, 1h, 90d or PT30S)");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }
}
