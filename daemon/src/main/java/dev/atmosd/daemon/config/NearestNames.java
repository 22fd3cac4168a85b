package dev.atmosd.daemon.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** Suggests the configured names closest to a mistyped one (edit distance, case-insensitive). */
final class NearestNames {
  private NearestNames() {}

  static List<String> to(String wanted, Collection<String> names) {
    String target = wanted.toLowerCase(Locale.ROOT);
    int limit = Math.max(2, target.length() / 3);
    record Scored(String name, int distance) {}
    List<Scored> scored = new ArrayList<>();
    for (String name : names) {
      String lower = name.toLowerCase(Locale.ROOT);
      int distance = distance(target, lower);
      if (distance <= limit || (target.length() >= 3 && lower.contains(target))) {
        scored.add(new Scored(name, distance));
      }
    }
    scored.sort(Comparator.comparingInt(Scored::distance).thenComparing(Scored::name));
    return scored.stream().limit(3).map(Scored::name).toList();
  }

  /** " did you mean "a" or "b"?" or "" when nothing is close. */
  static String didYouMean(String wanted, Collection<String> names) {
    List<String> near = to(wanted, names);
    if (near.isEmpty()) {
      return "";
    }
    List<String> quoted = near.stream().map(n -> "\"" + n + "\"").toList();
    return ": did you mean " + String.join(" or ", quoted) + "?";
  }

  static int distance(String a, String b) {
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
