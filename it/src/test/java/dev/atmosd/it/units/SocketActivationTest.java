package dev.atmosd.it.units;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What atmosd.socket + atmosd.service (StandardInput=socket) do, without systemd: a stand-in service manager binds
 * and listens on the socket, puts it on the daemon's standard input and execs the packaged bin/atmosd. The CLI then
 * talks to a daemon that never bound a socket itself.
 */
class SocketActivationTest {

  @TempDir
  Path tmp;

  @Test
  void theDaemonServesTheListeningSocketItIsHandedOnStandardInput() throws Exception {
    Optional<Path> python = Shell.which("python3");
    assumeTrue(python.isPresent(), "python3 is not installed: no stand-in service manager; skipping");
    Path dir = Files.createDirectories(Path.of("/tmp").resolve("atsa-" + ProcessHandle.current().pid()));
    Path socket = dir.resolve("d.sock");
    Path activate = Shell.write(tmp.resolve("activate.py"), String.join("\n",
        "import os, socket, sys",
        "s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)",
        "s.bind(sys.argv[1])",
        "os.chmod(sys.argv[1], 0o600)",
        "s.listen(64)",
        "os.dup2(s.fileno(), 0)  # StandardInput=socket",
        "os.execv(sys.argv[2], sys.argv[2:])", ""));
    Map<String, String> env = new HashMap<>();
    env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    env.put("HOME", tmp.toString());
    env.put("XDG_STATE_HOME", tmp.resolve("state").toString());
    env.put("XDG_CACHE_HOME", tmp.resolve("cache").toString());
    env.put("ATMOSD_SOCKET", socket.toString());
    env.put("ATMOSD_NO_AUTOSTART", "1");
    Optional.ofNullable(System.getenv("JAVA_HOME")).ifPresent(v -> env.put("JAVA_HOME", v));

    ProcessBuilder manager = new ProcessBuilder(python.get().toString(), activate.toString(), socket.toString(),
        Shell.dist().resolve("bin/atmosd").toString(), "--socket", socket.toString())
        .redirectErrorStream(true).redirectOutput(tmp.resolve("atmosd.out").toFile());
    manager.environment().clear();
    manager.environment().putAll(env);
    Process daemon = manager.start();
    try {
      String status = awaitAnswer(env, Duration.ofSeconds(90));
      assertThat(status).contains("\"socket_activated\" : true").contains("\"pid\" : " + daemon.pid());

      Shell.Result stop = atmos(env, "daemon", "stop");
      assertThat(stop.exitCode()).as("%s", stop).isZero();
      assertThat(daemon.waitFor(30, TimeUnit.SECONDS)).as("atmosd exits after daemon stop").isTrue();
    } finally {
      daemon.destroy();
      if (!daemon.waitFor(10, TimeUnit.SECONDS)) {
        daemon.destroyForcibly();
      }
      Files.deleteIfExists(socket);
      Files.deleteIfExists(dir);
    }
  }

  Shell.Result atmos(Map<String, String> env, String... args) {
    List<String> command = new java.util.ArrayList<>(List.of(Shell.dist().resolve("bin/atmos").toString()));
    command.addAll(List.of(args));
    return Shell.run(command, env, tmp);
  }

  /** The daemon answers once it is up; clients that connect earlier wait in the socket's backlog or retry. */
  String awaitAnswer(Map<String, String> env, Duration timeout) throws IOException, InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    Shell.Result last = null;
    while (Instant.now().isBefore(deadline)) {
      last = atmos(env, "daemon", "status", "--format", "json");
      if (last.exitCode() == 0 && last.stdout().contains("\"socket_activated\"")) {
        return last.stdout();
      }
      Thread.sleep(200);
    }
    throw new AssertionError("atmosd did not answer on the inherited socket within " + timeout.toSeconds() + " s: "
        + last + "\n" + Files.readString(tmp.resolve("atmosd.out")));
  }
}
