package dev.atmosd.daemon.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The YAML files of a config directory ({@code .atmos.d/}, {@code atmos.d/}, a profile) in the order atmos merges
 * them: every {@code *.yaml} and {@code *.yml} below it, shallower directories first, then by path; where
 * {@code x.yaml} and {@code x.yml} sit side by side only {@code x.yaml} counts (atmos: pkg/config/utils.go
 * SearchAtmosConfig, detectPriorityFiles, sortFilesByDepth). The directories walked are returned too: a file added to
 * one changes the config without changing any file read.
 */
record ConfigDirectoryFiles(List<Path> files, List<Path> directories) {
  static ConfigDirectoryFiles of(Path directory) {
    List<Path> directories = new ArrayList<>();
    List<Path> yaml = new ArrayList<>();
    if (!Files.isDirectory(directory)) {
      return new ConfigDirectoryFiles(List.of(), List.of(directory));
    }
    try (Stream<Path> walk = Files.walk(directory)) {
      walk.forEach(path -> {
        if (Files.isDirectory(path)) {
          directories.add(path);
        } else if (Files.isRegularFile(path) && isYaml(path)) {
          yaml.add(path);
        }
      });
    } catch (IOException | java.io.UncheckedIOException e) {
      throw new ConfigException("cannot list " + directory + ": " + YamlDocumentReader.firstLine(e.getMessage())
          + ": check its permissions");
    }
    Map<String, Path> byBaseName = new LinkedHashMap<>();
    for (Path file : yaml) {
      String name = file.getFileName().toString();
      String key = file.resolveSibling(name.substring(0, name.lastIndexOf('.'))).toString();
      Path kept = byBaseName.get(key);
      if (kept == null || name.endsWith(".yaml")) {
        byBaseName.put(key, file);
      }
    }
    List<Path> ordered = new ArrayList<>(byBaseName.values());
    ordered.sort(Comparator.<Path>comparingInt(Path::getNameCount).thenComparing(Path::toString));
    return new ConfigDirectoryFiles(List.copyOf(ordered), List.copyOf(directories));
  }

  private static boolean isYaml(Path file) {
    String name = file.getFileName().toString();
    return name.endsWith(".yaml") || name.endsWith(".yml");
  }
}
