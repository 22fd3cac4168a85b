package dev.atmosd.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.atmosd.daemon.rpc.UnixSocketChannel;
import dev.atmosd.v1.DaemonGrpc;
import dev.atmosd.v1.PingRequest;
import io.grpc.StatusRuntimeException;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Only the daemon's owner may talk to it. The socket's mode alone would keep another user out, so this test opens
 * the directory (0755) and the socket (0666) and proves the peer-credential check refuses a client running as
 * {@code nobody} while the owner's client still gets through. Needs root (to run a process as another user).
 */
class AtmosdPeerCredentialsTest {
  private AtmosdTestSupport test;

  @BeforeEach
  void setUp() throws Exception {
    test = new AtmosdTestSupport();
  }

  @AfterEach
  void tearDown() throws Exception {
    test.close();
  }

  /** Pings the socket in args[0]; prints the answer's pid, or the status it was refused with. */
  public static final class Client {
    public static void main(String[] args) {
      try (UnixSocketChannel channel = UnixSocketChannel.connect(Path.of(args[0]))) {
        long pid = DaemonGrpc.newBlockingStub(channel.channel()).withDeadlineAfter(Duration.ofSeconds(20))
            .ping(PingRequest.getDefaultInstance()).getPid();
        System.out.println("ANSWERED pid " + pid);
        System.exit(0);
      } catch (StatusRuntimeException refused) {
        System.out.println("REFUSED " + refused.getStatus().getCode() + " " + refused.getStatus().getDescription());
        System.exit(1);
      }
    }
  }

  @Test
  void aClientOfAnotherUserIsRefusedWhileTheOwnerGetsThrough() throws Exception {
    assumeTrue(UnixUid.current() == 0, "runs only as root: it starts a client as user nobody (setpriv)");
    Path setpriv = Path.of("/usr/bin/setpriv");
    assumeTrue(Files.isExecutable(setpriv), "needs /usr/bin/setpriv (util-linux) to run a client as nobody");

    test.start();
    // TEST ONLY: open the socket so that permissions do not stop the other user; the peer check must.
    Files.setPosixFilePermissions(test.dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setPosixFilePermissions(test.socket, PosixFilePermissions.fromString("rw-rw-rw-"));

    String classPath = classPathReadableByAnyone();
    AtmosdTestSupport.Spawned stranger = test.spawn(
        List.of(setpriv.toString(), "--reuid=65534", "--regid=65534", "--clear-groups"), classPath,
        Map.of("HOME", "/tmp"), Client.class.getName(), test.socket.toString());
    assertThat(stranger.exitCode(Duration.ofSeconds(60))).as(stranger::stderrForMessage).isEqualTo(1);
    assertThat(stranger.stdout()).startsWith("REFUSED PERMISSION_DENIED atmosd serves only the user that started it;"
        + " this connection comes from uid 65534");

    AtmosdTestSupport.Spawned owner = test.spawn(List.of(), classPath, Map.of(), Client.class.getName(),
        test.socket.toString());
    assertThat(owner.exitCode(Duration.ofSeconds(60))).as(owner::stderrForMessage).isZero();
    assertThat(owner.stdout()).startsWith("ANSWERED pid " + ProcessHandle.current().pid());
  }

  /** The test class path copied where user nobody can read it (~/.m2 under /root is closed to others). */
  private String classPathReadableByAnyone() throws Exception {
    Path copy = Files.createDirectory(test.dir.resolve("cp"));
    List<String> entries = new ArrayList<>();
    int index = 0;
    for (String entry : AtmosdTestSupport.classPath().split(File.pathSeparator)) {
      Path source = Path.of(entry);
      if (!Files.exists(source)) {
        continue;
      }
      Path target = copy.resolve((index++) + "-" + source.getFileName());
      if (Files.isDirectory(source)) {
        copyTree(source, target);
      } else {
        Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r--r--"));
      }
      entries.add(target.toString());
    }
    Files.walk(copy).filter(Files::isDirectory).forEach(d -> d.toFile().setExecutable(true, false));
    Files.walk(copy).forEach(f -> f.toFile().setReadable(true, false));
    return String.join(File.pathSeparator, entries);
  }

  private static void copyTree(Path source, Path target) throws Exception {
    try (var files = Files.walk(source)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        Path to = target.resolve(source.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(to);
        } else {
          Files.copy(file, to);
        }
      }
    }
  }

  /** This process's uid. */
  static final class UnixUid {
    static long current() {
      return new com.sun.security.auth.module.UnixSystem().getUid();
    }
  }
}
