package dev.atmosd.cli;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** {@code which}: where a program name resolves on PATH (a name with a slash is taken as a path). */
public final class Executables {
  private Executables() {}

  public static Optional<Path> find(String program, String pathVariable) {
    if (program.contains("/")) {
      Path path = Path.of(program);
      return Files.isRegularFile(path) && Files.isExecutable(path) ? Optional.of(path) : Optional.empty();
    }
    if (pathVariable == null) {
      return Optional.empty();
    }
    for (String dir : pathVariable.split(File.pathSeparator)) {
      Path candidate = Path.of(dir.isEmpty() ? "." : dir, program);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }
}
