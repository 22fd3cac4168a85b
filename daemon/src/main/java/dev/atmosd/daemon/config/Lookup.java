package dev.atmosd.daemon.config;

import java.util.Locale;
import java.util.Map;

/** Finds a provider or identity by name the way atmos does: exact first, then ignoring case. */
final class Lookup {
  private Lookup() {}

  static <T> T ignoringCase(Map<String, T> byName, String name) {
    if (name == null) {
      return null;
    }
    T exact = byName.get(name);
    if (exact != null) {
      return exact;
    }
    String lower = name.strip().toLowerCase(Locale.ROOT);
    for (Map.Entry<String, T> entry : byName.entrySet()) {
      if (entry.getKey().toLowerCase(Locale.ROOT).equals(lower)) {
        return entry.getValue();
      }
    }
    return null;
  }
}
