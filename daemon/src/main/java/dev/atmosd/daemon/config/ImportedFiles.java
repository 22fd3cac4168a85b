package dev.atmosd.daemon.config;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * Resolves a file's {@code import:} list into the documents to merge beneath it, in merge order: each import's own
 * imports before the import itself. The list's own entries are relative to its import base (the importing file's
 * directory unless a base path says otherwise, see {@link ImportBase}); a nested import's entries are relative to the
 * file that names them. Globs expand in sorted order; an import without an extension may name {@code x.yaml} or
 * {@code x.yml}. A file already merged is not merged again (this also ends import cycles).
 */
final class ImportedFiles {
  private static final int MAX_DEPTH = 10;

  record Document(Path file, Map<String, Object> content) {}

  private final List<Document> ordered = new ArrayList<>();
  private final Set<Path> seen = new HashSet<>();
  private final List<String> warnings;
  private final UnaryOperator<Map<String, Object>> evaluator;
  /** Where the top-level entries are relative to, and how to say so in a message (null: the importing file). */
  private final ImportBase base;

  private ImportedFiles(Set<Path> roots, ImportBase base, List<String> warnings,
      UnaryOperator<Map<String, Object>> evaluator) {
    this.warnings = warnings;
    this.evaluator = evaluator;
    this.base = base;
    seen.addAll(roots);
  }

  /** The imports of {@code file} (whose content is {@code document}) in merge order, not including {@code file}. */
  static List<Document> of(Path file, Map<String, Object> document, List<String> warnings,
      UnaryOperator<Map<String, Object>> evaluator) {
    return of(file, document, null, warnings, evaluator);
  }

  /** As {@link #of(Path, Map, List, UnaryOperator)}, the top-level entries relative to {@code base} (null: the file's directory). */
  static List<Document> of(Path file, Map<String, Object> document, ImportBase base, List<String> warnings,
      UnaryOperator<Map<String, Object>> evaluator) {
    ImportedFiles imports = new ImportedFiles(Set.of(file), base, warnings, evaluator);
    imports.collect(file, document, 1, base);
    return imports.ordered;
  }

  /**
   * The import list of a {@code .atmos.d} file that atmos takes as the list of {@code configFile} (which has none of
   * its own): relative to {@code base}, an entry found nowhere a warning; neither file is merged again.
   */
  static List<Document> adopted(Path configFile, Document declaring, ImportBase base, List<String> warnings,
      UnaryOperator<Map<String, Object>> evaluator) {
    ImportedFiles imports = new ImportedFiles(Set.of(configFile, declaring.file()), base, warnings, evaluator);
    imports.collect(declaring.file(), declaring.content(), 1, base);
    return imports.ordered;
  }

  /** Whether {@code document}'s list names anything. */
  static boolean hasEntries(Path file, Map<String, Object> document) {
    return !entries(file, document).isEmpty();
  }

  /** Whether {@code document} has an {@code import} key at all (an empty list counts: it replaces any other list). */
  static boolean declaresImports(Map<String, Object> document) {
    return DeepMerge.getIgnoringCase(document, "import") != null;
  }

  private void collect(Path file, Map<String, Object> document, int depth, ImportBase entriesBase) {
    for (String entry : entries(file, document)) {
      if (entry.contains("://")) {
        warnings.add("import \"" + entry + "\" in " + file + " is remote; atmosd reads local imports only, so it was skipped");
        continue;
      }
      List<Path> resolved;
      try {
        resolved = resolve(file, entry, entriesBase);
      } catch (ConfigException notFound) {
        // Go's processImports skips an entry it cannot resolve (pkg/config/imports.go): a warning, not a failure.
        warnings.add(notFound.getMessage() + " (atmos skips it)");
        continue;
      }
      for (Path imported : resolved) {
        if (!seen.add(imported)) {
          continue;
        }
        if (depth > MAX_DEPTH) {
          throw new ConfigException(file + ": imports nest deeper than " + MAX_DEPTH + " levels at \"" + entry
              + "\": flatten them");
        }
        Map<String, Object> content = evaluator.apply(YamlDocumentReader.read(imported));
        collect(imported, content, depth + 1, null);
        ordered.add(new Document(imported, content));
      }
    }
  }

  private static List<String> entries(Path file, Map<String, Object> document) {
    Object value = DeepMerge.getIgnoringCase(document, "import");
    if (value == null) {
      return List.of();
    }
    if (value instanceof String single) {
      return single.isBlank() ? List.of() : List.of(single.strip());
    }
    if (value instanceof List<?> list) {
      List<String> entries = new ArrayList<>();
      for (Object item : list) {
        if (!(item instanceof String text)) {
          throw new ConfigException(file + ": import must be a list of file paths: remove the entry that is not a path");
        }
        if (!text.isBlank()) {
          entries.add(text.strip());
        }
      }
      return entries;
    }
    throw new ConfigException(file + ": import must be a list of file paths, not a mapping");
  }

  private static List<Path> resolve(Path importingFile, String entry, ImportBase entriesBase) {
    String expanded = entry.startsWith("~/") ? System.getProperty("user.home") + entry.substring(1) : entry;
    Path base = entriesBase == null ? importingFile.getParent() : entriesBase.directory();
    Path candidate = base.resolve(expanded).normalize();
    if (isGlob(expanded)) {
      return glob(importingFile, entry, candidate);
    }
    if (Files.isRegularFile(candidate)) {
      return List.of(candidate);
    }
    String name = candidate.getFileName().toString();
    if (!name.contains(".")) {
      for (String extension : new String[] {".yaml", ".yml"}) {
        Path withExtension = candidate.resolveSibling(name + extension);
        if (Files.isRegularFile(withExtension)) {
          return List.of(withExtension);
        }
      }
    }
    throw new ConfigException(importingFile + ": import \"" + entry + "\" not found (" + candidate
        + (entriesBase == null ? "" : entriesBase.describe()) + "): fix the path or remove it from import");
  }

  private static boolean isGlob(String entry) {
    return entry.indexOf('*') >= 0 || entry.indexOf('?') >= 0 || entry.indexOf('[') >= 0 || entry.indexOf('{') >= 0;
  }

  private static List<Path> glob(Path importingFile, String entry, Path pattern) {
    // Walk from the deepest directory that has no glob characters, then match the whole pattern.
    Path walkRoot = pattern.getRoot();
    for (Path segment : pattern) {
      if (isGlob(segment.toString())) {
        break;
      }
      walkRoot = walkRoot.resolve(segment);
    }
    if (!Files.isDirectory(walkRoot)) {
      return List.of();
    }
    PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
    try (Stream<Path> files = Files.walk(walkRoot)) {
      return files.filter(Files::isRegularFile).filter(matcher::matches).sorted().toList();
    } catch (IOException e) {
      throw new ConfigException(importingFile + ": cannot expand import \"" + entry + "\": "
          + YamlDocumentReader.firstLine(e.getMessage()));
    }
  }
}
