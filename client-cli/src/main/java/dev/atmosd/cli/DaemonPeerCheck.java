package dev.atmosd.cli;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.nio.NioChannelOption;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.util.function.Consumer;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

/**
 * The first handler of every connection to the daemon: once connected, and before gRPC may write a byte, it reads the
 * process behind the socket (SO_PEERCRED on Linux; the JDK answers it with getpeereid/LOCAL_PEERCRED on macOS) and
 * fails the connect unless that process runs as the user. gRPC starts writing on channelActive, which is held back
 * until the check passed.
 */
final class DaemonPeerCheck extends ChannelDuplexHandler {
  private final Path socket;
  private final Consumer<UntrustedDaemonException> refusals;
  private boolean trusted;

  /** {@code refusals} hears of every refused peer: gRPC reports the closed connection without saying why. */
  DaemonPeerCheck(Path socket, Consumer<UntrustedDaemonException> refusals) {
    this.socket = socket;
    this.refusals = refusals;
  }

  @Override
  public void connect(ChannelHandlerContext ctx, SocketAddress remote, SocketAddress local, ChannelPromise promise) {
    ChannelPromise connected = ctx.newPromise();
    connected.addListener(done -> {
      if (!done.isSuccess()) {
        promise.tryFailure(done.cause());
        return;
      }
      String problem = problemWithPeer(ctx);
      if (problem == null) {
        trusted = true;
        promise.trySuccess();
      } else {
        UntrustedDaemonException refused = new UntrustedDaemonException(problem);
        refusals.accept(refused);
        promise.tryFailure(refused);
        ctx.channel().close();
      }
    });
    ctx.connect(remote, local, connected);
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    if (trusted) {
      ctx.fireChannelActive();
    }
  }

  private String problemWithPeer(ChannelHandlerContext ctx) {
    UnixDomainPrincipal peer;
    try {
      peer = ctx.channel().config().getOption(NioChannelOption.of(ExtendedSocketOptions.SO_PEERCRED));
    } catch (RuntimeException unreadable) {
      peer = null;
    }
    if (peer == null) {
      return "cannot tell which user runs the process on " + socket + " (no peer credentials on this platform):"
          + " refusing to talk to it";
    }
    UserPrincipal me = SocketTrust.currentUser();
    if (peer.user().equals(me)) {
      return null;
    }
    return "the process answering on " + socket + " runs as " + SocketTrust.describe(peer.user()) + ", not as you ("
        + SocketTrust.describe(me) + "): another user may be posing as atmosd; stop it (ask an administrator if you"
        + " cannot) or set ATMOSD_SOCKET to a path in a directory of your own";
  }
}
