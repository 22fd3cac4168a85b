package dev.atmosd.daemon.rpc;

import io.grpc.Attributes;
import io.grpc.netty.GrpcHttp2ConnectionHandler;
import io.grpc.netty.InternalProtocolNegotiationEvent;
import io.grpc.netty.InternalProtocolNegotiator;
import io.grpc.netty.InternalProtocolNegotiators;
import io.grpc.netty.ProtocolNegotiationEvent;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.nio.NioChannelOption;
import io.netty.util.AsciiString;
import java.nio.file.attribute.UserPrincipal;
import java.util.concurrent.TimeUnit;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plaintext gRPC negotiation that first reads the connecting process's credentials (SO_PEERCRED) from the accepted
 * Unix-domain channel, the one place gRPC lets us see the Netty channel. The verdict travels as a transport
 * attribute to {@link OwnerOnlyInterceptor}, which answers every call of a foreign peer with PERMISSION_DENIED; the
 * connection itself is closed shortly after, so a refused peer never gets to keep it open. A peer whose credentials
 * cannot be read is closed at once.
 */
final class PeerCredentialNegotiator implements InternalProtocolNegotiator.ProtocolNegotiator {
  static final Attributes.Key<PeerVerdict> PEER = Attributes.Key.create("atmosd.peer");

  /** Who connected and whether they are the daemon's owner. */
  record PeerVerdict(boolean owner, String peer) {}

  private static final Logger log = LoggerFactory.getLogger(PeerCredentialNegotiator.class);
  private static final long REFUSED_CONNECTION_GRACE_MILLIS = 1_000;

  private final InternalProtocolNegotiator.ProtocolNegotiator plaintext = InternalProtocolNegotiators.serverPlaintext();
  private final UserPrincipal owner;

  PeerCredentialNegotiator(UserPrincipal owner) {
    this.owner = owner;
  }

  @Override
  public AsciiString scheme() {
    return plaintext.scheme();
  }

  @Override
  public ChannelHandler newHandler(GrpcHttp2ConnectionHandler grpcHandler) {
    ChannelHandler next = plaintext.newHandler(grpcHandler);
    return new InternalProtocolNegotiators.ProtocolNegotiationHandler(next, grpcHandler.getNegotiationLogger()) {
      @Override
      protected void protocolNegotiationEventTriggered(ChannelHandlerContext ctx) {
        UnixDomainPrincipal peer;
        try {
          peer = ctx.channel().config().getOption(NioChannelOption.of(ExtendedSocketOptions.SO_PEERCRED));
        } catch (RuntimeException unreadable) {
          peer = null;
        }
        if (peer == null) {
          log.warn("refused a connection whose peer credentials could not be read");
          ctx.close();
          return;
        }
        boolean isOwner = owner.equals(peer.user());
        String who = UnixUsers.describe(peer.user());
        if (!isOwner) {
          log.warn("refused a connection from {}: atmosd serves only its owner, {}", who, UnixUsers.describe(owner));
          ctx.channel().eventLoop().schedule(() -> {
            ctx.channel().close();
          }, REFUSED_CONNECTION_GRACE_MILLIS, TimeUnit.MILLISECONDS);
        }
        ProtocolNegotiationEvent event = getProtocolNegotiationEvent();
        Attributes attributes = InternalProtocolNegotiationEvent.getAttributes(event).toBuilder()
            .set(PEER, new PeerVerdict(isOwner, who))
            .build();
        replaceProtocolNegotiationEvent(InternalProtocolNegotiationEvent.withAttributes(event, attributes));
        fireProtocolNegotiationEvent(ctx);
      }
    };
  }

  @Override
  public void close() {
    plaintext.close();
  }
}
