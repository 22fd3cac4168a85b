package dev.atmosd.daemon.rpc;

import dev.atmosd.daemon.config.AtmosConfig;
import dev.atmosd.daemon.config.ConfigLoader;
import dev.atmosd.daemon.config.ConfigRequest;
import dev.atmosd.daemon.config.IdentityConfig;
import dev.atmosd.daemon.config.ProviderConfig;
import dev.atmosd.daemon.credentials.CredentialBroker;
import dev.atmosd.daemon.credentials.IdentityChain;
import dev.atmosd.daemon.credentials.MintedCredentials;
import dev.atmosd.daemon.credentials.VerifiedCaller;
import dev.atmosd.daemon.endpoint.ContainerCredentialsEndpoint;
import dev.atmosd.daemon.endpoint.CredentialGrant;
import dev.atmosd.daemon.endpoint.IssuedGrant;
import dev.atmosd.daemon.config.GoDurations;
import dev.atmosd.daemon.session.PortalSessions;
import dev.atmosd.daemon.session.SessionSnapshot;
import dev.atmosd.v1.AuthEvent;
import dev.atmosd.v1.CallerIdentity;
import dev.atmosd.v1.ClientContext;
import dev.atmosd.v1.CredentialState;
import dev.atmosd.v1.EndpointGrant;
import dev.atmosd.v1.IdentitiesGrpc;
import dev.atmosd.v1.IdentityInfo;
import dev.atmosd.v1.IdentityRequest;
import dev.atmosd.v1.ListIdentitiesReply;
import dev.atmosd.v1.ListIdentitiesRequest;
import dev.atmosd.v1.PortalSession;
import dev.atmosd.v1.ProviderInfo;
import dev.atmosd.v1.RevokeEndpointReply;
import dev.atmosd.v1.RevokeEndpointRequest;
import dev.atmosd.v1.RoleCredentials;
import dev.atmosd.v1.SessionState;
import com.google.protobuf.Timestamp;
import io.grpc.Status;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lists identities and hands out their credentials: directly ({@code credential-process}, {@code env}, {@code exec}),
 * as a container-endpoint grant (terraform's SDKs then refresh on their own), or as STS's view of who they are.
 * Streaming calls first relay any sign-in the portal needs (every client joins the one device flow), then send their
 * one result. Nothing sent or logged here carries a secret except the credentials event itself.
 */
public final class IdentitiesService extends IdentitiesGrpc.IdentitiesImplBase {
  private static final Logger log = LoggerFactory.getLogger(IdentitiesService.class);

  private final ClientConfigs configs;
  private final CredentialBroker broker;
  private final ContainerCredentialsEndpoint endpoint;
  private final PortalSessions sessions;
  private final Clock clock;

  /** An {@code auth env} grant's life when neither the client nor the provider's session.duration says. */
  static final Duration DEFAULT_GRANT_LIFETIME = Duration.ofHours(8);

  /** @param endpoint the container endpoint, or null when it could not start (grants then fail UNAVAILABLE) */
  public IdentitiesService(ConfigLoader configLoader, CredentialBroker broker, ContainerCredentialsEndpoint endpoint,
      PortalSessions sessions) {
    this(configLoader, broker, endpoint, sessions, Clock.systemUTC());
  }

  public IdentitiesService(ConfigLoader configLoader, CredentialBroker broker, ContainerCredentialsEndpoint endpoint,
      PortalSessions sessions, Clock clock) {
    this.clock = clock;
    this.configs = new ClientConfigs(configLoader, sessions);
    this.broker = broker;
    this.endpoint = endpoint;
    this.sessions = sessions;
  }

  @Override
  public void listIdentities(ListIdentitiesRequest request, StreamObserver<ListIdentitiesReply> response) {
    try {
      AtmosConfig config = load(request.getContext());
      List<SessionSnapshot> snapshots = sessions == null ? List.of() : sessions.snapshot();
      ListIdentitiesReply.Builder reply = ListIdentitiesReply.newBuilder().setConfigPath(String.valueOf(config.source()));
      for (ProviderConfig provider : config.providers().values()) {
        reply.addProviders(providerInfo(provider, config, snapshots));
      }
      for (IdentityConfig identity : config.identities().values()) {
        reply.addIdentities(identityInfo(identity, config));
      }
      response.onNext(reply.build());
      response.onCompleted();
    } catch (RuntimeException e) {
      response.onError(StatusErrors.toStatus(e));
    }
  }

  @Override
  public void getCredentials(IdentityRequest request, StreamObserver<AuthEvent> response) {
    streamFor(request, response, (config, identity, stream) -> broker.credentials(config, identity.name(), stream)
        .whenComplete((minted, failure) -> {
          if (failure != null) {
            stream.fail(failure);
            return;
          }
          stream.send(AuthEvent.newBuilder().setCredentials(credentials(minted, identity)).build());
          stream.complete();
        }));
  }

  @Override
  public void grantEndpoint(IdentityRequest request, StreamObserver<AuthEvent> response) {
    streamFor(request, response, (config, identity, stream) -> {
      if (identity.isAmbient()) {
        // Go's ambient identities hand the caller's own credentials on (ambient.go PrepareEnvironment): no mint, no
        // endpoint, only the configured region and env.
        stream.send(AuthEvent.newBuilder().setEndpointGrant(EndpointGrant.newBuilder()
            .setIdentity(identity.name())
            .setRegion(nullToEmpty(identity.principalRegion()))
            .putAllIdentityEnvironment(environment(identity))
            .setPassthrough(true)).build());
        stream.complete();
        return;
      }
      if (endpoint == null) {
        throw new UserFacingException(Status.UNAVAILABLE, "the container-credentials endpoint is not running in this "
            + "atmosd (see the daemon log; ATMOSD_ENDPOINT_PORT may name a port in use)");
      }
      // Minting first runs any sign-in here, where the client can show it, and proves the identity works before
      // an SDK is pointed at it; the endpoint's first fetch is then a cache hit.
      broker.credentials(config, identity.name(), stream).whenComplete((minted, failure) -> {
        if (failure != null) {
          stream.fail(failure);
          return;
        }
        try {
          String sessionKey = portalSessionKey(config, identity.name());
          CredentialGrant.GrantHolder holder = null;
          Instant expiresAt = null;
          if (request.getEndpointGrantHolderPid() > 0) {
            holder = holderProcess(request.getEndpointGrantHolderPid());
          } else {
            expiresAt = clock.instant().plus(grantLifetime(request.getEndpointGrantLifetime(), config, identity));
          }
          IssuedGrant issued = endpoint.grant(ClientConfigs.request(request.getContext())
                  .orElse(ConfigRequest.of(config.source())), ClientEnvironment.of(request.getContext()),
              identity.name(), sessionKey, expiresAt, holder);
          EndpointGrant.Builder grant = EndpointGrant.newBuilder()
              .setIdentity(identity.name())
              .setFullUri(issued.fullUri())
              .setAuthorizationToken(issued.authorizationToken())
              .setRegion(nullToEmpty(minted.region()))
              .setGrantId(issued.grant().grantId())
              .putAllIdentityEnvironment(environment(identity));
          if (expiresAt != null) {
            grant.setExpiresAt(Timestamp.newBuilder().setSeconds(expiresAt.getEpochSecond())
                .setNanos(expiresAt.getNano()));
          }
          stream.send(AuthEvent.newBuilder().setEndpointGrant(grant).build());
          stream.complete();
        } catch (RuntimeException e) {
          stream.fail(e);
        }
      });
    });
  }

  /**
   * How long an {@code auth env} grant lives: what the client asked for, else the session's life — the root provider's
   * {@code session.duration}, else {@link #DEFAULT_GRANT_LIFETIME} (IAM Identity Center's default session length).
   */
  private static Duration grantLifetime(String requested, AtmosConfig config, IdentityConfig identity) {
    if (!requested.isBlank()) {
      Duration lifetime;
      try {
        lifetime = GoDurations.parse(requested.strip());
      } catch (RuntimeException e) {
        lifetime = null;
      }
      if (lifetime == null || lifetime.isNegative() || lifetime.isZero()) {
        throw new UserFacingException(Status.INVALID_ARGUMENT, "--grant-lifetime \"" + requested
            + "\" is not a positive duration: use e.g. 8h, 90m or 30s");
      }
      return lifetime;
    }
    try {
      Duration session = config.rootProvider(identity.name()).sessionDuration();
      if (session != null && !session.isNegative() && !session.isZero()) {
        return session;
      }
    } catch (RuntimeException noPortal) {
      // an identity without a provider (aws/user, ambient) has no session of its own
    }
    return DEFAULT_GRANT_LIFETIME;
  }

  /** The portal session the identity signs in through (its logout revokes the grant), or null when it needs none. */
  private static String portalSessionKey(AtmosConfig config, String identity) {
    try {
      ProviderConfig root = config.rootProvider(identity);
      return root.isIdentityCenter() ? root.sessionKey() : null;
    } catch (RuntimeException noPortal) {
      return null;
    }
  }

  private static CredentialGrant.GrantHolder holderProcess(long pid) {
    try {
      return ContainerCredentialsEndpoint.holder(pid);
    } catch (IllegalArgumentException e) {
      throw new UserFacingException(Status.INVALID_ARGUMENT, "the endpoint grant's holder process " + pid
          + " is not running: run the command again");
    }
  }

  @Override
  public void revokeEndpoint(RevokeEndpointRequest request, StreamObserver<RevokeEndpointReply> response) {
    boolean revoked = endpoint != null && endpoint.revoke(request.getGrantId());
    response.onNext(RevokeEndpointReply.newBuilder().setRevoked(revoked).build());
    response.onCompleted();
  }

  @Override
  public void whoami(IdentityRequest request, StreamObserver<AuthEvent> response) {
    streamFor(request, response, (config, identity, stream) -> broker.callerIdentity(config, identity.name(), stream)
        .whenComplete((caller, failure) -> {
          if (failure != null) {
            stream.fail(failure);
            return;
          }
          stream.send(AuthEvent.newBuilder().setCallerIdentity(callerIdentity(caller)).build());
          stream.complete();
        }));
  }

  /** The shared shape of the streaming calls: load the config, pick the identity, run, and fail the stream on error. */
  private void streamFor(IdentityRequest request, StreamObserver<AuthEvent> response, IdentityCall call) {
    AuthEventStream stream = new AuthEventStream(response, request.getContext());
    try {
      AtmosConfig config = load(request.getContext());
      IdentityConfig identity = request.getIdentity().isBlank()
          ? config.defaultIdentity()
          : config.identity(request.getIdentity());
      if (log.isDebugEnabled()) {
        log.debug("{} for identity '{}'", describe(request.getContext()), identity.name());
      }
      call.run(config, identity, stream);
    } catch (RuntimeException e) {
      stream.fail(e);
    }
  }

  @FunctionalInterface
  private interface IdentityCall {
    void run(AtmosConfig config, IdentityConfig identity, AuthEventStream stream);
  }

  private AtmosConfig load(ClientContext context) {
    return configs.load(context);
  }

  private ProviderInfo providerInfo(ProviderConfig provider, AtmosConfig config, List<SessionSnapshot> snapshots) {
    Optional<SessionSnapshot> snapshot = snapshots.stream()
        .filter(s -> provider.sessionKey().equals(s.sessionKey()))
        .findFirst();
    ProviderInfo.Builder info = ProviderInfo.newBuilder()
        .setName(provider.name())
        .setKind(nullToEmpty(provider.kind()))
        .setStartUrl(nullToEmpty(provider.startUrl()))
        .setRegion(nullToEmpty(provider.region()))
        .setAutoProvisionIdentities(provider.autoProvisionIdentities())
        .setIsDefault(provider.isDefault())
        .setNotRunReason(nullToEmpty(provider.notRunReason()))
        .setDefinition(ProtoViews.struct(provider.definition()));
    if (!provider.runByAtmosd()) {
      // atmosd holds no session for a kind it does not run.
      return info.build();
    }
    return info
        .setSession(snapshot.map(ProtoViews::session).orElseGet(() -> PortalSession.newBuilder()
            .setSessionKey(provider.sessionKey())
            .setStartUrl(nullToEmpty(provider.startUrl()))
            .setRegion(nullToEmpty(provider.region()))
            .addAllProviders(config.providersOnPortal(provider.sessionKey()).stream().map(ProviderConfig::name).toList())
            .setState(SessionState.SESSION_STATE_NOT_SIGNED_IN)
            .build()))
        .build();
  }

  private IdentityInfo identityInfo(IdentityConfig identity, AtmosConfig config) {
    IdentityInfo.Builder info = ProtoViews.identity(identity, config).toBuilder();
    try {
      IdentityChain chain = broker.chain(config, identity.name());
      info.setRootProvider(chain.provider().name()).setRegion(nullToEmpty(chain.region()));
    } catch (RuntimeException unresolvable) {
      // A listing still shows an identity whose chain is broken; using it reports why.
    }
    CredentialBroker.CachedStatus cached = broker.cachedStatus(config, identity.name());
    info.setCredentialState(switch (cached.state()) {
      case VALID -> CredentialState.CREDENTIAL_STATE_VALID;
      case EXPIRING -> CredentialState.CREDENTIAL_STATE_EXPIRING;
      case EXPIRED -> CredentialState.CREDENTIAL_STATE_EXPIRED;
      case UNKNOWN -> CredentialState.CREDENTIAL_STATE_UNKNOWN;
    });
    if (cached.expiresAt() != null) {
      info.setCredentialsExpireAt(AuthEventStream.timestamp(cached.expiresAt()));
    }
    return info.build();
  }

  private static RoleCredentials credentials(MintedCredentials minted, IdentityConfig identity) {
    return RoleCredentials.newBuilder()
        .setIdentity(identity.name())
        .setAccessKeyId(minted.accessKeyId())
        .setSecretAccessKey(minted.secretAccessKey())
        .setSessionToken(nullToEmpty(minted.sessionToken()))
        .setExpiration(AuthEventStream.timestamp(minted.expiration()))
        .setAccountId(nullToEmpty(minted.accountId()))
        .setRegion(nullToEmpty(minted.region()))
        .putAllIdentityEnvironment(environment(identity))
        .build();
  }

  private static CallerIdentity callerIdentity(VerifiedCaller caller) {
    return CallerIdentity.newBuilder()
        .setIdentity(caller.identity())
        .setAccount(nullToEmpty(caller.account()))
        .setArn(nullToEmpty(caller.arn()))
        .setUserId(nullToEmpty(caller.userId()))
        .setCredentialsExpireAt(AuthEventStream.timestamp(caller.credentialsExpireAt()))
        .setRegion(nullToEmpty(caller.region()))
        .setProvider(nullToEmpty(caller.provider()))
        .build();
  }

  private static Map<String, String> environment(IdentityConfig identity) {
    if (identity.env() == null) {
      return Map.of();
    }
    Map<String, String> env = new java.util.LinkedHashMap<>();
    identity.env().forEach((key, value) -> {
      if (key != null && value != null) {
        env.put(key, value);
      }
    });
    return env;
  }

  private static String describe(ClientContext context) {
    return context.getCommand().isBlank() ? "a client asks" : "`" + context.getCommand() + "` asks";
  }

  private static String nullToEmpty(String value) {
    return value == null ? "" : value;
  }
}
