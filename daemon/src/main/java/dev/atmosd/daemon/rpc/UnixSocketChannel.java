package dev.atmosd.daemon.rpc;

import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDomainSocketChannel;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A gRPC client connection to a daemon socket over NIO domain sockets (no native library). Used by the daemon to ask
 * whether another daemon already serves its socket, and by tests. Closing it also stops its event loop.
 */
public final class UnixSocketChannel implements AutoCloseable {
  private final EventLoopGroup group;
  private final ManagedChannel channel;

  private UnixSocketChannel(EventLoopGroup group, ManagedChannel channel) {
    this.group = group;
    this.channel = channel;
  }

  public static UnixSocketChannel connect(Path socket) {
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    ManagedChannel channel = NettyChannelBuilder.forAddress(UnixDomainSocketAddress.of(socket))
        .channelType(NioDomainSocketChannel.class, UnixDomainSocketAddress.class)
        .eventLoopGroup(group)
        .usePlaintext()
        // grpc-java would send the socket path as :authority, which is not a valid host name.
        .overrideAuthority("localhost")
        .build();
    return new UnixSocketChannel(group, channel);
  }

  public ManagedChannel channel() {
    return channel;
  }

  @Override
  public void close() {
    channel.shutdownNow();
    try {
      channel.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
  }
}
