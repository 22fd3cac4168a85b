package dev.atmosd.it.units;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Runs small commands for the packaging tests, with an exact environment, and writes executable scripts. */
final class Shell {
  private Shell() {}

  record Result(List<String> command, int exitCode, String stdout, String stderr) {
    @Override
    public String toString() {
      return String.join(" ", command) + "\n  exit " + exitCode + "\n  stdout: " + stdout.strip()
          + "\n  stderr: " + stderr.strip();
    }
  }

  /** The distribution the packaging module built (the same property the other end-to-end tests use). */
  static Path dist() {
    String configured = System.getProperty("atmos.dist");
    Path path = configured != null ? Path.of(configured) : Path.of("../packaging/target/atmos");
    path = path.toAbsolutePath().normalize();
    if (!Files.isExecutable(path.resolve("bin/atmos"))) {
      throw new AssertionError("no packaged distribution at " + path + " (build it: mvn -B -DskipTests package)");
    }
    return path;
  }

  /** The repository root (surefire runs in it/). */
  static Path repo() {
    return Path.of("..").toAbsolutePath().normalize();
  }

  static Result run(List<String> command, Map<String, String> env, Path workDir) {
    ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    pb.environment().clear();
    pb.environment().putAll(env);
    try {
      Path out = Files.createTempFile("sh", ".out");
      Path err = Files.createTempFile("sh", ".err");
      try {
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          throw new AssertionError("did not finish within 120 s: " + command);
        }
        return new Result(command, p.exitValue(), Files.readString(out), Files.readString(err));
      } finally {
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  static Path script(Path file, String text) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, text, StandardCharsets.UTF_8);
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Path write(Path file, String text) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, text, StandardCharsets.UTF_8);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The first executable named {@code name} in the usual system directories. */
  static Optional<Path> which(String name) {
    return Stream.of("/usr/bin", "/bin", "/usr/sbin", "/sbin", "/usr/local/bin")
        .map(dir -> Path.of(dir, name)).filter(Files::isExecutable).findFirst();
  }

  /**
   * A directory for PATH holding links to the few tools the launchers use, and no {@code java}: so a test controls
   * exactly which JDKs the launcher can see.
   */
  static Path toolsWithoutJava(Path dir, String... extra) {
    try {
      Files.createDirectories(dir);
      for (String tool : Stream.concat(Stream.of("sh", "dirname", "basename", "readlink", "cut", "sed", "head", "cat",
          "uname", "id", "mkdir", "rm", "rmdir", "cp", "mv", "ln", "pwd", "printf", "echo", "env"), Stream.of(extra)).toList()) {
        Optional<Path> real = which(tool);
        if (real.isPresent() && !Files.exists(dir.resolve(tool))) {
          Files.createSymbolicLink(dir.resolve(tool), real.get());
        }
      }
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
