package dev.atmosd.daemon.rpc;

import dev.atmosd.v1.DaemonInfo;
import java.nio.file.Path;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * What Ping and Status tell about this daemon. The credentials endpoint is a supplier because it starts after the
 * socket (and may not exist at all).
 */
public record DaemonFacts(
    String version,
    Instant startedAt,
    Path socket,
    boolean socketActivated,
    Path cacheDir,
    String logFile,
    Supplier<String> credentialsEndpoint,
    CallTracker calls) {

  public DaemonInfo info() {
    String endpoint = credentialsEndpoint.get();
    return DaemonInfo.newBuilder()
        .setVersion(version)
        .setPid(ProcessHandle.current().pid())
        .setStartedAt(AuthEventStream.timestamp(startedAt))
        .setSocketPath(socket.toString())
        .setCacheDir(cacheDir.toString())
        .setLogFile(logFile)
        .setCredentialsEndpoint(endpoint == null ? "" : endpoint)
        .setJavaVersion(Runtime.version().toString())
        .setActiveClients(calls.connections())
        .setSocketActivated(socketActivated)
        .build();
  }
}
