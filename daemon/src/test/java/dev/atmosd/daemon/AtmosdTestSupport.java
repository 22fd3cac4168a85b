package dev.atmosd.daemon;

import dev.atmosd.daemon.rpc.UnixSocketChannel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A daemon in this JVM on a short socket path under /tmp (AF_UNIX allows ~107 bytes), with its cache and state in
 * the same temp dir; plus helpers to run the real {@code Atmosd} main, or any class, as a separate process.
 */
final class AtmosdTestSupport implements AutoCloseable {
  final Path dir;
  final Path socket;
  final Map<String, String> env = new HashMap<>();
  private final List<AutoCloseable> closeables = new ArrayList<>();

  AtmosdTestSupport() throws IOException {
    dir = Files.createTempDirectory(Path.of("/tmp"), "atmosd-test-");
    socket = dir.resolve("atmosd.sock");
    env.put("XDG_CACHE_HOME", dir.resolve("cache").toString());
    env.put("XDG_STATE_HOME", dir.resolve("state").toString());
  }

  Atmosd start() {
    Atmosd daemon = Atmosd.start(new Atmosd.Options(socket, "-", null), env, Clock.systemUTC(), Optional.empty());
    closeables.add(daemon);
    return daemon;
  }

  UnixSocketChannel connect() {
    UnixSocketChannel channel = UnixSocketChannel.connect(socket);
    closeables.add(channel);
    return channel;
  }

  Path write(String name, String content) throws IOException {
    Path file = dir.resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
    return file;
  }

  /** The test JVM's class path (surefire puts it in a manifest-only jar, and names it here). */
  static String classPath() {
    return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
  }

  static Path javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java");
  }

  /** A started process and the files its stdout and stderr go to. */
  record Spawned(Process process, Path out, Path err) {
    String stdout() throws IOException {
      return Files.readString(out, StandardCharsets.UTF_8);
    }

    String stderr() throws IOException {
      return Files.readString(err, StandardCharsets.UTF_8);
    }

    /** Its stderr for an assertion's description; never fails. */
    String stderrForMessage() {
      try {
        return "stderr of the process:\n" + stderr();
      } catch (IOException e) {
        return "(stderr unreadable)";
      }
    }

    int exitCode(Duration within) throws InterruptedException {
      return AtmosdTestSupport.exitCode(process, within);
    }
  }

  /** A process running {@code mainClass} with {@code classPath}; stdout and stderr go to files in the temp dir. */
  Spawned spawn(List<String> prefix, String classPath, Map<String, String> extraEnv, String mainClass, String... args)
      throws IOException {
    List<String> command = new ArrayList<>(prefix);
    command.addAll(List.of(javaBinary().toString(), "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData",
        "-cp", classPath, mainClass));
    command.addAll(List.of(args));
    long id = System.nanoTime();
    Path out = dir.resolve("process-" + id + ".out");
    Path err = dir.resolve("process-" + id + ".err");
    ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
    builder.environment().putAll(env);
    builder.environment().putAll(extraEnv);
    Process process = builder.start();
    closeables.add(() -> {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    });
    return new Spawned(process, out, err);
  }

  static int exitCode(Process process, Duration within) throws InterruptedException {
    if (!process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("process did not exit within " + within);
    }
    return process.exitValue();
  }

  @Override
  public void close() throws Exception {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      closeables.get(i).close();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }
}
