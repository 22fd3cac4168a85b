package dev.atmosd.daemon.session;

import static dev.atmosd.daemon.DaemonThreads.daemonThreads;

import dev.atmosd.daemon.aws.AwsClients;
import dev.atmosd.daemon.aws.AwsEndpoints;
import dev.atmosd.daemon.config.ProviderConfig;
import dev.atmosd.daemon.files.DaemonPaths;
import dev.atmosd.daemon.files.PrivateFiles;
import dev.atmosd.daemon.rpc.StatusErrors;
import dev.atmosd.daemon.rpc.UserFacingException;
import io.grpc.Status;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sso.model.LogoutRequest;
import software.amazon.awssdk.services.ssooidc.SsoOidcClient;

/**
 * The session engine: every portal's session, its token pipeline (in-memory hit → single flight → disk cache →
 * refresh token → device authorization) and its refresh timer. One instance serves every client of the daemon, so
 * the single flight coalesces callers across processes.
 *
 * <p>Threads: no thread waits per caller. Blocking SDK calls and file reads run on a small bounded executor (never
 * on a gRPC or Netty thread); polls and timers are tasks on a scheduler of daemon threads. Per-portal state is
 * guarded by the {@link PortalSession}'s monitor; observers, listeners and caller futures are called outside it.
 */
