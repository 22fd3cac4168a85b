package dev.atmosd.daemon.rpc;

import io.grpc.Attributes;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerTransportFilter;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Counts open client connections and calls in flight, and remembers when the daemon last had neither: what Ping
 * reports as active clients, what Shutdown reports as left to finish, and what --idle-exit waits on.
 */
public final class CallTracker extends ServerTransportFilter implements ServerInterceptor {
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicInteger calls = new AtomicInteger();
  private final Clock clock;
  private final AtomicReference<Instant> idleSince;

  public CallTracker(Clock clock) {
    this.clock = clock;
    this.idleSince = new AtomicReference<>(clock.instant());
  }

  public int connections() {
    return connections.get();
  }

  public int callsInFlight() {
    return calls.get();
  }

  /** When the daemon last became idle (no connection, no call), or null while it is busy. */
  public Instant idleSince() {
    return connections.get() == 0 && calls.get() == 0 ? idleSince.get() : null;
  }

  @Override
  public Attributes transportReady(Attributes attributes) {
    connections.incrementAndGet();
    return attributes;
  }

  @Override
  public void transportTerminated(Attributes attributes) {
    // transportReady is not called for a connection that failed before it was ready; never go below zero.
    if (connections.getAndUpdate(n -> Math.max(0, n - 1)) <= 1) {
      idleSince.set(clock.instant());
    }
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
      ServerCallHandler<Q, R> next) {
    calls.incrementAndGet();
    ServerCall.Listener<Q> listener;
    try {
      listener = next.startCall(call, headers);
    } catch (RuntimeException e) {
      ended();
      throw e;
    }
    return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(listener) {
      private boolean done;

      @Override
      public void onComplete() {
        finish();
        super.onComplete();
      }

      @Override
      public void onCancel() {
        finish();
        super.onCancel();
      }

      private synchronized void finish() {
        if (!done) {
          done = true;
          ended();
        }
      }
    };
  }

  private void ended() {
    if (calls.decrementAndGet() == 0) {
      idleSince.set(clock.instant());
    }
  }
}
