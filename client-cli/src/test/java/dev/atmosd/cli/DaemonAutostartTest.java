package dev.atmosd.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Autostart as it happens for real: a detached JVM started through ATMOSD_JAVA, its output in the daemon log, the CLI
 * waiting for its Ping; racing CLIs end with one daemon; a daemon killed mid-call is reported and replaced.
 */
class DaemonAutostartTest {
  Path dir;
  Path socket;
  Path log;
  final Map<String, String> env = new HashMap<>();

  @BeforeEach
  void setUp() throws Exception {
    dir = Files.createTempDirectory(Path.of("/tmp"), "aas", PosixFilePermissions.asFileAttribute(
        PosixFilePermissions.fromString("rwx------")));
    socket = dir.resolve("d.sock");
    log = dir.resolve("state/atmosd/atmosd.log");
    Path java = dir.resolve("java");
    // Stands in for `java`: whatever the CLI asks for, run the fake daemon on the socket it names.
    Files.writeString(java, "#!/bin/sh\nexec '" + Path.of(System.getProperty("java.home"), "bin", "java") + "' -cp '"
        + System.getProperty("java.class.path") + "' " + FakeDaemonMain.class.getName() + " \"$@\"\n");
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwx------"));
    env.put("ATMOSD_SOCKET", socket.toString());
    env.put("ATMOSD_JAVA", java.toString());
    env.put("XDG_STATE_HOME", dir.resolve("state").toString());
    env.put("PATH", System.getenv("PATH"));
  }

  @AfterEach
  void tearDown() throws Exception {
    run("daemon", "stop");
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  /** Exit code, stdout and stderr of one CLI run. */
  record Result(int code, String out, String err) {}

  Result run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Invocation invocation = new Invocation(env, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), Clock.systemUTC());
    int code = Atmos.execute(args, invocation);
    return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void startsTheDaemonDetachedWaitsForItAndStopsIt() throws Exception {
    Result first = run("auth", "credential-process", "--identity", "x");
    assertThat(first.code()).as(first.err()).isZero();
    assertThat(first.out()).startsWith("{\"Version\":1,\"AccessKeyId\":\"ASIAFAKE\"");
    assertThat(Files.readString(log)).contains("listening");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(log.getParent()))).isEqualTo("rwx------");

    assertThat(run("daemon", "start").out()).startsWith("atmosd is already running");
    Result stop = run("daemon", "stop");
    assertThat(stop.code()).isZero();
    assertThat(stop.out()).isEqualTo("atmosd stopped\n");
    assertThat(socket).doesNotExist();
    assertThat(run("daemon", "status").code()).isEqualTo(1);
  }

  @Test
  void racingClientsEndWithOneDaemon() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Result>> results = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        results.add(pool.submit((Callable<Result>) () -> run("auth", "credential-process", "--identity", "x")));
      }
      for (Future<Result> result : results) {
        assertThat(result.get().code()).as(result.get().err()).isZero();
      }
    } finally {
      pool.shutdownNow();
    }
    String logText = Files.readString(log);
    assertThat(logText.split("listening", -1)).as(logText).hasSize(2);
  }

  @Test
  void aDaemonKilledMidCallIsReportedAndTheNextCallStartsAFreshOne() throws Exception {
    assertThat(run("daemon", "start").code()).isZero();
    Result crashed = run("auth", "credential-process", "--identity", "crash");
    assertThat(crashed.code()).isEqualTo(1);
    assertThat(crashed.err()).contains("atmos: atmosd went away (see " + log + "); run the command again");
    assertThat(crashed.out()).isEmpty();

    Result retry = run("auth", "credential-process", "--identity", "x");
    assertThat(retry.code()).as(retry.err()).isZero();
  }
}
