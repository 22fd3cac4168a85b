package dev.atmosd.daemon.credentials;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** "did you mean" for a mistyped identity or provider name: the closest configured names by edit distance. */
final class NearestNames {
  private static final int MAX_SUGGESTIONS = 3;

  private NearestNames() {}

  /** {@code "; did you mean 'a' or 'b'?"}, or {@code ""} when nothing is close. */
  static String suggestion(String wanted, Collection<String> known) {
    List<String> close = nearest(wanted, known);
    if (close.isEmpty()) {
      return known.isEmpty() ? "" : "; run `atmos auth list` to see the configured names";
    }
    StringBuilder text = new StringBuilder("; did you mean ");
    for (int i = 0; i < close.size(); i++) {
      if (i > 0) {
        text.append(i == close.size() - 1 ? " or " : ", ");
      }
      text.append('\'').append(close.get(i)).append('\'');
    }
    return text.append('?').toString();
  }

  static List<String> nearest(String wanted, Collection<String> known) {
    String target = wanted.toLowerCase(Locale.ROOT);
    int limit = Math.max(2, target.length() / 3);
    return known.stream()
        .filter(name -> distance(target, name.toLowerCase(Locale.ROOT)) <= limit
            || name.toLowerCase(Locale.ROOT).contains(target) && !target.isEmpty())
        .sorted(Comparator.comparingInt((String name) -> distance(target, name.toLowerCase(Locale.ROOT)))
            .thenComparing(Comparator.naturalOrder()))
        .limit(MAX_SUGGESTIONS)
        .toList();
  }

  private static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
