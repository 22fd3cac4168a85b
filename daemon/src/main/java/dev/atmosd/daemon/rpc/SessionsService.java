package dev.atmosd.daemon.rpc;

import dev.atmosd.daemon.aws.AwsEndpoints;
import dev.atmosd.daemon.config.AtmosConfig;
import dev.atmosd.daemon.config.ConfigException;
import dev.atmosd.daemon.config.IdentityConfig;
import dev.atmosd.daemon.config.ProviderConfig;
import dev.atmosd.daemon.credentials.CredentialBroker;
import dev.atmosd.daemon.endpoint.ContainerCredentialsEndpoint;
import dev.atmosd.daemon.files.DaemonPaths;
import dev.atmosd.daemon.provisioning.IdentityProvisioner;
import dev.atmosd.daemon.config.ProvisionedIdentity;
import dev.atmosd.daemon.provisioning.ProvisioningResult;
import dev.atmosd.daemon.session.AccessToken;
import dev.atmosd.daemon.session.PortalSessions;
import dev.atmosd.daemon.session.SessionSnapshot;
import dev.atmosd.v1.AuthEvent;
import dev.atmosd.v1.LoginRequest;
import dev.atmosd.v1.LogoutReply;
import dev.atmosd.v1.LogoutRequest;
import dev.atmosd.v1.ProviderStatus;
import dev.atmosd.v1.SessionsGrpc;
import dev.atmosd.v1.StatusReply;
import dev.atmosd.v1.StatusRequest;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Login (sign in once per portal, then stream discovered identities), Logout and Status. Login never fails because
 * of discovery: its problems become warning events, and a client that goes away stops neither the sign-in other
 * clients may be waiting on nor the discovery.
 */
public final class SessionsService extends SessionsGrpc.SessionsImplBase {
  private static final Logger log = LoggerFactory.getLogger(SessionsService.class);

  private final ClientConfigs configs;
  private final PortalSessions sessions;
  private final IdentityProvisioner provisioner;
  private final DaemonPaths paths;
  private final Supplier<DaemonFacts> facts;
  private final CredentialBroker broker;
  private final ContainerCredentialsEndpoint endpoint;

  /**
   * @param sessions the session engine, or null in a build without one (sign-in calls then fail UNIMPLEMENTED)
   * @param provisioner identity discovery, or null (auto_provision_identities is then skipped with a warning)
   */
  public SessionsService(ClientConfigs configs, PortalSessions sessions, IdentityProvisioner provisioner,
      DaemonPaths paths, Supplier<DaemonFacts> facts) {
    this(configs, sessions, provisioner, paths, facts, null, null);
  }

  /**
   * @param broker the role credentials an identity logout drops, or null (none are held)
   * @param endpoint the container endpoint whose grants a logout revokes, or null when it is not running
   */
  public SessionsService(ClientConfigs configs, PortalSessions sessions, IdentityProvisioner provisioner,
      DaemonPaths paths, Supplier<DaemonFacts> facts, CredentialBroker broker, ContainerCredentialsEndpoint endpoint) {
    this.configs = configs;
    this.sessions = sessions;
    this.provisioner = provisioner;
    this.paths = paths;
    this.facts = facts;
    this.broker = broker;
    this.endpoint = endpoint;
  }

  @Override
  public void login(LoginRequest request, StreamObserver<AuthEvent> response) {
    AuthEventStream stream = new AuthEventStream(response, request.getContext());
    try {
      PortalSessions engine = requireSessions();
      AtmosConfig config = configs.load(request.getContext());
      ProviderConfig provider = providerToSignIn(request, config);
      config.warnings().forEach(stream::warn);
      log.info("login to provider {} (session {}){}", provider.name(), provider.sessionKey(),
          request.getForce() ? ", forced" : "");
      CompletableFuture<AccessToken> token = request.getForce()
          ? engine.signInAgain(provider, stream)
          : engine.accessToken(provider, stream);
      token.whenComplete((signedIn, failure) -> {
        if (failure != null) {
          stream.fail(failure);
          return;
        }
        stream.send(AuthEvent.newBuilder().setSignedIn(sessionView(provider, signedIn, config)).build());
        if (provider.autoProvisionIdentities()) {
          provision(provider, stream);
        } else {
          stream.complete();
        }
      });
    } catch (RuntimeException e) {
      stream.fail(e);
    }
  }

