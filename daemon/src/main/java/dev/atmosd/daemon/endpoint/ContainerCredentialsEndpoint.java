package dev.atmosd.daemon.endpoint;

import dev.atmosd.daemon.config.ConfigRequest;
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
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The loopback HTTP endpoint that speaks the AWS container-credentials protocol, so SDKs (terraform's, botocore,
 * the Java SDK) fetch and refresh an identity's credentials on their own: {@code AWS_CONTAINER_CREDENTIALS_FULL_URI}
 * = {@code http://127.0.0.1:PORT/v1/credentials/<grantId>} and {@code AWS_CONTAINER_AUTHORIZATION_TOKEN} = a random
 * 256-bit token. Each grant opens exactly one identity, and only for as long as it is needed: while the client process
 * that runs an {@code exec}/{@code terraform} child lives, or until a set time ({@code auth env}), and never past a
 * logout of its portal session. Revoking it closes that door at once.
 */
public final class ContainerCredentialsEndpoint implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ContainerCredentialsEndpoint.class);
  private static final SecureRandom RANDOM = new SecureRandom();
  /** 127.0.0.1 exactly, not whatever getLoopbackAddress() prefers (::1 under preferIPv6Addresses): the URI names it. */
  private static final InetAddress IPV4_LOOPBACK = ipv4Loopback();
  private static final Duration SWEEP_PERIOD = Duration.ofSeconds(30);

  private final EventLoopGroup loop;
  private final ExecutorService fileWork;
  private final Channel server;
  private final GrantedCredentials credentials;
  private final Map<String, LiveGrant> grants;
  private final String endpointUrl;
  private final Clock clock;
  private final ScheduledExecutorService sweeper;
  private final EndpointGrantsFile stateFile;
  private final int port;

  private record LiveGrant(CredentialGrant grant, AutoCloseable freshness) {}

  private ContainerCredentialsEndpoint(EventLoopGroup loop, ExecutorService fileWork, Channel server,
      GrantedCredentials credentials, Map<String, LiveGrant> grants, int port, Clock clock,
      EndpointGrantsFile stateFile) {
    this.grants = grants;
    this.stateFile = stateFile;
    this.port = port;
    this.clock = clock;
    this.sweeper = Executors.newSingleThreadScheduledExecutor(daemonThreads("atmosd-endpoint-sweep"));
    // Expired grants already answer 403 at once (checked on every request); the sweep only lets go of what they hold.
    sweeper.scheduleWithFixedDelay(this::sweep, SWEEP_PERIOD.toSeconds(), SWEEP_PERIOD.toSeconds(), TimeUnit.SECONDS);
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
  public static ContainerCredentialsEndpoint start(CredentialBroker broker, ConfigLoader configLoader, int port,
      Clock clock) {
    return start(port, EndpointLimits.DEFAULT,
        fileWork -> new BrokerGrantedCredentials(broker, configLoader, fileWork), clock, null);
  }

  /**
   * As {@link #start(CredentialBroker, ConfigLoader, int, Clock)}, keeping the port and the grants in
   * {@code grantsFile} so a restarted daemon serves the same URIs and tokens: with {@code port} 0 the saved port is
   * bound again (any free one if it is taken, and the saved grants, naming the old port, are then dropped).
   */
  public static ContainerCredentialsEndpoint start(CredentialBroker broker, ConfigLoader configLoader, int port,
      Clock clock, Path grantsFile) {
    return start(port, EndpointLimits.DEFAULT,
        fileWork -> new BrokerGrantedCredentials(broker, configLoader, fileWork), clock, grantsFile);
  }

  static ContainerCredentialsEndpoint start(int port, EndpointLimits limits,
      java.util.function.Function<ExecutorService, GrantedCredentials> credentialsFactory) {
    return start(port, limits, credentialsFactory, Clock.systemUTC(), null);
  }

  static ContainerCredentialsEndpoint start(int port, EndpointLimits limits,
      java.util.function.Function<ExecutorService, GrantedCredentials> credentialsFactory, Clock clock,
      Path grantsFile) {
    EndpointGrantsFile stateFile = grantsFile == null ? null : new EndpointGrantsFile(grantsFile);
    Optional<EndpointGrantsFile.Contents> saved = Optional.empty();
    if (stateFile != null) {
      try {
        saved = stateFile.read();
      } catch (IOException | RuntimeException e) {
        log.warn("ignoring {}: {}", grantsFile, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
      }
    }
    if (port == 0 && saved.isPresent() && saved.get().port() > 0) {
      try {
        return bind(saved.get().port(), limits, credentialsFactory, clock, stateFile, saved.get().grants());
      } catch (UncheckedIOException taken) {
        log.warn("the endpoint's previous port {} is taken; listening on another, so grants made before the restart"
            + " stop working", saved.get().port());
      }
    }
    List<CredentialGrant> restored = saved.filter(s -> s.port() == port).map(EndpointGrantsFile.Contents::grants)
        .orElse(List.of());
    return bind(port, limits, credentialsFactory, clock, stateFile, restored);
  }

  private static ContainerCredentialsEndpoint bind(int port, EndpointLimits limits,
      java.util.function.Function<ExecutorService, GrantedCredentials> credentialsFactory, Clock clock,
      EndpointGrantsFile stateFile, List<CredentialGrant> restored) {
    ExecutorService fileWork = Executors.newCachedThreadPool(daemonThreads("atmosd-endpoint-config"));
    GrantedCredentials credentials = credentialsFactory.apply(fileWork);
    EventLoopGroup loop = new MultiThreadIoEventLoopGroup(1, daemonThreads("atmosd-endpoint"), NioIoHandler.newFactory());
    Map<String, LiveGrant> grants = new ConcurrentHashMap<>();
    AtomicReference<ContainerCredentialsEndpoint> self = new AtomicReference<>();
    CredentialRequestHandler handler = new CredentialRequestHandler(id -> self.get().liveGrant(id), credentials, limits);
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
          new ContainerCredentialsEndpoint(loop, fileWork, server, credentials, grants, bound, clock, stateFile);
      self.set(endpoint);
      endpoint.restore(restored);
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

  /** Opens the endpoint to {@code identity} until revoked (tests; the daemon always gives a grant an end). */
  public IssuedGrant grant(Path configPath, Map<String, String> clientEnv, String identity) {
    return grant(configPath, clientEnv, identity, null, null, null);
  }

  /**
   * Opens the endpoint to {@code identity} as resolved from {@code configPath} with {@code clientEnv}: until
   * {@code expiresAt}, while {@code holder} runs, until the portal session {@code sessionKey} is signed out, or until
   * revoked, whichever comes first. The caller has already checked the identity (and signed in), so the first fetch is
   * a cache hit.
   */
  public IssuedGrant grant(Path configPath, Map<String, String> clientEnv, String identity, String sessionKey,
      Instant expiresAt, CredentialGrant.GrantHolder holder) {
    return grant(ConfigRequest.of(configPath), clientEnv, identity, sessionKey, expiresAt, holder);
  }

  /** As above, for a config made of several files and profiles. */
  public IssuedGrant grant(ConfigRequest config, Map<String, String> clientEnv, String identity, String sessionKey,
      Instant expiresAt, CredentialGrant.GrantHolder holder) {
    String grantId = random(16);
    String token = random(32);
    CredentialGrant grant = new CredentialGrant(grantId, identity, CredentialGrant.sha256(token),
        config, Map.copyOf(clientEnv), sessionKey, expiresAt, holder);
    admit(grant);
    persist();
    log.info("container endpoint granted identity '{}' as grant {} ({})", identity, grantId,
        holder != null ? "while process " + holder.pid() + " runs" : expiresAt != null ? "until " + expiresAt
            : "until revoked");
    return new IssuedGrant(grant, fullUri(grantId), token);
  }

  /**
   * The process {@code pid} as a grant holder, with its start time so a reused pid is not mistaken for it.
   *
   * @throws IllegalArgumentException when no such process runs
   */
  public static CredentialGrant.GrantHolder holder(long pid) {
    ProcessHandle process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
        .orElseThrow(() -> new IllegalArgumentException("no process " + pid + " runs"));
    return new CredentialGrant.GrantHolder(pid, process.info().startInstant().orElse(null));
  }

  /** Takes back the grants a previous daemon saved, except those that ended while no daemon watched. */
  private void restore(List<CredentialGrant> saved) {
    int kept = 0;
    for (CredentialGrant grant : saved) {
      if (endReason(grant) == null) {
        admit(grant);
        kept++;
      }
    }
    persist();
    if (!saved.isEmpty()) {
      log.info("container endpoint restored {} of {} saved grant(s)", kept, saved.size());
    }
  }

  /** Saves the port and the live grants; a failure costs only the grants' survival of a restart. */
  private synchronized void persist() {
    if (stateFile == null) {
      return;
    }
    try {
      stateFile.write(port, grants.values().stream().map(LiveGrant::grant).toList());
    } catch (IOException | RuntimeException e) {
      log.warn("could not save the endpoint's grants to {} (they will not survive a restart): {}", stateFile.path(),
          e.getClass().getSimpleName());
    }
  }

  private void admit(CredentialGrant grant) {
    grants.put(grant.grantId(), new LiveGrant(grant, credentials.holdFresh(grant)));
    if (grant.holder() != null) {
      // Polled by the JDK for a process that is not our child; liveGrant() also checks on every request.
      ProcessHandle.of(grant.holder().pid()).ifPresentOrElse(
          process -> process.onExit().thenRun(() -> revoke(grant.grantId(), "its process ended")),
          () -> revoke(grant.grantId(), "its process ended"));
    }
  }

  private String fullUri(String grantId) {
    return endpointUrl + CredentialRequestHandler.PATH_PREFIX + grantId;
  }

  /** The grant {@code grantId} if it still lives; one that has expired or lost its process is revoked here. */
  CredentialGrant liveGrant(String grantId) {
    LiveGrant live = grants.get(grantId);
    if (live == null) {
      return null;
    }
    String ended = endReason(live.grant());
    if (ended != null) {
      revoke(grantId, ended);
      return null;
    }
    return live.grant();
  }

  private String endReason(CredentialGrant grant) {
    if (grant.expiresAt() != null && !clock.instant().isBefore(grant.expiresAt())) {
      return "it expired";
    }
    if (grant.holder() != null && !holderRuns(grant.holder())) {
      return "its process ended";
    }
    return null;
  }

  private static boolean holderRuns(CredentialGrant.GrantHolder holder) {
    return ProcessHandle.of(holder.pid()).filter(ProcessHandle::isAlive)
        .map(process -> holder.startedAt() == null
            || process.info().startInstant().map(holder.startedAt()::equals).orElse(true))
        .orElse(false);
  }

  private void sweep() {
    try {
      for (LiveGrant live : List.copyOf(grants.values())) {
        String ended = endReason(live.grant());
        if (ended != null) {
          revoke(live.grant().grantId(), ended);
        }
      }
    } catch (RuntimeException e) {
      log.warn("sweeping ended grants failed: {}", e.getClass().getSimpleName());
    }
  }

  /**
   * The portal session {@code sessionKey} was signed out: every grant made through it is revoked for good, so a later
   * sign-in does not bring those tokens back. Returns how many were revoked.
   */
  public int revokeSession(String sessionKey) {
    int revoked = 0;
    for (LiveGrant live : List.copyOf(grants.values())) {
      if (sessionKey.equals(live.grant().sessionKey()) && revoke(live.grant().grantId(), "its session was signed out")) {
        revoked++;
      }
    }
    return revoked;
  }

  /** How many grants {@link #revokeSession} would revoke now (a logout reports it; a dry run only shows it). */
  public int grantsOfSession(String sessionKey) {
    return (int) grants.values().stream().filter(live -> sessionKey.equals(live.grant().sessionKey())).count();
  }

  /**
   * {@code atmos auth logout IDENTITY}: every grant of {@code identity} as configured in {@code configPath} (its main
   * atmos.yaml) is revoked; the grants of other identities on the same portal stay. Returns how many were revoked.
   */
  public int revokeIdentity(Path configPath, String identity) {
    int revoked = 0;
    for (LiveGrant live : List.copyOf(grants.values())) {
      if (ofIdentity(live.grant(), configPath, identity)
          && revoke(live.grant().grantId(), "its identity was logged out")) {
        revoked++;
      }
    }
    return revoked;
  }

  /** How many grants {@link #revokeIdentity} would revoke now. */
  public int grantsOfIdentity(Path configPath, String identity) {
    return (int) grants.values().stream().filter(live -> ofIdentity(live.grant(), configPath, identity)).count();
  }

  private static boolean ofIdentity(CredentialGrant grant, Path configPath, String identity) {
    return grant.identity().equals(identity) && grant.configPath().equals(configPath);
  }

  /** Closes the grant: its token stops working at once. False when no such grant lives. */
  public boolean revoke(String grantId) {
    return revoke(grantId, "its client revoked it");
  }

  private boolean revoke(String grantId, String why) {
    LiveGrant removed = grantId == null ? null : grants.remove(grantId);
    if (removed == null) {
      return false;
    }
    release(removed);
    persist();
    log.info("container endpoint revoked grant {} of identity '{}': {}", grantId, removed.grant().identity(), why);
    return true;
  }

  /** The number of live grants, for status. */
  public int liveGrants() {
    return grants.size();
  }

  @Override
  public void close() {
    sweeper.shutdownNow();
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
