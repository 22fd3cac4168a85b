package dev.atmosd.daemon.endpoint;

import static dev.atmosd.daemon.DaemonThreads.daemonThreads;

import dev.atmosd.daemon.config.ConfigLoader;
import dev.atmosd.daemon.credentials.CredentialBroker;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The loopback HTTP endpoint that speaks the AWS container-credentials protocol, so SDKs (terraform's, botocore,
 * the Java SDK) fetch and refresh an identity's credentials on their own: {@code AWS_CONTAINER_CREDENTIALS_FULL_URI}
 * = {@code http://127.0.0.1:PORT/v1/credentials/<grantId>} and {@code AWS_CONTAINER_AUTHORIZATION_TOKEN} = a random
 * 256-bit token. Each grant opens exactly one identity; revoking it closes that door at once.
 */
public final class ContainerCredentialsEndpoint implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ContainerCredentialsEndpoint.class);
  private static final SecureRandom RANDOM = new SecureRandom();
  /** 127.0.0.1 exactly, not whatever getLoopbackAddress() prefers (::1 under preferIPv6Addresses): the URI names it. */
  private static final InetAddress IPV4_LOOPBACK = ipv4Loopback();

  private final EventLoopGroup loop;
  private final ExecutorService fileWork;
  private final Channel server;
  private final GrantedCredentials credentials;
  private final Map<String, LiveGrant> grants;
  private final String endpointUrl;

  private record LiveGrant(CredentialGrant grant, AutoCloseable freshness) {}

  private ContainerCredentialsEndpoint(EventLoopGroup loop, ExecutorService fileWork, Channel server,
      GrantedCredentials credentials, Map<String, LiveGrant> grants, int port) {
    this.grants = grants;
    this.loop = loop;
    this.fileWork = fileWork;
    this.server = server;
    this.credentials = credentials;
    this.endpointUrl = "http://127.0.0.1:" + port;
  }

  /**
   * Binds {@code 127.0.0.1:port} ({@code 0}: an ephemeral port; the daemon passes {@code ATMOSD_ENDPOINT_PORT}).
   *
   * @throws UncheckedIOException when the port cannot be bound
   */
  public static ContainerCredentialsEndpoint start(CredentialBroker broker, ConfigLoader configLoader, int port) {
    return start(port, EndpointLimits.DEFAULT,
        fileWork -> new BrokerGrantedCredentials(broker, configLoader, fileWork));
  }

  static ContainerCredentialsEndpoint start(int port, EndpointLimits limits,
      java.util.function.Function<ExecutorService, GrantedCredentials> credentialsFactory) {
    ExecutorService fileWork = Executors.newCachedThreadPool(daemonThreads("atmosd-endpoint-config"));
    GrantedCredentials credentials = credentialsFactory.apply(fileWork);
    EventLoopGroup loop = new MultiThreadIoEventLoopGroup(1, daemonThreads("atmosd-endpoint"), NioIoHandler.newFactory());
    Map<String, LiveGrant> grants = new ConcurrentHashMap<>();
    CredentialRequestHandler handler = new CredentialRequestHandler(
        id -> {
          LiveGrant live = grants.get(id);
          return live == null ? null : live.grant();
        }, credentials, limits);
    try {
      Channel server = new ServerBootstrap()
          .group(loop)
          .channel(NioServerSocketChannel.class)
          .option(ChannelOption.SO_BACKLOG, 128)
          .childHandler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel channel) {
              channel.pipeline()
                  .addLast(new HttpServerCodec(new HttpDecoderConfig()
                      .setMaxInitialLineLength(2048)
                      .setMaxHeaderSize(limits.maxHeaderBytes())
                      .setMaxChunkSize(limits.maxContentBytes())))
                  .addLast(new HttpObjectAggregator(limits.maxContentBytes(), true))
                  .addLast(new RequestDeadline(limits.requestDeadline()))
                  .addLast(handler);
            }
          })
          .bind(new InetSocketAddress(IPV4_LOOPBACK, port))
          .syncUninterruptibly()
          .channel();
      int bound = ((InetSocketAddress) server.localAddress()).getPort();
      handler.listeningOn(bound);
      ContainerCredentialsEndpoint endpoint =
          new ContainerCredentialsEndpoint(loop, fileWork, server, credentials, grants, bound);
      log.info("container-credentials endpoint listening on {}", endpoint.endpointUrl);
      return endpoint;
    } catch (Exception e) { // Netty rethrows the bind's IOException unchecked
      loop.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
      fileWork.shutdownNow();
      throw new UncheckedIOException("could not bind the container-credentials endpoint on 127.0.0.1:" + port
          + " (" + e.getClass().getSimpleName() + "); set ATMOSD_ENDPOINT_PORT to a free port or 0",
          e instanceof IOException io ? io : new IOException(e));
    }
  }

  /** {@code http://127.0.0.1:PORT}, for status output. */
  public String endpointUrl() {
    return endpointUrl;
  }

  /**
   * Opens the endpoint to {@code identity} as resolved from {@code configPath} with {@code clientEnv}, until revoked.
   * The caller has already checked the identity (and signed in), so the first fetch is a cache hit.
   */
  public CredentialGrant grant(Path configPath, Map<String, String> clientEnv, String identity) {
    String grantId = random(16);
    CredentialGrant grant = new CredentialGrant(grantId, identity,
        endpointUrl + CredentialRequestHandler.PATH_PREFIX + grantId, random(32),
        configPath.toAbsolutePath().normalize(), Map.copyOf(clientEnv));
    grants.put(grantId, new LiveGrant(grant, credentials.holdFresh(grant)));
    log.info("container endpoint granted identity '{}' as grant {}", identity, grantId);
    return grant;
  }

  /** Closes the grant: its token stops working at once. False when no such grant lives. */
  public boolean revoke(String grantId) {
    LiveGrant removed = grantId == null ? null : grants.remove(grantId);
    if (removed == null) {
      return false;
    }
    release(removed);
    log.info("container endpoint revoked grant {} of identity '{}'", grantId, removed.grant().identity());
    return true;
  }

  /** The number of live grants, for status. */
  public int liveGrants() {
    return grants.size();
  }

  @Override
  public void close() {
    server.close().syncUninterruptibly();
    grants.values().forEach(ContainerCredentialsEndpoint::release);
    grants.clear();
    loop.shutdownGracefully(0, 2, TimeUnit.SECONDS);
    fileWork.shutdownNow();
  }

  private static void release(LiveGrant grant) {
    try {
      grant.freshness().close();
    } catch (Exception e) {
      log.debug("releasing a grant failed: {}", e.getClass().getSimpleName());
    }
  }

  private static InetAddress ipv4Loopback() {
    try {
      return InetAddress.getByAddress("localhost", new byte[] {127, 0, 0, 1});
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException("a 4-byte address is always valid", e);
    }
  }

  private static String random(int bytes) {
    byte[] value = new byte[bytes];
    RANDOM.nextBytes(value);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(value);
  }
}