  private static ProviderConfig providerToSignIn(LoginRequest request, AtmosConfig config) {
    ProviderConfig provider;
    if (!request.getProvider().isBlank()) {
      provider = config.provider(request.getProvider());
    } else if (!request.getIdentity().isBlank()) {
      IdentityConfig identity = config.identity(request.getIdentity());
      if (!identity.runByAtmosd()) {
        throw new ConfigException("identity '" + identity.name() + "' in " + config.source() + ": "
            + identity.notRunReason());
      }
      provider = config.rootProvider(request.getIdentity());
    } else {
      provider = config.defaultProvider();
    }
    if (!provider.runByAtmosd()) {
      throw new ConfigException("provider '" + provider.name() + "' in " + config.source() + ": "
          + provider.notRunReason());
    }
    return provider;
  }

  private dev.atmosd.v1.PortalSession sessionView(ProviderConfig provider, AccessToken token, AtmosConfig config) {
    List<String> names = config.providersOnPortal(provider.sessionKey()).stream().map(ProviderConfig::name).toList();
    return sessions.snapshot().stream()
        .filter(s -> s.sessionKey().equals(provider.sessionKey()))
        .findFirst()
        .map(ProtoViews::session)
        .orElseGet(() -> ProtoViews.session(provider, token, names));
  }

  /** Streams discovery to this client while it listens; the discovery itself runs to the end either way. */
  private void provision(ProviderConfig provider, AuthEventStream stream) {
    if (provisioner == null) {
      stream.warn("identity discovery is not available in this atmosd build; provider " + provider.name()
          + " keeps its previously provisioned identities");
      stream.complete();
      return;
    }
    Set<String> warned = java.util.concurrent.ConcurrentHashMap.newKeySet();
    IdentityProvisioner.ProvisioningObserver observer = new IdentityProvisioner.ProvisioningObserver() {
      @Override
      public void onIdentity(ProvisionedIdentity identity, int accountsDone, int accountsTotal) {
        stream.send(AuthEvent.newBuilder().setIdentityProvisioned(ProtoViews.identity(identity, provider)).build());
      }

      @Override
      public void onWarning(String message) {
        if (warned.add(message)) {
          stream.warn(message);
        }
      }
    };
    CompletableFuture<ProvisioningResult> discovery;
    try {
      discovery = provisioner.provision(provider, observer);
    } catch (RuntimeException e) {
      log.warn("identity discovery for provider {} did not start: {}", provider.name(), e.getClass().getName());
      stream.warn("identity discovery for provider " + provider.name() + " did not start; its previously"
          + " provisioned identities are kept");
      stream.complete();
      return;
    }
    discovery.whenComplete((result, failure) -> {
      if (failure != null) {
        log.warn("identity discovery for provider {} failed: {}", provider.name(),
            StatusErrors.unwrap(failure).getClass().getName());
        stream.warn("identity discovery for provider " + provider.name() + " failed; its previously provisioned"
            + " identities are kept (see the daemon log)");
      } else {
        result.warnings().stream().filter(warned::add).forEach(stream::warn);
        stream.send(AuthEvent.newBuilder().setProvisioningFinished(ProtoViews.finished(result)).build());
      }
      stream.complete();
    });
  }

  @Override
  public void logout(LogoutRequest request, StreamObserver<LogoutReply> response) {
    try {
      LogoutReply reply = request.getIdentity().isBlank() ? logoutPortals(request) : logoutIdentity(request);
      response.onNext(reply);
      response.onCompleted();
    } catch (RuntimeException e) {
      response.onError(StatusErrors.toStatus(e));
    }
  }

