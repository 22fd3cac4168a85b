package dev.atmosd.daemon.rpc;

import dev.atmosd.v1.DaemonGrpc;
import dev.atmosd.v1.DaemonInfo;
import dev.atmosd.v1.PingRequest;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Asks whoever listens on a socket for a Ping: a daemon that answers is alive; silence or a refusal means stale. */
final class RunningDaemonProbe {
  private RunningDaemonProbe() {}

  static Optional<DaemonInfo> ping(Path socket, Duration timeout) {
    if (!Files.exists(socket)) {
      return Optional.empty();
    }
    try (UnixSocketChannel connection = UnixSocketChannel.connect(socket)) {
      return Optional.of(DaemonGrpc.newBlockingStub(connection.channel())
          .withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
          .ping(PingRequest.getDefaultInstance()));
    } catch (StatusRuntimeException noAnswer) {
      return Optional.empty();
    }
  }
}
