package dev.atmosd.emulator;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/** The Netty HTTP/1.1 server on 127.0.0.1. Threads are daemons so a forgotten close() never hangs a test JVM. */
final class EmulatorServer {
    private static final int MAX_BODY_BYTES = 4 * 1024 * 1024;

    private final EventLoopGroup boss =
            new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("sso-emulator-accept", true),
                    NioIoHandler.newFactory());
    private final EventLoopGroup workers =
            new MultiThreadIoEventLoopGroup(0, new DefaultThreadFactory("sso-emulator-io", true),
                    NioIoHandler.newFactory());
    private Channel channel;

    InetSocketAddress bind(int port, RequestDispatcher dispatcher) {
        try {
            channel = new ServerBootstrap()
                    .group(boss, workers)
                    .channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline()
                                    .addLast(new HttpServerCodec())
                                    .addLast(new HttpObjectAggregator(MAX_BODY_BYTES))
                                    .addLast(dispatcher);
                        }
                    })
                    .bind(new InetSocketAddress("127.0.0.1", port))
                    .syncUninterruptibly()
                    .channel();
            return (InetSocketAddress) channel.localAddress();
        } catch (RuntimeException e) {
            stop();
            throw new IllegalStateException("cannot bind the SSO emulator to 127.0.0.1:" + port, e);
        }
    }

    void stop() {
        if (channel != null) {
            channel.close().syncUninterruptibly();
        }
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
