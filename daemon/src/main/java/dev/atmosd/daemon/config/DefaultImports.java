package dev.atmosd.daemon.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The files atmos imports without being asked: {@code atmos.d/} and then {@code .atmos.d/} beside atmos.yaml, and
 * before them the same two directories at the git repository root when that is another directory (atmos:
 * pkg/config/load.go mergeDefaultImports, loadAtmosDFromGitRoot, loadAtmosDFromDirectory). They merge beneath the
 * atmos.yaml and its {@code import:} list.
 *
 * <p>A file that does not parse does not fail the config, as in atmos, which skips it and the rest of its directory;
 * atmos says so only in its debug log, atmosd says so in a warning naming the file and line.
 */
final class DefaultImports {
  static final List<String> DIRECTORY_NAMES = List.of("atmos.d", ".atmos.d");

  private DefaultImports() {}

  /** What the default imports of one config directory are made of. */
  record Result(List<ImportedFiles.Document> documents, List<Path> directoriesWatched) {}

  static Result of(Path configDirectory, Path gitRoot, List<String> warnings, UnaryOperator<java.util.Map<String, Object>> evaluator) {
    List<ImportedFiles.Document> documents = new ArrayList<>();
    List<Path> watched = new ArrayList<>();
    List<Path> roots = new ArrayList<>();
    if (gitRoot != null && !sameDirectory(gitRoot, configDirectory)) {
      roots.add(gitRoot);
    }
    roots.add(configDirectory);
    for (Path root : roots) {
      for (String name : DIRECTORY_NAMES) {
        Path directory = root.resolve(name);
        ConfigDirectoryFiles listing;
        try {
          listing = ConfigDirectoryFiles.of(directory);
        } catch (ConfigException unlisted) {
          watched.add(directory);
          warnings.add(unlisted.getMessage() + " (atmos skips " + directory + ")");
          continue;
        }
        watched.addAll(listing.directories());
        for (Path file : listing.files()) {
          try {
            documents.add(new ImportedFiles.Document(file, evaluator.apply(YamlDocumentReader.read(file))));
            watched.add(file);
          } catch (ConfigException unreadable) {
            watched.add(file);
            warnings.add(unreadable.getMessage() + " (atmos skips this " + name + " file and the ones after it in "
                + directory + ")");
            break;
          }
        }
      }
    }
    return new Result(List.copyOf(documents), List.copyOf(watched));
  }

  private static boolean sameDirectory(Path a, Path b) {
    try {
      return Files.isSameFile(a, b);
    } catch (java.io.IOException e) {
      return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
    }
  }
}