  /**
   * As Go's {@code Logout(identity)} (pkg/auth/manager_logout.go): that identity's own credentials go, the provider's
   * session stays for the other identities it serves. Grants first, so none re-mints what is being forgotten.
   */
  private LogoutReply logoutIdentity(LogoutRequest request) {
    if (request.getAll() || !request.getProvider().isBlank()) {
      throw new UserFacingException(Status.INVALID_ARGUMENT, "use one of IDENTITY, --provider or --all, not several");
    }
    AtmosConfig config = configs.load(request.getContext());
    String name = config.identity(request.getIdentity()).name();
    Path source = config.source();
    boolean dryRun = request.getDryRun();
    int grants = endpoint == null ? 0
        : dryRun ? endpoint.grantsOfIdentity(source, name) : endpoint.revokeIdentity(source, name);
    boolean credentials = broker != null
        && (dryRun ? broker.holdsCredentials(source, name) : broker.forgetIdentity(source, name));
    LogoutReply.Builder reply = LogoutReply.newBuilder().setDryRun(dryRun).setGrantsRevoked(grants);
    if (credentials) {
      reply.addCredentialsRemoved(name);
    }
    log.info("logout{} of identity '{}' of {}: credentials {}, {} endpoint grant(s)", dryRun ? " (dry run)" : "",
        name, source, credentials ? "dropped" : "none cached", grants);
    return reply.build();
  }

  private LogoutReply logoutPortals(LogoutRequest request) {
    PortalSessions engine = requireSessions();
    boolean dryRun = request.getDryRun();
    Map<String, String> clientEnv = ClientEnvironment.of(request.getContext());
    Optional<AtmosConfig> config = request.getAll()
        ? configs.loadIfPresent(request.getContext())
        : Optional.of(configs.load(request.getContext()));
    List<ProviderConfig> portals = new ArrayList<>();
    if (request.getAll()) {
      portals.addAll(everyPortal(config, engine, clientEnv));
    } else {
      AtmosConfig loaded = config.orElseThrow();
      portals.add(request.getProvider().isBlank() ? loaded.defaultProvider() : loaded.provider(request.getProvider()));
    }
    LogoutReply.Builder reply = LogoutReply.newBuilder().setDryRun(dryRun);
    Set<String> credentials = new java.util.TreeSet<>();
    for (ProviderConfig provider : portals) {
      String key = provider.sessionKey();
      // What the sign-out's listeners drop (CredentialBroker, the endpoint), counted just before they do.
      if (broker != null) {
        credentials.addAll(broker.identitiesCachedThrough(key));
      }
      reply.setGrantsRevoked(reply.getGrantsRevoked() + (endpoint == null ? 0 : endpoint.grantsOfSession(key)));
      PortalSessions.LogoutResult result = dryRun ? engine.wouldLogOut(provider) : engine.logout(provider);
      if (result.sessionRemoved()) {
        reply.addSessionsRemoved(result.sessionKey());
      }
      if (result.fileRemoved()) {
        reply.addFilesRemoved(paths.sessionFile(result.sessionKey()).toString());
      }
      reply.addAllWarnings(result.warnings());
      List<ProviderConfig> onPortal = config.map(c -> c.providersOnPortal(key))
          .filter(list -> !list.isEmpty()).orElse(List.of(provider));
      if (!request.getAll() && (result.sessionRemoved() || result.fileRemoved())) {
        alsoSignedOut(provider, onPortal, dryRun).ifPresent(reply::addWarnings);
      }
      for (ProviderConfig sibling : onPortal) {
        if (provisioner != null && (dryRun ? provisioner.wouldForget(sibling) : provisioner.forget(sibling))) {
          reply.addFilesRemoved(paths.provisionedIdentitiesFile(sibling.name()).toString());
        }
      }
      log.info("logout{} of session {} (providers {})", dryRun ? " (dry run)" : "", key,
          onPortal.stream().map(ProviderConfig::name).toList());
    }
    return reply.addAllCredentialsRemoved(credentials).build();
  }

