package dev.atmosd.cli;

import com.google.protobuf.Timestamp;
import dev.atmosd.v1.AuthEvent;
import dev.atmosd.v1.DaemonGrpc;
import dev.atmosd.v1.DaemonInfo;
import dev.atmosd.v1.IdentitiesGrpc;
import dev.atmosd.v1.IdentityRequest;
import dev.atmosd.v1.PingRequest;
import dev.atmosd.v1.RoleCredentials;
import dev.atmosd.v1.ShutdownReply;
import dev.atmosd.v1.ShutdownRequest;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.time.Instant;

/**
 * A stand-in daemon process for the autostart tests: the contract's server side in its own JVM, started by the CLI
 * exactly as it starts atmosd. Like atmosd it refuses to be a second instance (exit 3).
 */
public final class FakeDaemonMain {
  private FakeDaemonMain() {}

  public static void main(String[] args) throws Exception {
    Path socket = null;
    for (int i = 0; i < args.length - 1; i++) {
      if (args[i].equals("--socket")) {
        socket = Path.of(args[i + 1]);
      }
    }
    long pid = ProcessHandle.current().pid();
    Path path = socket;
    ContractServer[] server = new ContractServer[1];
    // One instance per socket, as atmosd does it: whoever holds the lock owns the socket and may clear a stale one.
    java.nio.channels.FileChannel lockFile = java.nio.channels.FileChannel.open(Path.of(path + ".lock"),
        java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
    if (lockFile.tryLock() == null) {
      System.out.println("fake atmosd " + pid + " already running");
      System.exit(3);
    }
    java.nio.file.Files.deleteIfExists(path);
    try {
      server[0] = ContractServer.start(path, new DaemonGrpc.DaemonImplBase() {
        @Override
        public void ping(PingRequest request, StreamObserver<DaemonInfo> response) {
          response.onNext(DaemonInfo.newBuilder().setPid(pid).setVersion("fake").setSocketPath(path.toString()).build());
          response.onCompleted();
        }

        @Override
        public void shutdown(ShutdownRequest request, StreamObserver<ShutdownReply> response) {
          response.onNext(ShutdownReply.getDefaultInstance());
          response.onCompleted();
          Thread stopper = new Thread(() -> {
            try {
              server[0].close();
            } catch (Exception ignored) {
              // exiting anyway
            }
            System.exit(0);
          });
          stopper.start();
        }
      }, new IdentitiesGrpc.IdentitiesImplBase() {
        @Override
        public void getCredentials(IdentityRequest request, StreamObserver<AuthEvent> events) {
          if (request.getIdentity().equals("crash")) {
            events.onNext(AuthEvent.newBuilder().setProgress("about to die").build());
            System.out.println("fake atmosd " + pid + " crashing");
            System.out.flush();
            Runtime.getRuntime().halt(137);
          }
          Instant expiry = Instant.parse("2030-01-01T00:00:00Z");
          events.onNext(AuthEvent.newBuilder().setCredentials(RoleCredentials.newBuilder()
              .setAccessKeyId("ASIAFAKE").setSecretAccessKey("s").setSessionToken("t")
              .setExpiration(Timestamp.newBuilder().setSeconds(expiry.getEpochSecond()))).build());
          events.onCompleted();
        }
      });
    } catch (Exception alreadyBound) {
      System.out.println("fake atmosd " + pid + " already running");
      System.exit(3);
    }
    System.out.println("fake atmosd " + pid + " listening");
    System.out.flush();
    Thread.currentThread().join();
  }
}
