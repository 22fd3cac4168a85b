package dev.atmosd.daemon.rpc;

import dev.atmosd.v1.DaemonGrpc;
import dev.atmosd.v1.DaemonInfo;
import dev.atmosd.v1.PingRequest;
import dev.atmosd.v1.ShutdownReply;
import dev.atmosd.v1.ShutdownRequest;
import io.grpc.stub.StreamObserver;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Ping (who and where the daemon is) and Shutdown (graceful: the daemon exits once in-flight calls finish). */
public final class DaemonService extends DaemonGrpc.DaemonImplBase {
  private static final Logger log = LoggerFactory.getLogger(DaemonService.class);

  private final Supplier<DaemonFacts> facts;
  private final Runnable shutdown;

  /**
   * @param facts the daemon's facts once it listens
   * @param shutdown starts a graceful shutdown on another thread and returns at once
   */
  public DaemonService(Supplier<DaemonFacts> facts, Runnable shutdown) {
    this.facts = facts;
    this.shutdown = shutdown;
  }

  @Override
  public void ping(PingRequest request, StreamObserver<DaemonInfo> response) {
    try {
      response.onNext(facts.get().info());
      response.onCompleted();
    } catch (RuntimeException e) {
      response.onError(StatusErrors.toStatus(e));
    }
  }

  @Override
  public void shutdown(ShutdownRequest request, StreamObserver<ShutdownReply> response) {
    try {
      // This call is one of those in flight; it finishes with the reply.
      int others = Math.max(0, facts.get().calls().callsInFlight() - 1);
      log.info("shutdown requested by a client; {} other call(s) in flight", others);
      response.onNext(ShutdownReply.newBuilder().setInflightRequests(others).build());
      response.onCompleted();
      shutdown.run();
    } catch (RuntimeException e) {
      response.onError(StatusErrors.toStatus(e));
    }
  }
}
