package dev.atmosd.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Another local user poses as the daemon (issue 11, item 1). The victim's CLI runs as a uid of its own (setpriv) with
 * {@code XDG_RUNTIME_DIR} unset, so its socket is {@code /tmp/atmosd-<uid>/atmosd.sock}; the test process, root, is
 * the other user: it makes that directory first and listens there with a relay that counts what it receives. The
 * CLI must refuse with one line naming the path and the owner, and the relay must receive nothing.
 */
class SquattedSocketTest {
  static final Path SETPRIV = Path.of("/usr/bin/setpriv");
  /** A uid no account has, and that no other test on this machine uses. */
  final long victim = 60_000 + ProcessHandle.current().pid() % 5_000;
  final Path socketDir = Path.of("/tmp", "atmosd-" + victim);
  final Path socket = socketDir.resolve("atmosd.sock");
  Path victimHome;

  @BeforeEach
  void victim() throws Exception {
    assumeTrue("root".equals(System.getProperty("user.name")) && Files.isExecutable(SETPRIV),
        "runs as root with setpriv: the victim's CLI runs as a uid of its own, root plays the squatter");
    removeTree(socketDir);
    victimHome = Files.createDirectories(Path.of("/tmp", "atmos-victim-" + ProcessHandle.current().pid()));
    Files.setPosixFilePermissions(victimHome, PosixFilePermissions.fromString("rwx------"));
    Files.setOwner(victimHome, user(victim));
  }

  @AfterEach
  void cleanUp() throws Exception {
    if (victimHome != null) {
      removeTree(socketDir);
      removeTree(victimHome);
    }
  }

  @Test
  void aSocketDirectoryOfAnotherUserIsRefusedBeforeAByteIsSent() throws Exception {
    Files.createDirectory(socketDir);
    Files.setPosixFilePermissions(socketDir, PosixFilePermissions.fromString("rwxrwxrwx"));
    try (Relay relay = Relay.listen(socket)) {
      Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw-rw-"));
      CliResult result = asVictim("auth", "list");
      assertThat(result.exitCode()).as("%s", result).isEqualTo(1);
      assertThat(result.stderr().strip()).as("one line naming the path, its owner and what to do")
          .startsWith("atmos: socket directory " + socketDir + " belongs to uid 0 (root), not to you (uid " + victim)
          .contains("ATMOSD_SOCKET")
          .doesNotContain("\n");
      assertThat(relay.connections()).as("the CLI did not even connect").isZero();
      assertThat(relay.bytes()).as("bytes the squatter received").isZero();
    }
  }

  @Test
  void aDaemonRunningAsAnotherUserIsRefusedOnItsPeerCredentials() throws Exception {
    // Directory and socket look like the victim's own; only the process behind the socket is someone else's.
    Files.createDirectory(socketDir);
    Files.setPosixFilePermissions(socketDir, PosixFilePermissions.fromString("rwx------"));
    Files.setOwner(socketDir, user(victim));
    try (Relay relay = Relay.listen(socket)) {
      Files.setOwner(socket, user(victim));
      CliResult result = asVictim("auth", "list");
      assertThat(result.exitCode()).as("%s", result).isEqualTo(1);
      assertThat(result.stderr().strip())
          .startsWith("atmos: the process answering on " + socket + " runs as uid 0 (root), not as you (uid " + victim)
          .doesNotContain("\n");
      assertThat(relay.bytes()).as("bytes the squatter received").isZero();
    }
  }

  @Test
  void autostartStartsNoDaemonIntoASquattedDirectory() throws Exception {
    Files.createDirectory(socketDir);
    Files.setPosixFilePermissions(socketDir, PosixFilePermissions.fromString("rwxrwxrwx"));
    CliResult result = asVictim("auth", "list");
    assertThat(result.exitCode()).as("%s", result).isEqualTo(1);
    assertThat(result.stderr().strip())
        .startsWith("atmos: socket directory " + socketDir + " belongs to uid 0 (root)")
        .doesNotContain("starting atmosd").doesNotContain("failed to start");
    assertThat(socketDir.resolve("atmosd.sock")).as("no daemon bound a socket there").doesNotExist();
    assertThat(victimHome.resolve("state/atmosd/atmosd.log")).as("no daemon was launched").doesNotExist();
  }

  CliResult asVictim(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(SETPRIV.toString(), "--reuid=" + victim, "--regid=" + victim,
        "--clear-groups", AtmosSandbox.atmosBinary().toString()));
    command.addAll(List.of(args));
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PATH", System.getenv("PATH"));
    env.put("HOME", victimHome.toString());
    env.put("XDG_CACHE_HOME", victimHome.resolve("cache").toString());
    env.put("XDG_STATE_HOME", victimHome.resolve("state").toString());
    env.put("CI", "true");
    Path out = victimHome.resolve("cli.out");
    Path err = victimHome.resolve("cli.err");
    ProcessBuilder builder = new ProcessBuilder(command).directory(victimHome.toFile())
        .redirectOutput(out.toFile()).redirectError(err.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    builder.environment().clear();
    builder.environment().putAll(env);
    Process process = builder.start();
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("CLI hung: " + command);
    }
    return new CliResult(command, process.exitValue(), Files.readString(out), Files.readString(err));
  }

  static UserPrincipal user(long uid) throws IOException {
    return Path.of("/").getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(String.valueOf(uid));
  }

  static void removeTree(Path path) throws Exception {
    new ProcessBuilder("rm", "-rf", path.toString()).inheritIO().start().waitFor();
  }

  /** The squatter's listening socket: accepts, and counts connections and the bytes each one sends. */
  static final class Relay implements AutoCloseable {
    private final ServerSocketChannel server;
    private final Thread acceptor;
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicLong bytes = new AtomicLong();

    private Relay(ServerSocketChannel server) {
      this.server = server;
      this.acceptor = new Thread(this::serve, "squatter-relay");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    static Relay listen(Path socket) throws IOException {
      ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
      server.bind(UnixDomainSocketAddress.of(socket));
      return new Relay(server);
    }

    private void serve() {
      while (server.isOpen()) {
        try {
          SocketChannel client = server.accept();
          connections.incrementAndGet();
          Thread reader = new Thread(() -> drain(client), "squatter-reader");
          reader.setDaemon(true);
          reader.start();
        } catch (IOException closed) {
          return;
        }
      }
    }

    private void drain(SocketChannel client) {
      ByteBuffer buffer = ByteBuffer.allocate(8192);
      try (client) {
        int read;
        while ((read = client.read(buffer)) >= 0) {
          bytes.addAndGet(read);
          buffer.clear();
        }
      } catch (IOException gone) {
        // the CLI hung up
      }
    }

    int connections() {
      return connections.get();
    }

    /** After a short wait, so bytes in flight when the CLI exited have arrived. */
    long bytes() throws InterruptedException {
      Thread.sleep(300);
      return bytes.get();
    }

    @Override
    public void close() throws IOException {
      server.close();
    }
  }
}
