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
 * imports before the import itself, as atmos does. Paths are relative to the importing file; globs expand in sorted
 * order; an import without an extension may name {@code x.yaml} or {@code x.yml}. A file already merged is not
 * merged again (this also ends import cycles).
 */
final class ImportedFiles {
  private static final int MAX_DEPTH = 10;

  record Document(Path file, Map<String, Object> content) {}

  private final List<Document> ordered = new ArrayList<>();
  private final Set<Path> seen = new HashSet<>();
  private final List<String> warnings;
  private final UnaryOperator<Map<String, Object>> evaluator;

  private ImportedFiles(Path root, List<String> warnings, UnaryOperator<Map<String, Object>> evaluator) {
    this.warnings = warnings;
    this.evaluator = evaluator;
    seen.add(root);
  }

  /** The imports of {@code file} (whose content is {@code document}) in merge order, not including {@code file}. */
  static List<Document> of(Path file, Map<String, Object> document, List<String> warnings,
      UnaryOperator<Map<String, Object>> evaluator) {
    ImportedFiles imports = new ImportedFiles(file, warnings, evaluator);
    imports.collect(file, document, 1);
    return imports.ordered;
  }

  private void collect(Path file, Map<String, Object> document, int depth) {
    for (String entry : entries(file, document)) {
      if (entry.contains("://")) {
        warnings.add("import \"" + entry + "\" in " + file + " is remote; atmosd reads local imports only, so it was skipped");
        continue;
      }
      for (Path imported : resolve(file, entry)) {
        if (!seen.add(imported)) {
          continue;
        }
        if (depth > MAX_DEPTH) {
          throw new ConfigException(file + ": imports nest deeper than " + MAX_DEPTH + " levels at \"" + entry
              + "\": flatten them");
        }
        Map<String, Object> content = evaluator.apply(YamlDocumentReader.read(imported));
        collect(imported, content, depth + 1);
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

  private static List<Path> resolve(Path importingFile, String entry) {
    String expanded = entry.startsWith("~/") ? System.getProperty("user.home") + entry.substring(1) : entry;
    Path base = importingFile.getParent();
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
        + "): fix the path or remove it from import");
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
