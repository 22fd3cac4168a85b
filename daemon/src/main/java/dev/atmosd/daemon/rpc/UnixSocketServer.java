package dev.atmosd.daemon.rpc;

import dev.atmosd.contract.SocketLocation;
import dev.atmosd.v1.DaemonInfo;
import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.netty.InternalNettyServerCredentials;
import io.grpc.netty.NettyServerBuilder;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerDomainSocketChannel;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's gRPC server on a Unix domain socket (Netty NIO, no native library), owner-only: socket directory 0700,
 * socket 0600, and a peer-credential check on every connection. Binding is race-free between daemons: the one holding
 * {@code atmosd.lock} decides whether an existing socket is a live daemon (then it refuses to start) or stale (then
 * it removes it). A socket inherited from a service manager is served as it is.
 */
public final class UnixSocketServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(UnixSocketServer.class);
  private static final Duration PING_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration LOCK_WAIT = Duration.ofSeconds(15);

  private final Path socket;
  private final ServerSocketChannel inherited;
  private final DaemonLock lock;
  private final UserPrincipal owner;
  private Server server;
  private EventLoopGroup boss;
  private EventLoopGroup workers;
  private boolean closed;

  private UnixSocketServer(Path socket, ServerSocketChannel inherited, DaemonLock lock, UserPrincipal owner) {
    this.socket = socket;
    this.inherited = inherited;
    this.lock = lock;
    this.owner = owner;
  }

  /**
   * Makes {@code socket} (or the socket a service manager passed) this daemon's, before anything else starts: checks
   * the path and its directory, takes the lock, and removes a stale socket file. Then {@link #serve} listens.
   *
   * @throws StartupRefusedException with exit code 2 (bad path or directory) or 3 (another daemon serves the socket)
   */
  public static UnixSocketServer claim(Path socket, Optional<ServerSocketChannel> inherited) {
    UserPrincipal owner = UnixUsers.currentUser();
    if (inherited.isPresent()) {
      try {
        Path path = ((UnixDomainSocketAddress) inherited.get().getLocalAddress()).getPath().toAbsolutePath();
        return new UnixSocketServer(path, inherited.get(), null, owner);
      } catch (IOException e) {
        throw new StartupRefusedException(StartupRefusedException.FAILED,
            "cannot read the inherited socket's address: " + e.getMessage());
      }
    }
    String tooLong = SocketLocation.problemWith(socket);
    if (tooLong != null) {
      throw new StartupRefusedException(StartupRefusedException.USAGE, tooLong);
    }
    Path dir = SocketDirectory.prepare(socket.toAbsolutePath().getParent(), owner);
    DaemonLock lock = lockOrRefuse(dir, socket);
    try {
      Optional<DaemonInfo> running = RunningDaemonProbe.ping(socket, PING_TIMEOUT);
      if (running.isPresent()) {
        throw alreadyRunning(socket, running.get());
      }
      if (Files.deleteIfExists(socket)) {
        log.info("removed stale socket {} (no daemon answered on it)", socket);
      }
      return new UnixSocketServer(socket, null, lock, owner);
    } catch (IOException e) {
      lock.close();
      throw new StartupRefusedException(StartupRefusedException.FAILED, "cannot remove stale socket " + socket + ": "
          + e.getMessage());
    } catch (RuntimeException e) {
      lock.close();
      throw e;
    }
  }

  /** Listens on the claimed socket and serves {@code services}, owner only. */
  public UnixSocketServer serve(List<BindableService> services, CallTracker tracker) {
    boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    workers = new MultiThreadIoEventLoopGroup(NioIoHandler.newFactory());
    NettyServerBuilder builder = builder(UnixDomainSocketAddress.of(socket), owner, services, tracker, boss, workers);
    try {
      if (inherited != null) {
        server = builder.channelFactory(() -> alreadyBound(inherited)).build().start();
        log.info("serving the socket {} passed by the service manager", socket);
      } else {
        server = builder.channelType(NioServerDomainSocketChannel.class).build().start();
        SocketDirectory.restrictSocket(socket);
        log.info("listening on {}", socket);
      }
      return this;
    } catch (IOException | RuntimeException e) {
      close();
      throw new StartupRefusedException(StartupRefusedException.FAILED, "cannot listen on " + socket + ": "
          + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage()));
    }
  }

  private static DaemonLock lockOrRefuse(Path dir, Path socket) {
    long deadline = System.nanoTime() + LOCK_WAIT.toNanos();
    while (true) {
      try {
        Optional<DaemonLock> lock = DaemonLock.tryAcquire(dir);
        if (lock.isPresent()) {
          return lock.get();
        }
      } catch (IOException e) {
        throw new StartupRefusedException(StartupRefusedException.USAGE, "cannot open " + dir.resolve(DaemonLock.FILE_NAME)
            + ": " + e.getMessage() + ": check the socket directory's owner and mode");
      }
      // Another daemon holds the lock: it is running (it answers) or still starting (it will answer soon).
      Optional<DaemonInfo> running = RunningDaemonProbe.ping(socket, PING_TIMEOUT);
      if (running.isPresent()) {
        throw alreadyRunning(socket, running.get());
      }
      if (System.nanoTime() > deadline) {
        throw new StartupRefusedException(StartupRefusedException.ALREADY_RUNNING, "another atmosd holds "
            + dir.resolve(DaemonLock.FILE_NAME) + " but does not answer on " + socket + ": stop it, or wait for it to"
            + " finish starting");
      }
      try {
        Thread.sleep(100); // polling another process's start-up; there is no event to wait on
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new StartupRefusedException(StartupRefusedException.FAILED, "interrupted while waiting for " + socket);
      }
    }
  }

  private static StartupRefusedException alreadyRunning(Path socket, DaemonInfo info) {
    return new StartupRefusedException(StartupRefusedException.ALREADY_RUNNING,
        "atmosd is already running on " + socket + " (pid " + info.getPid() + ")");
  }

  /**
   * Netty adopts a bound JDK channel ({@code NioServerDomainSocketChannel(ServerSocketChannel)}) and reports it active,
   * but the gRPC server always binds its channel, and binding a bound socket fails. The service manager already
   * bound it, so the bind is answered as done before it reaches the socket.
   */
  private static NioServerDomainSocketChannel alreadyBound(ServerSocketChannel inherited) {
    NioServerDomainSocketChannel channel = new NioServerDomainSocketChannel(inherited);
    channel.pipeline().addFirst("atmosd-already-bound", new ChannelOutboundHandlerAdapter() {
      @Override
      public void bind(ChannelHandlerContext ctx, SocketAddress localAddress, ChannelPromise promise) {
        promise.setSuccess();
      }
    });
    return channel;
  }

  private static NettyServerBuilder builder(SocketAddress address, UserPrincipal owner, List<BindableService> services,
      CallTracker tracker, EventLoopGroup boss, EventLoopGroup workers) {
    NettyServerBuilder builder = NettyServerBuilder
        .forAddress(address, InternalNettyServerCredentials.create(new PeerCredentialNegotiator(owner)))
        .bossEventLoopGroup(boss)
        .workerEventLoopGroup(workers)
        .addTransportFilter(tracker)
        // Interceptors run last-added first: the owner check comes before anything else sees the call.
        .intercept(tracker)
        .intercept(new OwnerOnlyInterceptor());
    services.forEach(builder::addService);
    return builder;
  }

  public Path socket() {
    return socket;
  }

  public boolean socketActivated() {
    return inherited != null;
  }

  /** Stops accepting connections; calls in flight go on. */
  public void stopAccepting() {
    if (server == null) {
      return;
    }
    if (inherited != null) {
      keepInheritedSocketPath(server::shutdown);
    } else {
      server.shutdown();
    }
  }

  /** Waits up to {@code grace} for calls in flight, then cancels what is left. True when all finished in time. */
  public boolean awaitCalls(Duration grace) throws InterruptedException {
    if (server == null) {
      return true;
    }
    boolean finished = server.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS);
    if (!finished) {
      server.shutdownNow();
      server.awaitTermination(2, TimeUnit.SECONDS);
    }
    return finished;
  }

  public void awaitTermination() throws InterruptedException {
    if (server != null) {
      server.awaitTermination();
    }
  }

  /**
   * Netty deletes a domain socket's file when it closes the channel. The service manager owns an inherited socket
   * and keeps listening on it after we exit, so its path must survive: a hard link made before the close is renamed
   * back after it.
   */
  private void keepInheritedSocketPath(Runnable close) {
    Path keep = socket.resolveSibling("." + socket.getFileName() + ".keep-" + ProcessHandle.current().pid());
    boolean linked;
    try {
      Files.deleteIfExists(keep);
      Files.createLink(keep, socket);
      linked = true;
    } catch (IOException | UnsupportedOperationException e) {
      log.warn("cannot keep the inherited socket path {} across shutdown ({}); restart atmosd.socket afterwards",
          socket, e.getClass().getSimpleName());
      linked = false;
    }
    close.run();
    if (linked) {
      try {
        server.awaitTermination(0, TimeUnit.MILLISECONDS);
        waitForFileGone(socket);
        Files.move(keep, socket, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException | InterruptedException e) {
        log.warn("cannot restore the inherited socket path {} ({}); restart atmosd.socket", socket,
            e.getClass().getSimpleName());
      }
    }
  }

  private static void waitForFileGone(Path file) throws InterruptedException {
    // The listener closes on its event loop shortly after shutdown(); give it a moment before restoring the path.
    Instant until = Instant.now().plusSeconds(2);
    while (Files.exists(file) && Instant.now().isBefore(until)) {
      Thread.sleep(10);
    }
  }

  /** Releases what claim() and serve() took: the server, its event loops, the socket file (unless inherited), the lock. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (server != null) {
      if (!server.isShutdown()) {
        stopAccepting();
      }
      server.shutdownNow();
      try {
        server.awaitTermination(2, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (boss != null) {
      boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
      workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
    if (inherited == null) {
      try {
        Files.deleteIfExists(socket);
      } catch (IOException e) {
        log.warn("cannot remove socket {}: {}", socket, e.getClass().getSimpleName());
      }
    }
    if (lock != null) {
      lock.close();
    }
  }
}
