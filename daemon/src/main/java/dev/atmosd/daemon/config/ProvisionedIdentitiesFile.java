package dev.atmosd.daemon.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a provider's {@code provisioned-identities.yaml} (written by discovery, same shape as atmos writes it). The
 * file is the daemon's own cache, so a bad one must never break the user's config: an unreadable or corrupt file is
 * a warning and is ignored, and an entry that is not a complete permission set for this provider is dropped.
 * Only {@code auth.identities} is taken from it.
 */
final class ProvisionedIdentitiesFile {
  record Loaded(Path path, Map<String, Object> content, List<String> identityNames) {}

  private ProvisionedIdentitiesFile() {}

  static Optional<Loaded> read(Path path, String provider, List<String> warnings) {
    if (!Files.exists(path)) {
      return Optional.empty();
    }
    String redo = ": run atmos auth login --provider " + provider + " to write it again";
    Map<String, Object> document;
    try {
      document = YamlDocumentReader.read(path);
    } catch (ConfigException e) {
      warnings.add("ignored the provisioned identities of provider " + provider + ": " + e.getMessage() + redo);
      return Optional.empty();
    }
    Map<String, Object> identities;
    try {
      Map<String, Object> auth = AuthSectionParser.mapping(document, "auth", path, "auth");
      identities = auth == null ? null : AuthSectionParser.mapping(auth, "identities", path, "auth.identities");
    } catch (ConfigException e) {
      warnings.add("ignored the provisioned identities of provider " + provider + ": " + e.getMessage() + redo);
      return Optional.empty();
    }
    if (identities == null) {
      warnings.add("ignored the provisioned identities of provider " + provider + ": " + path
          + " has no auth.identities" + redo);
      return Optional.empty();
    }
    Map<String, Object> kept = new LinkedHashMap<>();
    List<String> dropped = new ArrayList<>();
    for (Map.Entry<String, Object> entry : identities.entrySet()) {
      if (isCompletePermissionSet(entry.getValue(), provider)) {
        kept.put(entry.getKey(), entry.getValue());
      } else {
        dropped.add(entry.getKey());
      }
    }
    if (!dropped.isEmpty()) {
      warnings.add("ignored " + dropped.size() + " incomplete provisioned identit" + (dropped.size() == 1 ? "y" : "ies")
          + " of provider " + provider + " in " + path + " (" + String.join(", ", dropped.subList(0,
              Math.min(3, dropped.size()))) + (dropped.size() > 3 ? ", ..." : "") + ")" + redo);
    }
    Map<String, Object> content = new LinkedHashMap<>();
    Map<String, Object> auth = new LinkedHashMap<>();
    auth.put("identities", kept);
    content.put("auth", auth);
    return Optional.of(new Loaded(path, content, List.copyOf(kept.keySet())));
  }

  private static boolean isCompletePermissionSet(Object value, String provider) {
    if (!(value instanceof Map<?, ?> raw)) {
      return false;
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> body = (Map<String, Object>) raw;
    if (!IdentityConfig.KIND_PERMISSION_SET.equals(DeepMerge.getIgnoringCase(body, "kind"))) {
      return false;
    }
    Object via = DeepMerge.getIgnoringCase(body, "via");
    Object viaProvider = via instanceof Map<?, ?> viaMap ? getIgnoringCase(viaMap, "provider") : null;
    Object directProvider = DeepMerge.getIgnoringCase(body, "provider");
    Object owner = viaProvider != null ? viaProvider : directProvider;
    if (!(owner instanceof String ownerName) || !ownerName.strip().equalsIgnoreCase(provider.strip())) {
      return false;
    }
    if (!(DeepMerge.getIgnoringCase(body, "principal") instanceof Map<?, ?> principal)) {
      return false;
    }
    Object name = getIgnoringCase(principal, "name");
    Object account = getIgnoringCase(principal, "account");
    if (!(name instanceof String) || !(account instanceof Map<?, ?> accountMap)) {
      return false;
    }
    Object id = getIgnoringCase(accountMap, "id");
    if (id != null) {
      return id instanceof String text && text.strip().matches("\\d{12}");
    }
    return getIgnoringCase(accountMap, "name") instanceof String;
  }

  @SuppressWarnings("unchecked")
  private static Object getIgnoringCase(Map<?, ?> map, String key) {
    return DeepMerge.getIgnoringCase((Map<String, Object>) map, key);
  }
}
