package dev.atmosd.cli;

import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerDomainSocketChannel;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The contract's other side for client tests: a real gRPC server on a real Unix socket serving the generated
 * {@code *ImplBase} services a test provides. Not the daemon: it answers what each test scripts.
 */
final class ContractServer implements AutoCloseable {
  private final Server server;
  private final MultiThreadIoEventLoopGroup loop;
  private final Path socket;

  private ContractServer(Server server, MultiThreadIoEventLoopGroup loop, Path socket) {
    this.server = server;
    this.loop = loop;
    this.socket = socket;
  }

  static ContractServer start(Path socket, BindableService... services) throws IOException {
    MultiThreadIoEventLoopGroup loop = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    NettyServerBuilder builder = NettyServerBuilder.forAddress(UnixDomainSocketAddress.of(socket))
        .channelType(NioServerDomainSocketChannel.class)
        .bossEventLoopGroup(loop)
        .workerEventLoopGroup(loop);
    for (BindableService service : services) {
      builder.addService(service);
    }
    try {
      return new ContractServer(builder.build().start(), loop, socket);
    } catch (IOException | RuntimeException failed) {
      loop.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
      throw failed;
    }
  }

  /** Drops every connection at once, as a crashed daemon would, and leaves nothing listening. */
  void crash() {
    server.shutdownNow();
  }

  @Override
  public void close() throws IOException {
    server.shutdownNow();
    try {
      server.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
    }
    loop.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
    Files.deleteIfExists(socket);
  }
}