public final class SessionRegistry implements PortalSessions, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SessionRegistry.class);
  private static final int AWS_CALL_THREADS = 4;
  private static final Duration LOGOUT_TIMEOUT = Duration.ofSeconds(15);
  /** The shortest wait before a refresh timer fires, so a server issuing absurdly short tokens cannot spin us. */
  private static final Duration MIN_TIMER_DELAY = Duration.ofMillis(500);
  /** How long a device flow nobody waits on goes on polling, so a client that reconnects (re-run after Ctrl-C) keeps it. */
  public static final Duration DEFAULT_SIGN_IN_GRACE = Duration.ofSeconds(10);

  private final AwsClients aws;
  private final TokenCacheFile cache;
  private final Clock clock;
  private final RefreshSchedule schedule;
  private final Duration signInGrace;
  private final ScheduledExecutorService scheduler;
  private final boolean ownsScheduler;
  private final ExecutorService awsCalls;
  private final Map<String, PortalSession> sessions = new ConcurrentHashMap<>();
  private final List<SessionListener> listeners = new CopyOnWriteArrayList<>();
  private volatile boolean closed;

  /** A registry with its own timer threads; {@link #close()} stops them. */
  public static SessionRegistry create(AwsClients aws, DaemonPaths paths, Clock clock) {
    return create(aws, paths, clock, DEFAULT_SIGN_IN_GRACE);
  }

  /**
   * A registry with its own timer threads whose device flows stop {@code signInGrace} after their last client left
   * (zero: at once).
   */
  public static SessionRegistry create(AwsClients aws, DaemonPaths paths, Clock clock, Duration signInGrace) {
    return new SessionRegistry(aws, paths, clock, newScheduler(), true, RefreshSchedule.DEFAULT, signInGrace);
  }

  /** A registry whose polls and timers run on {@code scheduler} (owned by the caller; close() leaves it running). */
  public SessionRegistry(AwsClients aws, DaemonPaths paths, Clock clock, ScheduledExecutorService scheduler) {
    this(aws, paths, clock, scheduler, false, RefreshSchedule.DEFAULT, DEFAULT_SIGN_IN_GRACE);
  }

  SessionRegistry(AwsClients aws, DaemonPaths paths, Clock clock, ScheduledExecutorService scheduler,
      boolean ownsScheduler, RefreshSchedule schedule, Duration signInGrace) {
    if (signInGrace.isNegative()) {
      throw new IllegalArgumentException("the sign-in grace period must not be negative");
    }
    this.signInGrace = signInGrace;
    this.aws = aws;
    this.cache = new TokenCacheFile(paths);
    this.clock = clock;
    this.schedule = schedule;
    this.scheduler = scheduler;
    this.ownsScheduler = ownsScheduler;
    ThreadPoolExecutor calls = new ThreadPoolExecutor(AWS_CALL_THREADS, AWS_CALL_THREADS, 30, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(), daemonThreads("atmosd-oidc-call-%d"));
    calls.allowCoreThreadTimeOut(true);
    this.awsCalls = calls;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // PortalSessions

  @Override
  public CompletableFuture<AccessToken> accessToken(ProviderConfig provider, SignInObserver observer) {
    if (closed) {
      return CompletableFuture.failedFuture(shuttingDown());
    }
    PortalSession session = sessionFor(provider);
    Optional<AccessToken> hit = session.freshToken(clock.instant(), schedule);
    if (hit.isPresent()) {
      return CompletableFuture.completedFuture(hit.get());
    }
    return join(session, provider, observer, false);
  }

  @Override
  public CompletableFuture<AccessToken> signInAgain(ProviderConfig provider, SignInObserver observer) {
    if (closed) {
      return CompletableFuture.failedFuture(shuttingDown());
    }
    return join(sessionFor(provider), provider, observer, true);
  }

  /** The in-memory token, if valid now; sessions not yet loaded from disk have none (see {@link #loadFromDisk}). */
  @Override
  public Optional<AccessToken> currentToken(String sessionKey) {
    PortalSession session = sessions.get(sessionKey);
    if (session == null) {
      return Optional.empty();
    }
    synchronized (session) {
      StoredSession stored = session.stored;
      if (!session.closed && session.usable(stored) && stored.accessTokenValidBeyond(clock.instant())) {
        return Optional.of(stored.toAccessToken(session.key));
      }
      return Optional.empty();
    }
  }

  /**
   * Loads {@code provider}'s session from its cache file (no network call) and arms its refresh timer, so a daemon
   * that just started renews sessions nobody has asked for yet. The token, if it is valid now.
   */
  public Optional<AccessToken> loadFromDisk(ProviderConfig provider) {
    PortalSession session = sessionFor(provider);
    Optional<StoredSession> disk = cache.read(session.startUrl, session.region);
    Instant now = clock.instant();
    synchronized (session) {
      session.diskChecked = true;
      if (disk.isPresent() && newer(session, disk.get())) {
        session.adopt(disk.get(), now);
        armRefresh(session, now);
      }
    }
    return currentToken(session.key);
  }

  @Override
  public void recognise(ProviderConfig provider) {
    if (!provider.isIdentityCenter() || closed) {
      return;
    }
    PortalSession known = sessions.get(provider.sessionKey());
    boolean checked;
    if (known != null) {
      synchronized (known) {
        checked = known.diskChecked;
      }
      if (checked) {
        known.seen(provider);
        return;
      }
    }
    loadFromDisk(provider);
  }

  @Override
  public void invalidate(AccessToken rejected) {
    if (rejected == null) {
      return;
    }
    PortalSession session = sessions.get(rejected.sessionKey());
    if (session == null) {
      return;
    }
    synchronized (session) {
      // Only the very token the portal refused: a newer one (renewed meanwhile) is kept.
      if (session.stored != null && rejected.value() != null && rejected.value().equals(session.stored.accessToken())) {
        session.rejectedAccessToken = rejected.value();
        log.info("the portal refused the access token of {}; the next request renews it", session.startUrl);
      }
    }
  }

  @Override
  public LogoutResult logout(ProviderConfig provider) {
    String key = provider.sessionKey();
    PortalSession session = sessions.remove(key);
    List<String> warnings = new ArrayList<>();
    StoredSession known = null;
    DeviceAuthorizationFlow flow = null;
    if (session != null) {
      synchronized (session) {
        session.closed = true;
        cancelTimer(session);
        known = session.stored;
        if (session.attempt != null) {
          flow = session.attempt.flow;
        }
      }
    }
    if (flow != null) {
      flow.cancel();
    }
    if (known == null) {
      known = cache.read(provider.startUrl(), provider.region()).orElse(null);
    }
    boolean fileRemoved = false;
    try {
      fileRemoved = cache.delete(key);
    } catch (IOException e) {
      warnings.add("could not delete " + cache.path(key) + " (" + e.getClass().getSimpleName() + "); delete it by hand");
    }
    if (known != null && known.accessTokenValidBeyond(clock.instant())) {
      String token = known.accessToken();
      try {
        awsCalls.submit(() -> aws.sso(endpoints(provider), provider.region(), AwsClients.Retries.NONE)
                .logout(LogoutRequest.builder().accessToken(token).build()))
            .get(LOGOUT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (ExecutionException | TimeoutException | InterruptedException | RuntimeException e) {
        if (e instanceof InterruptedException) {
          Thread.currentThread().interrupt();
        }
        String warning = "signed out locally, but IAM Identity Center did not end the session of " + provider.startUrl()
            + " (" + OidcFailures.shortReason(provider, e) + ")";
        log.warn(warning);
        warnings.add(warning);
      }
    }
    log.info("signed out of {} (cache file removed: {})", provider.startUrl(), fileRemoved);
    for (SessionListener listener : listeners) {
      notifyListener(() -> listener.onSignedOut(key));
    }
    return new LogoutResult(key, session != null, fileRemoved, List.copyOf(warnings));
  }

  @Override
  public LogoutResult wouldLogOut(ProviderConfig provider) {
    String key = provider.sessionKey();
    return new LogoutResult(key, sessions.containsKey(key), cache.exists(key), List.of());
  }

  @Override
  public List<SessionSnapshot> snapshot() {
    Instant now = clock.instant();
    return sessions.values().stream()
        .map(session -> session.snapshot(now))
        .sorted(Comparator.comparing(SessionSnapshot::startUrl).thenComparing(SessionSnapshot::region))
        .toList();
  }

  @Override
  public List<SessionSnapshot> statusSnapshot(Set<String> configuredSessionKeys) {
    Instant since = clock.instant().minus(FAILURES_SHOWN_FOR);
    return snapshot().stream()
        .map(session -> session.withFailuresSince(since))
        .filter(session -> session.state() != SessionSnapshot.State.NOT_SIGNED_IN || session.lastError() != null
            || configuredSessionKeys.contains(session.sessionKey()))
        .toList();
  }

  @Override
  public void addListener(SessionListener listener) {
    listeners.add(listener);
  }

  /** Cancels every timer and poll; callers still waiting fail (cancelled, or UNAVAILABLE "shutting down"). */
  @Override
  public void close() {
    closed = true;
    List<DeviceAuthorizationFlow> flows = new ArrayList<>();
    List<SignInAttempt.Waiter> waiters = new ArrayList<>();
    for (PortalSession session : sessions.values()) {
      synchronized (session) {
        session.closed = true;
        cancelTimer(session);
        if (session.attempt != null) {
          stopAbandonTimer(session.attempt);
          waiters.addAll(session.attempt.waiters);
          if (session.attempt.flow != null) {
            flows.add(session.attempt.flow);
          }
        }
      }
    }
    flows.forEach(DeviceAuthorizationFlow::cancel);
    awsCalls.shutdownNow();
    if (ownsScheduler) {
      scheduler.shutdownNow();
    }
    // A renewal still queued on the executor just dropped will never finish: nobody may be left waiting on it.
    waiters.forEach(waiter -> waiter.future().completeExceptionally(shuttingDown()));
  }

  // ---------------------------------------------------------------------------------------------------------------
  // The single flight

  private PortalSession sessionFor(ProviderConfig provider) {
    PortalSession session = sessions.computeIfAbsent(provider.sessionKey(),
        key -> new PortalSession(provider.startUrl(), provider.region()));
    session.seen(provider);
    return session;
  }

  private CompletableFuture<AccessToken> join(PortalSession session, ProviderConfig provider, SignInObserver observer,
      boolean forced) {
    SignInAttempt.Waiter waiter = new SignInAttempt.Waiter(provider.name(),
        observer == null ? SignInObserver.NOBODY : observer, new CompletableFuture<>());
    enter(session, provider, waiter, forced);
    return waiter.future();
  }

  private void enter(PortalSession session, ProviderConfig provider, SignInAttempt.Waiter waiter, boolean forced) {
    SignInAttempt attempt;
    boolean start = false;
    boolean rejoined = false;
    DeviceAuthorizationPrompt prompt = null;
    synchronized (session) {
      if (waiter.future().isDone()) {
        return;
      }
      if (session.closed) {
        waiter.future().completeExceptionally(closed ? shuttingDown() : new UserFacingException(Status.ABORTED,
            "the session of " + session.startUrl + " was signed out meanwhile; try again"));
        return;
      }
      attempt = session.attempt;
      if (attempt != null && forced && !attempt.forced && attempt.stage == SignInAttempt.Stage.RENEWING) {
        // A forced sign-in may not be answered by the cache or a refresh: let this attempt end, then sign in.
        attempt.done.whenComplete((ignored, failure) -> enter(session, provider, waiter, true));
        return;
      }
      if (attempt == null) {
        attempt = new SignInAttempt(forced, false, null);
        session.attempt = attempt;
        start = true;
      }
      attempt.waiters.add(waiter);
      if (attempt.abandonTimer != null && waiter.observer().keepsSignInAlive()) {
        stopAbandonTimer(attempt);
        rejoined = true;
      }
      if (attempt.started != null && attempt.stage == SignInAttempt.Stage.SIGNING_IN) {
        prompt = attempt.promptFor(waiter, session.key);
      }
    }
    if (rejoined) {
      log.info("a client joined the sign-in to {} within the grace period; it goes on", session.startUrl);
    }
    SignInAttempt joined = attempt;
    waiter.future().whenComplete((token, failure) -> {
      if (waiter.future().isCancelled()) {
        leave(session, joined, waiter, provider);
      }
    });
    // The client went away: its future is cancelled, which takes it off the attempt (above).
    waiter.observer().whenGone(() -> waiter.future().cancel(false));
    if (prompt != null) {
      tell(waiter, prompt);
    }
    if (start) {
      run(session, attempt, provider);
    }
  }

  /**
   * A waiter gave up (its client went away, or it cancelled its future). When no client is left on a device flow, the
   * flow goes on for the grace period, so a client that comes back keeps it; then it is abandoned.
   */
  private void leave(PortalSession session, SignInAttempt attempt, SignInAttempt.Waiter waiter,
      ProviderConfig provider) {
    long generation;
    synchronized (session) {
      if (!attempt.waiters.remove(waiter) || attempt.stage != SignInAttempt.Stage.SIGNING_IN
          || attempt.clientWaiting() || attempt.abandonTimer != null) {
        return;
      }
      // Whoever opened the browser is gone: a client that comes back opens it again.
      attempt.browserAssigned = false;
      generation = ++attempt.abandonGeneration;
      if (!signInGrace.isZero()) {
        try {
          attempt.abandonTimer = scheduler.schedule(() -> abandonIfNobodyWaits(session, attempt, provider, generation),
              signInGrace.toMillis(), TimeUnit.MILLISECONDS);
          return;
        } catch (RuntimeException rejected) { // scheduler shut down: abandon now
          attempt.abandonTimer = null;
        }
      }
    }
    abandonIfNobodyWaits(session, attempt, provider, generation);
  }

  /**
   * Ends a device flow no client waits on: stops polling, so an approval that comes later signs nobody in, and the
   * session is as it was before. Background waiters still on it are told a sign-in is needed.
   */
  private void abandonIfNobodyWaits(PortalSession session, SignInAttempt attempt, ProviderConfig provider,
      long generation) {
    DeviceAuthorizationFlow flow;
    List<SignInAttempt.Waiter> background;
    synchronized (session) {
      if (generation != attempt.abandonGeneration) {
        return; // a client came back after this timer had already started to fire
      }
      attempt.abandonTimer = null;
      if (attempt.stage != SignInAttempt.Stage.SIGNING_IN || attempt.clientWaiting()) {
        return;
      }
      flow = attempt.flow;
      attempt.stage = SignInAttempt.Stage.DONE;
      if (session.attempt == attempt) {
        session.attempt = null; // a caller arriving now starts a new attempt instead of joining a dying one
      }
      background = new ArrayList<>(attempt.waiters);
      attempt.waiters.clear();
    }
    log.info("sign-in to {} abandoned: no client has waited on it for {}; stopped polling for the device code",
        session.startUrl, shortDuration(signInGrace));
    if (flow != null) {
      flow.cancel();
    }
    background.forEach(waiter -> waiter.future().completeExceptionally(OidcFailures.needsSignIn(provider)));
  }

  private static void stopAbandonTimer(SignInAttempt attempt) {
    ScheduledFuture<?> timer = attempt.abandonTimer;
    attempt.abandonTimer = null;
    attempt.abandonGeneration++;
    if (timer != null) {
      timer.cancel(false);
    }
  }

  private void run(PortalSession session, SignInAttempt attempt, ProviderConfig provider) {
    CompletableFuture<AccessToken> outcome;
    try {
      outcome = CompletableFuture.supplyAsync(() -> renew(session, attempt, provider), awsCalls)
          .thenCompose(renewed -> renewed.isPresent()
              ? CompletableFuture.completedFuture(renewed.get())
              : signIn(session, attempt, provider));
    } catch (RuntimeException rejected) { // executor shut down
      outcome = CompletableFuture.failedFuture(shuttingDown());
    }
    outcome.whenComplete((token, failure) -> finish(session, attempt, provider, token, failure));
  }

  /**
   * Disk cache, then refresh token. Blocking (runs on the AWS-call executor). Empty when a device flow is needed.
   */
  private Optional<AccessToken> renew(PortalSession session, SignInAttempt attempt, ProviderConfig provider) {
    Optional<StoredSession> disk = cache.read(session.startUrl, session.region);
    Instant now = clock.instant();
    StoredSession base;
    synchronized (session) {
      if (session.closed) {
        throw new CancellationException("the session was closed");
      }
      session.diskChecked = true;
      if (disk.isPresent() && newer(session, disk.get())) {
        session.adopt(disk.get(), now);
      }
      if (attempt.forced) {
        return Optional.empty(); // the disk was read only for the registration a new sign-in can reuse
      }
      base = session.stored;
      Instant mustOutlive = schedule.staleTime(now);
      if (attempt.replacing != null && attempt.replacing.isAfter(mustOutlive)) {
        mustOutlive = attempt.replacing; // a timer wants a newer token than the one it is replacing
      }
      if (session.usable(base) && base.accessTokenValidBeyond(mustOutlive)) {
        return Optional.of(base.toAccessToken(session.key));
      }
      if (!session.refreshable(base, now)) {
        return Optional.empty();
      }
    }
    progress(session, attempt, "renewing the session of " + session.startUrl);
    RefreshTokenExchange.Renewed renewed;
    try {
      renewed = RefreshTokenExchange.renew(oidc(provider), base, clock);
    } catch (RuntimeException e) {
      if (OidcFailures.refreshRejected(e)) {
        synchronized (session) {
          session.rejectedRefreshToken = base.refreshToken();
          session.lastError = "the refresh token was refused (" + OidcFailures.shortReason(provider, e)
              + "); run `atmos auth login`";
          session.lastErrorAt = clock.instant();
        }
        log.info("the refresh token of {} was refused ({}); a sign-in is needed", session.startUrl,
            OidcFailures.shortReason(provider, e));
        return Optional.empty();
      }
      synchronized (session) {
        attempt.renewalFailed = true;
      }
      log.warn("renewing the session of {} failed: {}", session.startUrl, OidcFailures.shortReason(provider, e));
      throw OidcFailures.toUserFacing(provider, e);
    }
    AccessToken token;
    synchronized (session) {
      if (session.closed) {
        throw new CancellationException("the session was closed");
      }
      session.adopt(renewed.session(), renewed.issuedAt());
      session.rejectedRefreshToken = null;
      session.refreshCount++;
      session.lastRefreshedAt = renewed.issuedAt();
      session.lastError = null;
      persist(session, renewed.session());
      token = renewed.session().toAccessToken(session.key);
    }
    log.info("renewed the session of {} by refresh token; valid until {}", session.startUrl, token.expiresAt());
    for (SessionListener listener : listeners) {
      notifyListener(() -> listener.onRefreshed(provider, token));
    }
    return Optional.of(token);
  }

  /** Device authorization, while somebody waits for it. */
  private CompletableFuture<AccessToken> signIn(PortalSession session, SignInAttempt attempt, ProviderConfig provider) {
    DeviceAuthorizationFlow flow;
    synchronized (session) {
      if (session.closed) {
        return CompletableFuture.failedFuture(new CancellationException("the session was closed"));
      }
      boolean anyoneToShowTheCode = attempt.waiters.stream().anyMatch(w -> w.observer().mayStartSignIn());
      if (attempt.waiters.isEmpty() || !attempt.clientWaiting() || (!anyoneToShowTheCode && !attempt.background)) {
        if (!attempt.waiters.isEmpty()) {
          // Only background work is waiting: a device flow now would run unseen until its code expired.
          CompletableFuture<AccessToken> refused = CompletableFuture.failedFuture(OidcFailures.needsSignIn(provider));
          attempt.stage = SignInAttempt.Stage.DONE;
          if (session.attempt == attempt) {
            session.attempt = null;
          }
          return refused;
        }
        attempt.endedNeedingSignIn = attempt.background;
        attempt.stage = SignInAttempt.Stage.DONE;
        if (session.attempt == attempt) {
          session.attempt = null; // a caller arriving now gets a sign-in of its own, not this attempt's failure
        }
        return CompletableFuture.failedFuture(attempt.background
            ? OidcFailures.needsSignIn(provider)
            : new CancellationException("nobody is waiting for the sign-in any more"));
      }
      attempt.stage = SignInAttempt.Stage.SIGNING_IN;
      flow = new DeviceAuthorizationFlow(oidc(provider), provider, session.reusableRegistration(), clock, scheduler,
          awsCalls, new DeviceAuthorizationFlow.Progress() {
            @Override
            public void registered(ClientRegistration registration) {
              synchronized (session) {
                session.spareRegistration = registration;
              }
            }

            @Override
            public void started(DeviceAuthorizationFlow.Started started) {
              showPrompt(session, attempt, started);
            }
          });
      attempt.flow = flow;
    }
    log.info("signing in to {}: device authorization started", session.startUrl);
    return flow.start().thenApply(approved -> signedIn(session, provider, approved));
  }

  private void showPrompt(PortalSession session, SignInAttempt attempt, DeviceAuthorizationFlow.Started started) {
    List<Map.Entry<SignInAttempt.Waiter, DeviceAuthorizationPrompt>> prompts = new ArrayList<>();
    synchronized (session) {
      if (attempt.stage != SignInAttempt.Stage.SIGNING_IN) {
        return;
      }
      attempt.started = started;
      for (SignInAttempt.Waiter waiter : attempt.waiters) {
        prompts.add(Map.entry(waiter, attempt.promptFor(waiter, session.key)));
      }
    }
    prompts.forEach(entry -> tell(entry.getKey(), entry.getValue()));
  }

  private AccessToken signedIn(PortalSession session, ProviderConfig provider, DeviceAuthorizationFlow.Approved approved) {
    StoredSession fresh = new StoredSession(session.startUrl, session.region, approved.accessToken(),
        approved.expiresAt(), approved.registration(), approved.refreshToken());
    AccessToken token;
    synchronized (session) {
      if (session.closed) {
        throw new CancellationException("the session was closed");
      }
      session.adopt(fresh, approved.issuedAt());
      session.rejectedAccessToken = null;
      session.rejectedRefreshToken = null;
      session.lastError = null;
      persist(session, fresh);
      token = fresh.toAccessToken(session.key);
    }
    log.info("signed in to {}; valid until {}", session.startUrl, token.expiresAt());
    for (SessionListener listener : listeners) {
      notifyListener(() -> listener.onSignedIn(provider, token));
    }
    return token;
  }

  private void finish(PortalSession session, SignInAttempt attempt, ProviderConfig provider, AccessToken token,
      Throwable failure) {
    Throwable cause = failure == null ? null : StatusErrors.unwrap(failure);
    RuntimeException shown = cause == null ? null : OidcFailures.toUserFacing(provider, cause);
    List<SignInAttempt.Waiter> waiters;
    synchronized (session) {
      if (session.attempt == attempt) {
        session.attempt = null;
      }
      attempt.stage = SignInAttempt.Stage.DONE;
      waiters = new ArrayList<>(attempt.waiters);
      attempt.waiters.clear();
      if (!session.closed) {
        Instant now = clock.instant();
        if (token != null) {
          session.refreshFailures = 0;
          armRefresh(session, now);
        } else {
          boolean reasonKnown = attempt.endedNeedingSignIn && session.lastError != null;
          if (!(shown instanceof CancellationException) && !reasonKnown) {
            session.lastError = oneLine(shown.getMessage());
            session.lastErrorAt = now;
          }
          if (attempt.renewalFailed) {
            session.refreshFailures++;
            armRefresh(session, now);
          } else if (session.refreshTimer == null) {
            armRefresh(session, now);
          }
        }
      }
    }
    attempt.done.complete(null);
    for (SignInAttempt.Waiter waiter : waiters) {
      if (token != null) {
        waiter.future().complete(token);
      } else {
        waiter.future().completeExceptionally(shown);
      }
    }
    if (shown != null && !(shown instanceof CancellationException) && !waiters.isEmpty()) {
      log.info("sign-in to {} failed: {}", session.startUrl, oneLine(shown.getMessage()));
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Refresh timers

  /** (Re)arms {@code session}'s refresh timer, or clears it when the session cannot be renewed. Holds the monitor. */
  private void armRefresh(PortalSession session, Instant now) {
    cancelTimer(session);
    if (closed || session.closed || !session.refreshable(session.stored, now)) {
      return;
    }
    Instant at = session.refreshFailures > 0
        ? now.plus(schedule.retryDelay(session.refreshFailures))
        : schedule.prefetchTime(session.issuedAt == null ? now : session.issuedAt, session.stored.expiresAt());
    Duration delay = Duration.between(now, at);
    if (delay.compareTo(MIN_TIMER_DELAY) < 0) {
      delay = MIN_TIMER_DELAY;
      at = now.plus(delay);
    }
    session.nextRefreshAt = at;
    long generation = ++session.timerGeneration;
    try {
      session.refreshTimer = scheduler.schedule(() -> refreshInBackground(session, generation), delay.toMillis(),
          TimeUnit.MILLISECONDS);
    } catch (RuntimeException rejected) { // scheduler shut down
      session.nextRefreshAt = null;
    }
  }

  private void cancelTimer(PortalSession session) {
    ScheduledFuture<?> timer = session.refreshTimer;
    session.refreshTimer = null;
    session.timerGeneration++;
    session.nextRefreshAt = null;
    if (timer != null) {
      timer.cancel(false);
    }
  }

  /** A refresh timer fired: renew with nobody asking, through the same single flight callers use. */
  private void refreshInBackground(PortalSession session, long generation) {
    SignInAttempt attempt;
    ProviderConfig provider;
    synchronized (session) {
      if (generation != session.timerGeneration) {
        return; // re-armed or cancelled after this timer had already started to fire
      }
      session.refreshTimer = null;
      session.nextRefreshAt = null;
      if (closed || session.closed || session.attempt != null || session.stored == null
          || session.lastProvider == null) {
        return; // an attempt in flight re-arms the timer when it ends
      }
      attempt = new SignInAttempt(false, true, session.stored.expiresAt());
      session.attempt = attempt;
      provider = session.lastProvider;
    }
    run(session, attempt, provider);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Helpers

  /** Whether the disk copy should replace what memory holds: it is newer, or it offers a refresh token not refused. */
  private static boolean newer(PortalSession session, StoredSession disk) {
    StoredSession memory = session.stored;
    if (memory == null) {
      return true;
    }
    if (disk.expiresAt().isAfter(memory.expiresAt())) {
      return true;
    }
    return memory.refreshToken() != null && memory.refreshToken().equals(session.rejectedRefreshToken)
        && disk.refreshToken() != null && !disk.refreshToken().equals(memory.refreshToken());
  }

  /** Writes the cache file; a failure is logged and the session lives on in memory. Holds the monitor. */
  private void persist(PortalSession session, StoredSession stored) {
    try {
      cache.write(session.key, stored);
    } catch (IOException e) {
      log.warn("cannot write the SSO session cache file {} ({}); the session is kept in memory only",
          cache.path(session.key), e instanceof PrivateFiles.ForeignDirectoryException ? e.getMessage()
              : e.getClass().getSimpleName());
    }
  }

  private void progress(PortalSession session, SignInAttempt attempt, String message) {
    List<SignInAttempt.Waiter> waiters;
    synchronized (session) {
      waiters = new ArrayList<>(attempt.waiters);
    }
    for (SignInAttempt.Waiter waiter : waiters) {
      try {
        waiter.observer().onProgress(message);
      } catch (RuntimeException e) {
        log.warn("a sign-in observer failed: {}", e.getClass().getSimpleName());
      }
    }
  }

  private static void tell(SignInAttempt.Waiter waiter, DeviceAuthorizationPrompt prompt) {
    try {
      waiter.observer().onDeviceAuthorization(prompt);
    } catch (RuntimeException e) {
      log.warn("a sign-in observer failed: {}", e.getClass().getSimpleName());
    }
  }

  private static void notifyListener(Runnable call) {
    try {
      call.run();
    } catch (RuntimeException e) {
      log.warn("a session listener failed: {}", e.getClass().getSimpleName(), e);
    }
  }

  private SsoOidcClient oidc(ProviderConfig provider) {
    return aws.ssoOidc(endpoints(provider), provider.region(), AwsClients.Retries.NONE);
  }

  private static AwsEndpoints endpoints(ProviderConfig provider) {
    return provider.endpoints() == null ? AwsEndpoints.AWS_DEFAULTS : provider.endpoints();
  }

  private static UserFacingException shuttingDown() {
    return new UserFacingException(Status.UNAVAILABLE, "atmosd is shutting down; try again");
  }

  private static String shortDuration(Duration duration) {
    long millis = duration.toMillis();
    return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
  }

  private static String oneLine(String text) {
    return text == null ? "" : text.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
  }

  private static ScheduledExecutorService newScheduler() {
    ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(2, daemonThreads("atmosd-session-timer-%d"));
    scheduler.setRemoveOnCancelPolicy(true);
    return scheduler;
  }


  /** The current polling interval of {@code sessionKey}'s device flow, if one is polling (for tests). */
  Optional<Duration> pollInterval(String sessionKey) {
    PortalSession session = sessions.get(sessionKey);
    if (session == null) {
      return Optional.empty();
    }
    synchronized (session) {
      SignInAttempt attempt = session.attempt;
      return attempt == null || attempt.flow == null ? Optional.empty() : Optional.of(attempt.flow.interval());
    }
  }
}
