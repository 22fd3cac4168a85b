package dev.atmosd.daemon.config;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Merges YAML documents the way atmos (Viper) does: maps merge key by key, the later value wins for scalars and
 * lists, and keys match case-insensitively because Viper lowercases them. The first spelling of a key is kept, so a
 * provisioned {@code Sandbox/PowerUserAccess} keeps its display case under a hand-written lowercase override.
 */
final class DeepMerge {
  private DeepMerge() {}

  /** Merges {@code overlay} into {@code base} in place. */
  @SuppressWarnings("unchecked")
  static void into(Map<String, Object> base, Map<String, Object> overlay) {
    // One index per merge, so a thousand provisioned identities merge in linear time, not a scan per key.
    Map<String, String> firstSpellings = new HashMap<>();
    base.keySet().forEach(key -> firstSpellings.putIfAbsent(key.toLowerCase(Locale.ROOT), key));
    for (Map.Entry<String, Object> entry : overlay.entrySet()) {
      String lower = entry.getKey().toLowerCase(Locale.ROOT);
      String existingKey = base.containsKey(entry.getKey()) ? entry.getKey() : firstSpellings.get(lower);
      Object incoming = entry.getValue();
      if (incoming == YamlFunctions.UNSET) {
        // "key: !unset" removes what an earlier file set (atmos: pkg/config/process_yaml.go deleteViperKey).
        if (existingKey != null) {
          base.remove(existingKey);
          firstSpellings.remove(lower);
        }
        continue;
      }
      if (existingKey == null) {
        base.put(entry.getKey(), copy(incoming));
        firstSpellings.putIfAbsent(lower, entry.getKey());
        continue;
      }
      Object current = base.get(existingKey);
      if (current instanceof Map<?, ?> currentMap && incoming instanceof Map<?, ?> incomingMap) {
        into((Map<String, Object>) currentMap, (Map<String, Object>) incomingMap);
      } else if (incoming != null) {
        base.put(existingKey, copy(incoming));
      }
      // A null (e.g. "default:" with no value) does not erase what an earlier file set, as in Viper.
    }
  }

  static String keyIgnoringCase(Map<String, ?> map, String key) {
    if (map.containsKey(key)) {
      return key;
    }
    String lower = key.toLowerCase(Locale.ROOT);
    for (String candidate : map.keySet()) {
      if (candidate.toLowerCase(Locale.ROOT).equals(lower)) {
        return candidate;
      }
    }
    return null;
  }

  static Object getIgnoringCase(Map<String, ?> map, String key) {
    String found = keyIgnoringCase(map, key);
    return found == null ? null : map.get(found);
  }

  @SuppressWarnings("unchecked")
  private static Object copy(Object value) {
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> copy = new LinkedHashMap<>();
      into(copy, (Map<String, Object>) map);
      return copy;
    }
    return value;
  }
}
