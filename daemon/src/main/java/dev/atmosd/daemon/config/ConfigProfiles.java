package dev.atmosd.daemon.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * Finds and reads configuration profiles as atmos does (pkg/config/profiles.go): each name is looked up in
 * {@code profiles.base_path} (relative to the atmos.yaml's directory), {@code .atmos/profiles/}, the XDG config
 * directory's {@code atmos/profiles/} and {@code profiles/}, first found wins; its YAML files merge over the base
 * config in directory order, and several profiles merge left to right. A profile found nowhere is a config error.
 */
final class ConfigProfiles {
  private ConfigProfiles() {}

  record Result(List<ImportedFiles.Document> documents, List<Path> watched) {}

  /**
   * @param configDirectory the directory of the atmos.yaml of highest precedence
   * @param basePath the merged {@code profiles.base_path}, or null
   * @param env the client's environment, for {@code XDG_CONFIG_HOME} and {@code HOME}
   * @param identityNames identities already configured, so a profile name that is one gets a hint
   * @param askedBy where the names came from, for the message of one found nowhere ({@code --profile or
   *     ATMOS_PROFILE}, {@code profiles.default in FILE})
   * @param importsOf a profile file's own imports, relative to its import base (load.go mergeConfigFileWithImports:
   *     the file's {@code base_path}, else its directory; a runtime base path over both)
   */
  static Result load(List<String> names, Path configDirectory, String basePath, Map<String, String> env,
      Set<String> identityNames, String askedBy, List<String> warnings, UnaryOperator<Map<String, Object>> evaluator,
      java.util.function.BiFunction<Path, Map<String, Object>, List<ImportedFiles.Document>> importsOf) {
    List<Path> locations = locations(configDirectory, basePath, env);
    List<ImportedFiles.Document> documents = new ArrayList<>();
    List<Path> watched = new ArrayList<>(locations);
    for (String name : names) {
      Path found = null;
      for (Path location : locations) {
        Path candidate = location.resolve(name).normalize();
        watched.add(candidate);
        if (found == null && Files.isDirectory(candidate)) {
          found = candidate;
        }
      }
      if (found == null) {
        throw notFound(name, askedBy, locations, identityNames);
      }
      ConfigDirectoryFiles listing = ConfigDirectoryFiles.of(found);
      watched.addAll(listing.directories());
      for (Path file : listing.files()) {
        watched.add(file);
        try {
          Map<String, Object> content = evaluator.apply(YamlDocumentReader.read(file));
          // A profile file's own import: list merges beneath it (load.go mergeConfigFileWithImports).
          for (ImportedFiles.Document imported : importsOf.apply(file, content)) {
            watched.add(imported.file());
            documents.add(imported);
          }
          documents.add(new ImportedFiles.Document(file, content));
        } catch (ConfigException unreadable) {
          throw new ConfigException(unreadable.getMessage() + " (in profile \"" + name + "\")");
        }
      }
    }
    return new Result(List.copyOf(documents), List.copyOf(watched));
  }

  /** Where profiles are looked for, first match wins. */
  static List<Path> locations(Path configDirectory, String basePath, Map<String, String> env) {
    List<Path> locations = new ArrayList<>();
    if (basePath != null && !basePath.isBlank()) {
      locations.add(configDirectory.resolve(basePath.strip()).normalize());
    }
    locations.add(configDirectory.resolve(".atmos").resolve("profiles"));
    Path xdg = xdgConfigHome(env);
    if (xdg != null) {
      locations.add(xdg.resolve("atmos").resolve("profiles"));
    }
    locations.add(configDirectory.resolve("profiles"));
    return locations;
  }

  /** atmos reads ATMOS_XDG_CONFIG_HOME, then XDG_CONFIG_HOME, then ~/.config (pkg/xdg). */
  private static Path xdgConfigHome(Map<String, String> env) {
    for (String variable : List.of("ATMOS_XDG_CONFIG_HOME", "XDG_CONFIG_HOME")) {
      String value = env.get(variable);
      if (value != null && !value.isBlank() && Path.of(value).isAbsolute()) {
        return Path.of(value);
      }
    }
    String home = env.get("HOME");
    return home == null || home.isBlank() ? null : Path.of(home).resolve(".config");
  }

  /**
   * atmos's words (profiles.go loadProfiles: ErrProfileNotFound "profile not found", "Profile `x` does not exist in any
   * configured location", "Available profiles are: `a, b`", exit code 2, and the identity hint of isAuthIdentityName),
   * on one line with where the name came from and where it was looked for. NOT_FOUND on the wire: the config could
   * not be loaded, so every command exits 2 before doing anything, {@code auth validate} too.
   */
  private static ConfigException notFound(String name, String askedBy, List<Path> locations, Set<String> identityNames) {
    Set<String> available = new TreeSet<>();
    for (Path location : locations) {
      if (Files.isDirectory(location)) {
        try (Stream<Path> entries = Files.list(location)) {
          entries.filter(Files::isDirectory).forEach(entry -> available.add(entry.getFileName().toString()));
        } catch (IOException ignored) {
          // an unreadable location just lists nothing, as in atmos
        }
      }
    }
    String searched = String.join(", ", locations.stream().map(location -> location.resolve(name).toString()).toList());
    String hint = identityNames.contains(name.toLowerCase(Locale.ROOT))
        ? "`" + name + "` is an auth identity, not a configuration profile: use --identity or ATMOS_IDENTITY instead of"
            + " --profile or ATMOS_PROFILE"
        : "check the spelling of the profile name, or create " + locations.get(locations.size() - 1).resolve(name) + "/";
    return ConfigException.notFound("profile not found: Profile `" + name + "` (" + askedBy + ") does not exist in any"
        + " configured location (searched " + searched + "). Available profiles are: `" + String.join(", ", available)
        + "`: " + hint);
  }
}
