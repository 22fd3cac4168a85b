package dev.atmosd.cli;

import dev.atmosd.v1.ConfigGrpc;
import dev.atmosd.v1.DaemonGrpc;
import dev.atmosd.v1.IdentitiesGrpc;
import dev.atmosd.v1.SessionsGrpc;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDomainSocketChannel;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One gRPC channel to the daemon's Unix socket. Every thread it owns is a daemon thread, so nothing it leaves behind
 * keeps the JVM alive after the answer is printed (the CLI also exits explicitly).
 */
public final class DaemonConnection implements AutoCloseable {
  /**
   * How long a quick call (ping, status, stop) may take to be answered. Generous on purpose: under socket activation
   * the socket accepts at once while the daemon's JVM is still starting, which takes seconds on a loaded machine.
   */
  public static final long ANSWER_WITHIN_SECONDS = 30;

  /**
   * Netty and gRPC log through java.util.logging to stderr, which belongs to prompts here (e.g. Netty warns that a
   * domain socket has no SO_KEEPALIVE on every connect). Held strongly: JUL keeps loggers only weakly.
   */
  private static final java.util.logging.Logger ROOT_LOGGER = quietLogging();
  private final Path socket;
  private final ManagedChannel channel;
  private final MultiThreadIoEventLoopGroup eventLoop;
  private final ExecutorService executor;
  private final AtomicReference<UntrustedDaemonException> refusal = new AtomicReference<>();

  private DaemonConnection(Path socket) {
    this.socket = socket;
    this.eventLoop = new MultiThreadIoEventLoopGroup(1, daemonThreads("atmos-io"), NioIoHandler.newFactory());
    this.executor = Executors.newCachedThreadPool(daemonThreads("atmos-grpc"));
    this.channel = NettyChannelBuilder.forAddress(UnixDomainSocketAddress.of(socket))
        // Every connection starts with the check that the daemon runs as the user, before gRPC writes a byte.
        .channelFactory(() -> {
          NioDomainSocketChannel connection = new NioDomainSocketChannel();
          connection.pipeline().addFirst(new DaemonPeerCheck(socket, refusal::set));
          return connection;
        }, UnixDomainSocketAddress.class)
        .eventLoopGroup(eventLoop)
        .executor(executor)
        .offloadExecutor(executor)
        .usePlaintext()
        .overrideAuthority("localhost")
        // The daemon streams credentials and listings; a few MB is plenty and bounds a confused peer.
        .maxInboundMessageSize(16 * 1024 * 1024)
        .disableRetry()
        .disableServiceConfigLookUp()
        .build();
  }

  /** Refuses a socket (or its directory) that is not the user's own before connecting; see {@link SocketTrust}. */
  public static DaemonConnection open(Path socket) {
    SocketTrust.checkBeforeConnecting(socket);
    return new DaemonConnection(socket);
  }

  /** Why the process behind the socket was refused ({@link DaemonPeerCheck}), or null. */
  public UntrustedDaemonException refusal() {
    return refusal.get();
  }

  public Path socket() {
    return socket;
  }

  public ManagedChannel channel() {
    return channel;
  }

  public SessionsGrpc.SessionsBlockingStub sessions() {
    return SessionsGrpc.newBlockingStub(channel);
  }

  public IdentitiesGrpc.IdentitiesBlockingStub identities() {
    return IdentitiesGrpc.newBlockingStub(channel);
  }

  public ConfigGrpc.ConfigBlockingStub config() {
    return ConfigGrpc.newBlockingStub(channel);
  }

  public DaemonGrpc.DaemonBlockingStub daemon() {
    return DaemonGrpc.newBlockingStub(channel);
  }

  @Override
  public void close() {
    channel.shutdownNow();
    try {
      channel.awaitTermination(1, TimeUnit.SECONDS);
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
    }
    eventLoop.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
    executor.shutdownNow();
  }

  /**
   * Before {@code System.exit}: stops the event loop so its thread leaves {@code epoll_wait}. The JVM's exit waits up
   * to 300 ms for threads in native code, which was a third of every CLI call (measured in bench/).
   */
  public void stopIoBeforeExit() {
    eventLoop.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).awaitUninterruptibly(100);
  }

  private static java.util.logging.Logger quietLogging() {
    java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
    root.setLevel("1".equals(System.getenv("ATMOS_DEBUG")) ? java.util.logging.Level.INFO
        : java.util.logging.Level.OFF);
    return root;
  }

  static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
