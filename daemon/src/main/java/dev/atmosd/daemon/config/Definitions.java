package dev.atmosd.daemon.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A config entry as written, for listings that echo it, with every secret-bearing key left out. */
final class Definitions {
  private Definitions() {}

  /** Keys whose values are secrets (aws/user keys, SAML passwords, OIDC client secrets, tokens). */
  static boolean isSecretKey(String key) {
    String k = key.toLowerCase(Locale.ROOT);
    return k.contains("secret") || k.contains("password") || k.contains("token") || k.equals("access_key_id")
        || k.contains("private_key") || k.equals("credentials_json");
  }

  static Map<String, Object> withoutSecrets(Map<String, Object> body) {
    Map<String, Object> copy = new LinkedHashMap<>();
    for (Map.Entry<String, Object> entry : body.entrySet()) {
      if (!isSecretKey(entry.getKey())) {
        copy.put(entry.getKey(), copyValue(entry.getValue()));
      }
    }
    return java.util.Collections.unmodifiableMap(copy);
  }

  @SuppressWarnings("unchecked")
  private static Object copyValue(Object value) {
    if (value instanceof Map<?, ?> map) {
      return withoutSecrets((Map<String, Object>) map);
    }
    if (value instanceof List<?> list) {
      List<Object> copy = new ArrayList<>();
      for (Object item : list) {
        copy.add(copyValue(item));
      }
      return java.util.Collections.unmodifiableList(copy);
    }
    return value;
  }
}
