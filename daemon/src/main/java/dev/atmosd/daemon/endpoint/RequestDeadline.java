package dev.atmosd.daemon.endpoint;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection whose next complete request does not arrive in time. An idle timeout alone would let a client
 * that trickles one byte a second hold a connection forever; this deadline runs from connecting (or from the previous
 * response) to the last byte of the request, however the bytes are spread. Sits after the aggregator, so it sees
 * whole requests coming in and whole responses going out.
 */
final class RequestDeadline extends ChannelDuplexHandler {
  private final Duration deadline;
  private ScheduledFuture<?> pending;

  RequestDeadline(Duration deadline) {
    this.deadline = deadline;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    if (ctx.channel().isActive()) {
      arm(ctx);
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    arm(ctx);
    super.channelActive(ctx);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    if (msg instanceof FullHttpRequest) {
      disarm();
    }
    super.channelRead(ctx, msg);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
    if (msg instanceof LastHttpContent) {
      promise = promise.unvoid();
      promise.addListener(done -> arm(ctx));
    }
    super.write(ctx, msg, promise);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    disarm();
    super.channelInactive(ctx);
  }

  private void arm(ChannelHandlerContext ctx) {
    disarm();
    if (ctx.channel().isOpen()) {
      pending = ctx.executor().schedule(() -> {
        ctx.close();
      }, deadline.toNanos(), TimeUnit.NANOSECONDS);
    }
  }

  private void disarm() {
    if (pending != null) {
      pending.cancel(false);
      pending = null;
    }
  }
}
