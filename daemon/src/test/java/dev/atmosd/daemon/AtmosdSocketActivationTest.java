package dev.atmosd.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.atmosd.daemon.rpc.UnixSocketChannel;
import dev.atmosd.v1.DaemonGrpc;
import dev.atmosd.v1.DaemonInfo;
import dev.atmosd.v1.PingRequest;
import dev.atmosd.v1.ShutdownRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Socket activation as systemd does it with {@code StandardInput=socket}: the listening socket arrives on fd 0. A
 * small Python launcher binds it, moves it to fd 0 and execs the real daemon, which must serve it without binding,
 * and leave its path in place when it exits (the service manager owns it).
 */
class AtmosdSocketActivationTest {
  private static final String LAUNCHER = """
      import os, socket, sys
      s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
      s.bind(sys.argv[1])
      os.chmod(sys.argv[1], 0o600)
      s.listen(16)
      os.dup2(s.fileno(), 0)
      os.execv(sys.argv[2], sys.argv[2:])
      """;

  private AtmosdTestSupport test;

  @BeforeEach
  void setUp() throws Exception {
    test = new AtmosdTestSupport();
  }

  @AfterEach
  void tearDown() throws Exception {
    test.close();
  }

  @Test
  void servesTheSocketPassedOnStandardInputAndLeavesItsPath() throws Exception {
    Path python = Path.of("/usr/bin/python3");
    assumeTrue(Files.isExecutable(python), "needs python3 to pass a listening socket on fd 0");
    Path launcher = test.write("launch.py", LAUNCHER);
    // --socket names another path on purpose: an inherited socket wins over it.
    AtmosdTestSupport.Spawned daemon = test.spawn(
        List.of(python.toString(), launcher.toString(), test.socket.toString()),
        AtmosdTestSupport.classPath(), Map.of(), Atmosd.class.getName(),
        "--socket", test.dir.resolve("unused.sock").toString(), "--log-file", "-");

    AtomicReference<DaemonInfo> info = new AtomicReference<>();
    await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> {
      try (UnixSocketChannel channel = UnixSocketChannel.connect(test.socket)) {
        info.set(DaemonGrpc.newBlockingStub(channel.channel()).withDeadlineAfter(Duration.ofSeconds(5))
            .ping(PingRequest.getDefaultInstance()));
        return true;
      }
    });
    assertThat(info.get().getPid()).isEqualTo(daemon.process().pid());
    assertThat(info.get().getSocketActivated()).isTrue();
    assertThat(info.get().getSocketPath()).isEqualTo(test.socket.toString());
    assertThat(test.dir.resolve("unused.sock")).doesNotExist();

    try (UnixSocketChannel channel = UnixSocketChannel.connect(test.socket)) {
      DaemonGrpc.newBlockingStub(channel.channel()).withDeadlineAfter(Duration.ofSeconds(5))
          .shutdown(ShutdownRequest.getDefaultInstance());
    }
    assertThat(daemon.exitCode(Duration.ofSeconds(30))).as(daemon::stderrForMessage).isZero();
    assertThat(test.socket).as("the service manager's socket path survives the daemon").exists();
  }
}
