package dev.atmosd.daemon.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Documents deep-merged one over another in the order they are added, remembering which file last set each provider
 * and identity (for messages) and which identities came from provisioned files.
 */
final class MergedDocuments {
  private final Map<String, Object> merged = new LinkedHashMap<>();
  private final Map<String, Path> origins = new HashMap<>();
  private final Set<String> provisionedNames = new HashSet<>();
  private final List<Path> files = new ArrayList<>();

  void add(Path file, Map<String, Object> content) {
    DeepMerge.into(merged, content);
    noteOrigins(content, file);
    files.add(file);
  }

  void addProvisioned(ProvisionedIdentitiesFile.Loaded file) {
    add(file.path(), file.content());
    file.identityNames().forEach(name -> provisionedNames.add(name.toLowerCase(Locale.ROOT)));
  }

  Map<String, Object> merged() {
    return merged;
  }

  Map<String, Path> origins() {
    return origins;
  }

  Set<String> provisionedNames() {
    return provisionedNames;
  }

  /** Every file merged, in merge order. */
  List<Path> files() {
    return files;
  }

  /** A string at a dotted path of the merged document ({@code profiles.default}), or null. */
  String string(Path source, String... keys) {
    Object at = merged;
    for (String key : keys) {
      if (!(at instanceof Map<?, ?> map)) {
        return null;
      }
      at = DeepMerge.getIgnoringCase(castMap(map), key);
    }
    if (at == null) {
      return null;
    }
    if (!(at instanceof String text)) {
      throw new ConfigException(source + ": " + String.join(".", keys) + " must be a string, not "
          + (at instanceof Map ? "a mapping" : at instanceof List ? "a list" : at));
    }
    return text.strip();
  }

  /** Names of the identities configured so far, lowercase. */
  Set<String> identityNames(Path source) {
    Set<String> names = new HashSet<>();
    Map<String, Object> auth = AuthSectionParser.mapping(merged, "auth", source, "auth");
    Map<String, Object> identities = auth == null ? null
        : AuthSectionParser.mapping(auth, "identities", source, "auth.identities");
    if (identities != null) {
      identities.keySet().forEach(name -> names.add(name.toLowerCase(Locale.ROOT)));
    }
    return names;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, ?> castMap(Map<?, ?> map) {
    return (Map<String, ?>) map;
  }

  private void noteOrigins(Map<String, Object> document, Path file) {
    Map<String, Object> auth = AuthSectionParser.mapping(document, "auth", file, "auth");
    if (auth == null) {
      return;
    }
    for (String section : List.of("providers", "identities")) {
      Map<String, Object> entries = AuthSectionParser.mapping(auth, section, file, "auth." + section);
      if (entries != null) {
        entries.keySet().forEach(name -> origins.put(AuthSectionParser.originKey(section, name), file));
      }
    }
  }
}
