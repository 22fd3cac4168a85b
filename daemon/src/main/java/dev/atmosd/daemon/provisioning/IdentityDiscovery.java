package dev.atmosd.daemon.provisioning;

import dev.atmosd.daemon.config.ProvisionedIdentitiesFile;
import static dev.atmosd.daemon.DaemonThreads.daemonThreads;

import dev.atmosd.daemon.aws.AwsClients;
import dev.atmosd.daemon.config.ProviderConfig;
import dev.atmosd.daemon.config.ProviderConfig.ProvisioningSettings;
import dev.atmosd.daemon.files.DaemonPaths;
import dev.atmosd.daemon.files.PrivateFiles;
import dev.atmosd.daemon.session.AccessToken;
import dev.atmosd.daemon.session.PortalSessions;
import dev.atmosd.daemon.session.SignInObserver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's {@link IdentityProvisioner}: discovers a provider's accounts and permission sets and writes them as
 * atmos identities ({@link ProvisionedIdentitiesFile}, names by {@link IdentityNames}).
 *
 * <p>When it runs: after every successful sign-in of a provider with {@code auto_provision_identities} (a session
 * listener), then again every {@code provisioning.interval} while that portal's session lives (so accounts and
 * roles granted later appear without a new sign-in), and whenever {@link #provision} is called.
 *
 * <p>How: one {@link SharedDiscovery} per provider at a time — later callers join it and get what was already
 * found, then the rest; a caller going away stops nothing. The blocking SDK calls run on this class's own bounded
 * pools (a coordinator pool and a worker pool), never on the caller's thread. ListAccountRoles fans out over
 * {@code provisioning.parallelism} workers (default 8) that share one {@link AdaptiveRateLimiter} per portal, with
 * {@link PortalCallRetries} retrying 429/5xx/connection errors.
 *
 * <p>{@link #provision} works for any Identity Center provider, {@code auto_provision_identities} or not (the user
 * asked); it asks {@link PortalSessions#accessToken} as a background waiter: a session that exists, renews silently
 * or is being signed in for someone else is used, but no device flow is started for it (the result then carries a
 * one-line "sign in with atmos auth login" warning).
 * Background rounds only use the session's current token and stop once the session is gone; {@link #forget} stops
 * them, deletes the file, and keeps a discovery still in flight from writing it again.
 */
public final class IdentityDiscovery implements IdentityProvisioner, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(IdentityDiscovery.class);
  /** A background round skips a token this close to expiry rather than race it; the engine refreshes it. */
  private static final Duration TOKEN_MARGIN = Duration.ofMinutes(1);

  private final AwsClients aws;
  private final DaemonPaths paths;
  private final PortalSessions sessions;
  private final Clock clock;
  private final DiscoveryTuning tuning;
  private final ExecutorService coordinators;
  private final ThreadPoolExecutor workers;
  private final ScheduledExecutorService timer;
  private final Map<String, SharedDiscovery> inFlight = new ConcurrentHashMap<>();
  private final Map<String, SignInDiscovery> afterSignIn = new ConcurrentHashMap<>();
  private final Map<String, ScheduledFuture<?>> schedules = new ConcurrentHashMap<>();
  /** Each provider as the newest config read describes it: timed rounds use this, not the one they began with. */
  private final Map<String, ProviderConfig> latest = new ConcurrentHashMap<>();
  /** The interval each provider's rounds were scheduled with. */
  private final Map<String, Duration> scheduledEvery = new ConcurrentHashMap<>();
  private final Map<String, AdaptiveRateLimiter> limiters = new ConcurrentHashMap<>();
  private final LongAdder calls = new LongAdder();
  private final LongAdder throttled = new LongAdder();
  private final LongAdder retried = new LongAdder();
  private final LongAdder discoveries = new LongAdder();
  private final PortalCallRetries retries;

  private IdentityDiscovery(AwsClients aws, DaemonPaths paths, PortalSessions sessions, Clock clock, DiscoveryTuning tuning) {
    this.aws = aws;
    this.paths = paths;
    this.sessions = sessions;
    this.clock = clock;
    this.tuning = tuning;
    this.coordinators = new ThreadPoolExecutor(4, 4, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
        daemonThreads("atmosd-provisioning-%d"));
    ((ThreadPoolExecutor) coordinators).allowCoreThreadTimeOut(true);
    this.workers = new ThreadPoolExecutor(tuning.maxParallelism(), tuning.maxParallelism(), 30, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(), daemonThreads("atmosd-provisioning-roles-%d"));
    workers.allowCoreThreadTimeOut(true);
    this.timer = Executors.newSingleThreadScheduledExecutor(daemonThreads("atmosd-provisioning-timer-%d"));
    this.retries = new PortalCallRetries(tuning, calls, throttled, retried);
  }

  /** Builds the provisioner and subscribes it to sign-ins. */
  public static IdentityDiscovery create(AwsClients aws, DaemonPaths paths, PortalSessions sessions, Clock clock) {
    return create(aws, paths, sessions, clock, DiscoveryTuning.DEFAULTS);
  }

  /** As {@link #create(AwsClients, DaemonPaths, PortalSessions, Clock)} with other retry/rate knobs (tests, bench). */
  public static IdentityDiscovery create(AwsClients aws, DaemonPaths paths, PortalSessions sessions, Clock clock,
      DiscoveryTuning tuning) {
    IdentityDiscovery discovery = new IdentityDiscovery(aws, paths, sessions, clock, tuning);
    sessions.addListener(new PortalSessions.SessionListener() {
      @Override
      public void onSignedIn(ProviderConfig provider, AccessToken token) {
        discovery.afterSignIn(provider, token);
      }

      @Override
      public void onRefreshed(ProviderConfig provider, AccessToken token) {
        // A daemon restarted on a cached session never sees a sign-in: keep its identities fresh all the same.
        if (provider.autoProvisionIdentities() && discovery.refusal(provider) == null) {
          discovery.schedules.computeIfAbsent(provider.name(), name -> discovery.scheduleRounds(provider));
        }
      }
    });
    return discovery;
  }

  @Override
  public CompletableFuture<ProvisioningResult> provision(ProviderConfig provider, ProvisioningObserver observer) {
    SignInDiscovery bySignIn = afterSignIn.get(provider.name());
    if (bySignIn != null && bySignIn.joinable(clock.instant())) {
      // The login that caused the sign-in asks right after it: it gets that discovery, not a second one.
      bySignIn.discovery().join(observer);
      return bySignIn.discovery().resultForOneCaller();
    }
    return start(provider, observer, () -> sessions.accessToken(provider, SignInObserver.BACKGROUND));
  }

  /** How long a discovery a sign-in started stays joinable after it ends. */
  private static final Duration SIGN_IN_DISCOVERY_JOINABLE = Duration.ofSeconds(30);

  /** The discovery a sign-in started, and when it ended (null while it runs). */
  private record SignInDiscovery(SharedDiscovery discovery, AtomicReference<Instant> endedAt) {
    boolean joinable(Instant now) {
      Instant ended = endedAt.get();
      return !discovery.isForgotten()
          && (ended == null || now.isBefore(ended.plus(SIGN_IN_DISCOVERY_JOINABLE)));
    }
  }

  @Override
  public boolean forget(ProviderConfig provider) {
    afterSignIn.remove(provider.name());
    scheduledEvery.remove(provider.name());
    ScheduledFuture<?> schedule = schedules.remove(provider.name());
    if (schedule != null) {
      schedule.cancel(false);
    }
    SharedDiscovery running = inFlight.get(provider.name());
    if (running != null) {
      running.forget();
    }
    try {
      return PrivateFiles.delete(paths.provisionedIdentitiesFile(provider.name()));
    } catch (IOException e) {
      log.warn("could not delete the provisioned identities of provider {}: {}", provider.name(), e.getMessage());
      return false;
    }
  }

  @Override
  public boolean wouldForget(ProviderConfig provider) {
    return Files.exists(paths.provisionedIdentitiesFile(provider.name()), LinkOption.NOFOLLOW_LINKS);
  }

  /**
   * A client's config was read afresh: timed rounds take its settings from now on, and a changed
   * {@code provisioning.interval} reschedules them at once (the first round one new interval from now), rather than
   * waiting for the next sign-in. A provider of the same name pointing at another portal is not this one.
   */
  public void configLoaded(dev.atmosd.daemon.config.AtmosConfig config) {
    for (ProviderConfig provider : config.providers().values()) {
      if (!provider.autoProvisionIdentities()) {
        continue;
      }
      ProviderConfig before = latest.get(provider.name());
      if (before != null && !before.sessionKey().equals(provider.sessionKey())) {
        continue;
      }
      latest.put(provider.name(), provider);
      Duration every = scheduledEvery.get(provider.name());
      if (every != null && !every.equals(settings(provider).interval()) && schedules.containsKey(provider.name())) {
        ScheduledFuture<?> previous = schedules.put(provider.name(), scheduleRounds(provider));
        if (previous != null) {
          previous.cancel(false);
        }
        log.info("provider {}: provisioning.interval is now {}; background discovery rescheduled", provider.name(),
            settings(provider).interval());
      }
    }
  }

  /** What discovery has cost the portals so far. */
  public DiscoveryCounters counters() {
    return new DiscoveryCounters(calls.sum(), throttled.sum(), retried.sum(), discoveries.sum());
  }

  /** Whether timed rediscovery is scheduled for the provider (status output, tests). */
  public boolean rediscovers(String providerName) {
    return schedules.containsKey(providerName);
  }

  @Override
  public void close() {
    schedules.values().forEach(s -> s.cancel(false));
    schedules.clear();
    timer.shutdownNow();
    coordinators.shutdownNow();
    workers.shutdownNow();
  }

  private void afterSignIn(ProviderConfig provider, AccessToken token) {
    if (!provider.autoProvisionIdentities()) {
      return;
    }
    String refusal = refusal(provider);
    if (refusal != null) {
      log.warn(refusal);
      return;
    }
    SharedDiscovery started = join(provider, ProvisioningObserver.NOBODY, () -> CompletableFuture.completedFuture(token));
    if (started != null) {
      SignInDiscovery bySignIn = new SignInDiscovery(started, new AtomicReference<>());
      afterSignIn.put(provider.name(), bySignIn);
      started.resultForOneCaller().whenComplete((ignored, failure) -> bySignIn.endedAt().set(clock.instant()));
    }
    ScheduledFuture<?> previous = schedules.put(provider.name(), scheduleRounds(provider));
    if (previous != null) {
      previous.cancel(false);
    }
  }

  private ScheduledFuture<?> scheduleRounds(ProviderConfig provider) {
    latest.put(provider.name(), provider);
    scheduledEvery.put(provider.name(), settings(provider).interval());
    long every = Math.max(1, settings(provider).interval().toMillis());
    AtomicReference<ScheduledFuture<?>> self = new AtomicReference<>();
    self.set(timer.scheduleWithFixedDelay(() -> backgroundRound(provider, self.get()), every, every,
        TimeUnit.MILLISECONDS));
    return self.get();
  }

  /** One timed rediscovery, on the session that exists; when the session is gone these rounds stop. */
  private void backgroundRound(ProviderConfig scheduledFor, ScheduledFuture<?> rounds) {
    if (rounds == null) {
      return; // fired before its own handle was stored: the next round has it
    }
    ProviderConfig provider = latest.getOrDefault(scheduledFor.name(), scheduledFor);
    AccessToken token = sessions.currentToken(provider.sessionKey()).orElse(null);
    if (token == null) {
      // Only these rounds: a sign-in meanwhile may have scheduled new ones, which must go on.
      rounds.cancel(false);
      schedules.remove(provider.name(), rounds);
      log.info("provider {}: no session any more; background discovery stopped", provider.name());
      return;
    }
    if (token.expiresAt() != null && token.expiresAt().isBefore(clock.instant().plus(TOKEN_MARGIN))) {
      log.debug("provider {}: session about to expire; skipped this background discovery", provider.name());
      return;
    }
    start(provider, ProvisioningObserver.NOBODY, () -> CompletableFuture.completedFuture(token));
  }

  /** Joins the provider's discovery in flight, or starts one that fetches its token from {@code token}. */
  private CompletableFuture<ProvisioningResult> start(ProviderConfig provider, ProvisioningObserver observer,
      Supplier<CompletableFuture<AccessToken>> token) {
    String refusal = refusal(provider);
    if (refusal != null) {
      log.warn(refusal);
      observer.onWarning(refusal);
      return CompletableFuture.completedFuture(new ProvisioningResult(provider.name(), 0, 0, 0, 0, 0, Duration.ZERO,
          null, List.of(refusal)));
    }
    return join(provider, observer, token).resultForOneCaller();
  }

  /** The discovery {@code observer} joined: the one in flight, or a new one; null when the provider is refused. */
  private SharedDiscovery join(ProviderConfig provider, ProvisioningObserver observer,
      Supplier<CompletableFuture<AccessToken>> token) {
    if (refusal(provider) != null) {
      return null;
    }
    SharedDiscovery[] created = new SharedDiscovery[1];
    SharedDiscovery discovery = inFlight.compute(provider.name(), (name, existing) -> {
      if (existing != null && !existing.isDone()) {
        return existing;
      }
      created[0] = new SharedDiscovery(name);
      return created[0];
    });
    discovery.join(observer);
    if (created[0] != null) {
      launch(provider, discovery, token);
    }
    return discovery;
  }

  private void launch(ProviderConfig provider, SharedDiscovery discovery, Supplier<CompletableFuture<AccessToken>> token) {
    Instant started = clock.instant();
    CompletableFuture<AccessToken> tokenFuture;
    try {
      tokenFuture = token.get();
    } catch (RuntimeException e) {
      tokenFuture = CompletableFuture.failedFuture(e);
    }
    tokenFuture.whenCompleteAsync((accessToken, failure) -> {
      ProvisioningResult result;
      try {
        result = failure != null || accessToken == null
            ? failed(provider, discovery, started, "no session for provider " + provider.name() + " ("
                + describe(failure) + "); sign in with: atmos auth login --provider " + provider.name())
            : discover(provider, accessToken, discovery, started);
      } catch (java.util.concurrent.RejectedExecutionException closing) {
        result = failed(provider, discovery, started, "the daemon is shutting down; discovery of provider "
            + provider.name() + " stopped");
      } catch (RuntimeException | Error e) {
        log.error("discovery of provider {} failed unexpectedly", provider.name(), e);
        result = failed(provider, discovery, started, "discovery of provider " + provider.name()
            + " failed unexpectedly (" + e + "); see the daemon log");
      } finally {
        inFlight.remove(provider.name(), discovery);
      }
      discovery.complete(result);
    }, coordinators).exceptionally(rejected -> {
      // The coordinator pool refused the task: the daemon is closing.
      inFlight.remove(provider.name(), discovery);
      discovery.complete(failed(provider, discovery, started, "the daemon is shutting down; discovery of provider "
          + provider.name() + " did not run"));
      return null;
    });
  }

  private ProvisioningResult discover(ProviderConfig provider, AccessToken token, SharedDiscovery discovery, Instant started) {
    discoveries.increment();
    AdaptiveRateLimiter limiter = limiters.computeIfAbsent(provider.sessionKey(), key -> tuning.newLimiter());
    PortalListings listings = new PortalListings(aws.sso(provider.endpoints(), provider.region(), AwsClients.Retries.NONE),
        limiter, retries);
    int parallelism = Math.min(Math.max(1, settings(provider).parallelism()), tuning.maxParallelism());
    DiscoveryRun run = new DiscoveryRun(provider, token.value(), listings, paths.provisionedIdentitiesFile(provider.name()),
        clock, workers, parallelism, discovery);
    try {
      ProvisioningResult result = run.run();
      if (run.sessionRejected()) {
        sessions.invalidate(token); // so the engine renews it instead of handing it out again
      }
      return result;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return failed(provider, discovery, started, "discovery of provider " + provider.name() + " was interrupted");
    }
  }

  private ProvisioningResult failed(ProviderConfig provider, SharedDiscovery discovery, Instant started, String warning) {
    log.warn(warning);
    discovery.warn(warning);
    return new ProvisioningResult(provider.name(), 0, 0, 0, 0, 0, Duration.between(started, clock.instant()), null,
        List.of(warning));
  }

  /** Why this provider cannot be provisioned, or null. Config validation catches these first; this is the backstop. */
  String refusal(ProviderConfig provider) {
    if (!provider.isIdentityCenter()) {
      return "provider " + provider.name() + " is of kind " + provider.kind() + "; only "
          + ProviderConfig.KIND_IDENTITY_CENTER + " providers can provision identities";
    }
    if (provider.startUrl() == null || provider.startUrl().isBlank()) {
      return "provider " + provider.name() + " has no start_url; set auth.providers." + provider.name()
          + ".start_url in atmos.yaml to provision its identities";
    }
    if (provider.region() == null || provider.region().isBlank()) {
      return "provider " + provider.name() + " has no region; set auth.providers." + provider.name()
          + ".region in atmos.yaml to provision its identities";
    }
    return null;
  }

  private static ProvisioningSettings settings(ProviderConfig provider) {
    return provider.provisioning() != null ? provider.provisioning() : ProvisioningSettings.DEFAULT;
  }

  private static String describe(Throwable failure) {
    if (failure == null) {
      return "no token";
    }
    Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
        ? failure.getCause() : failure;
    return cause.getMessage() != null ? cause.getMessage().replaceAll("\\s+", " ").strip() : cause.getClass().getSimpleName();
  }

}