  /**
   * One portal session serves every provider with the same start_url and region, so signing one out signs out the
   * others too: say so, naming them, rather than let the next command of another provider surprise the user.
   */
  private static Optional<String> alsoSignedOut(ProviderConfig provider, List<ProviderConfig> onPortal,
      boolean dryRun) {
    List<String> others = onPortal.stream().map(ProviderConfig::name)
        .filter(name -> !name.equals(provider.name())).toList();
    return others.isEmpty() ? Optional.empty()
        : Optional.of((dryRun ? "would also sign out: " : "also signed out: ") + String.join(", ", others)
            + " (same portal)");
  }

  /** One provider per portal: the configured ones, plus any session the daemon knows that no config names any more. */
  private static List<ProviderConfig> everyPortal(Optional<AtmosConfig> config, PortalSessions engine,
      Map<String, String> clientEnv) {
    Map<String, ProviderConfig> byPortal = new LinkedHashMap<>();
    config.ifPresent(c -> c.providers().values().forEach(p -> byPortal.putIfAbsent(p.sessionKey(), p)));
    for (SessionSnapshot snapshot : engine.snapshot()) {
      if (!byPortal.containsKey(snapshot.sessionKey()) && snapshot.startUrl() != null && snapshot.region() != null) {
        String name = snapshot.providers() == null || snapshot.providers().isEmpty()
            ? snapshot.sessionKey() : snapshot.providers().get(0);
        byPortal.put(snapshot.sessionKey(), new ProviderConfig(name, ProviderConfig.KIND_IDENTITY_CENTER,
            snapshot.startUrl(), snapshot.region(), false, false,
            AwsEndpoints.resolve(null, clientEnv, System.getenv()), ProviderConfig.ProvisioningSettings.DEFAULT));
      }
    }
    return List.copyOf(byPortal.values());
  }

  @Override
  public void status(StatusRequest request, StreamObserver<StatusReply> response) {
    try {
      StatusReply.Builder reply = StatusReply.newBuilder().setDaemon(facts.get().info());
      Optional<AtmosConfig> config = configs.loadIfPresent(request.getContext());
      if (sessions != null) {
        Set<String> configured = config.map(c -> c.providers().values().stream().map(ProviderConfig::sessionKey)
            .collect(java.util.stream.Collectors.toSet())).orElse(Set.of());
        sessions.statusSnapshot(configured).forEach(s -> reply.addSessions(ProtoViews.session(s)));
      }
      config.ifPresent(c -> c.providers().values().forEach(p -> reply.addProviders(providerStatus(p, c))));
      response.onNext(reply.build());
      response.onCompleted();
    } catch (RuntimeException e) {
      response.onError(StatusErrors.toStatus(e));
    }
  }

  private ProviderStatus providerStatus(ProviderConfig provider, AtmosConfig config) {
    int provisioned = (int) config.identities().values().stream()
        .filter(IdentityConfig::provisioned)
        .filter(i -> provider.name().equalsIgnoreCase(i.viaProvider() != null ? i.viaProvider() : i.provider()))
        .count();
    ProviderStatus.Builder status = ProviderStatus.newBuilder()
        .setName(provider.name())
        .setKind(provider.kind())
        .setSessionKey(provider.sessionKey())
        .setAutoProvisionIdentities(provider.autoProvisionIdentities())
        .setProvisionedIdentities(provisioned);
    Path file = paths.provisionedIdentitiesFile(provider.name());
    try {
      if (Files.exists(file)) {
        status.setProvisionedAt(AuthEventStream.timestamp(Files.getLastModifiedTime(file).toInstant()));
      }
    } catch (IOException unreadable) {
      // status shows what it can
    }
    return status.build();
  }

  private PortalSessions requireSessions() {
    if (sessions == null) {
      throw new UserFacingException(Status.UNIMPLEMENTED, "this atmosd has no session engine built in: update atmosd");
    }
    return sessions;
  }
}
