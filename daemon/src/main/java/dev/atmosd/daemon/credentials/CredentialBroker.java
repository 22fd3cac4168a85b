package dev.atmosd.daemon.credentials;

import static dev.atmosd.daemon.DaemonThreads.daemonThreads;

import dev.atmosd.daemon.aws.AwsClients;
import dev.atmosd.daemon.config.AtmosConfig;
import dev.atmosd.daemon.config.ConfigException;
import dev.atmosd.daemon.config.IdentityConfig;
import dev.atmosd.daemon.rpc.StatusErrors;
import dev.atmosd.daemon.rpc.UserFacingException;
import dev.atmosd.daemon.session.PortalSessions;
import dev.atmosd.daemon.session.SignInObserver;
import io.grpc.Status;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mints, caches and hands out role credentials for configured identities.
 *
 * <p>Each identity (keyed by config file, name and a digest of its whole definition) has one cache slot; concurrent
 * requests for it share one mint. Credentials are handed out while {@link RefreshPolicy} calls them fresh, and
 * identities in use — asked for within the last hour, or held by a container-endpoint grant — are re-minted in the
 * background before clients would find them expiring. A failure of one identity never touches another's slot.
 */
public final class CredentialBroker implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CredentialBroker.class);
  /** An identity asked for within this long counts as in use and is kept fresh in the background. */
  static final Duration IN_USE_FOR = Duration.ofHours(1);
  private static final Duration SWEEP_EVERY = Duration.ofMinutes(10);

  private final PortalSessions sessions;
  private final Clock clock;
  private final PermissionSetMinter permissionSets;
  private final AssumeRoleMinter assumeRoles;
  private final AssumeRootMinter assumeRoots;
  private final CallerIdentityCheck callerIdentities;
  private final Map<IdentityChain.CacheKey, CachedIdentity> slots = new ConcurrentHashMap<>();
  private final Map<HeldIdentity, AtomicInteger> held = new ConcurrentHashMap<>();
  private final ExecutorService minting;
  private final ScheduledThreadPoolExecutor scheduler;
  private volatile boolean closed;

  private CredentialBroker(AwsClients aws, PortalSessions sessions, Clock clock) {
    this.sessions = sessions;
    this.clock = clock;
    this.permissionSets = new PermissionSetMinter(aws, new AccountIdsByName(aws, clock), clock);
    this.assumeRoles = new AssumeRoleMinter(aws, clock);
    this.assumeRoots = new AssumeRootMinter(aws, clock);
    this.callerIdentities = new CallerIdentityCheck(aws);
    this.minting = Executors.newCachedThreadPool(daemonThreads("atmosd-mint-%d"));
    this.scheduler = new ScheduledThreadPoolExecutor(1, daemonThreads("atmosd-remint-%d"));
    this.scheduler.setRemoveOnCancelPolicy(true);
    this.scheduler.scheduleWithFixedDelay(this::sweep, SWEEP_EVERY.toSeconds(), SWEEP_EVERY.toSeconds(), TimeUnit.SECONDS);
  }

  public static CredentialBroker create(AwsClients aws, PortalSessions sessions, Clock clock) {
    CredentialBroker broker = new CredentialBroker(aws, sessions, clock);
    sessions.addListener(new PortalSessions.SessionListener() {
      @Override
      public void onSignedOut(String sessionKey) {
        broker.forgetPortal(sessionKey);
      }
    });
    return broker;
  }

  /**
   * Drops every identity minted through the portal's session, and its background re-mints: after a logout, as with
   * {@code aws sso logout}, credentials obtained with the session are not handed out again.
   */
  private void forgetPortal(String sessionKey) {
    int[] dropped = {0};
    slots.values().removeIf(slot -> {
      boolean viaPortal = sessionKey.equals(slot.chain().provider().sessionKey());
      if (viaPortal) {
        slot.cancelPendingRemint();
        dropped[0]++;
      }
      return viaPortal;
    });
    if (dropped[0] > 0) {
      log.info("signed out: forgot the credentials of {} identities minted through that session", dropped[0]);
    }
  }

  /**
   * The identities whose credentials, minted through the portal's session, a logout of it drops: what
   * {@link #forgetPortal} will forget, for a logout to report (or a dry run to show). Sorted, each name once.
   */
  public List<String> identitiesCachedThrough(String sessionKey) {
    return slots.values().stream()
        .filter(slot -> sessionKey.equals(slot.chain().provider().sessionKey()) && slot.current().isPresent())
        .map(slot -> slot.key().identity()).distinct().sorted().toList();
  }

  /**
   * Whether the daemon holds credentials of {@code identity} as configured in {@code source} (any version of its
   * definition): what {@link #forgetIdentity} would drop.
   */
  public boolean holdsCredentials(Path source, String identity) {
    return slots.values().stream().anyMatch(slot -> ofIdentity(slot, source, identity) && slot.current().isPresent());
  }

  /**
   * Drops {@code identity}'s own cached credentials and background re-mints (`atmos auth logout IDENTITY`), so its
   * next request mints new ones. The portal session, and the credentials of other identities (those reached through
   * this one too), stay. True when credentials were dropped.
   */
  public boolean forgetIdentity(Path source, String identity) {
    boolean[] held = {false};
    slots.values().removeIf(slot -> {
      if (!ofIdentity(slot, source, identity)) {
        return false;
      }
      held[0] |= slot.current().isPresent();
      slot.cancelPendingRemint();
      return true;
    });
    if (held[0]) {
      log.info("logout: forgot the cached credentials of identity '{}'", identity);
    }
    return held[0];
  }

  private static boolean ofIdentity(CachedIdentity slot, Path source, String identity) {
    return slot.key().identity().equals(identity) && slot.key().source().equals(String.valueOf(source));
  }

  /** How the cached credentials of an identity look right now, for listings. */
  public enum CachedState { UNKNOWN, VALID, EXPIRING, EXPIRED }

  /** A passive view of a slot: no network, no secret. */
  public record CachedStatus(CachedState state, Instant expiresAt) {
    static final CachedStatus UNKNOWN = new CachedStatus(CachedState.UNKNOWN, null);
  }

  /** Resolves {@code identity}'s chain; see {@link IdentityChain#resolve}. */
  public IdentityChain chain(AtmosConfig config, String identity) {
    return IdentityChain.resolve(config, identity);
  }

  /**
   * Credentials for a client that can show sign-in prompts: when the portal needs a sign-in, this joins the one
   * device flow through {@code observer} and completes after it.
   */
  public CompletableFuture<MintedCredentials> credentials(AtmosConfig config, String identity, SignInObserver observer) {
    return handOut(config, identity, PortalTokens.interactive(sessions, observer));
  }

  /**
   * Credentials for a caller with nobody to show a sign-in to (the container endpoint): uses the session the engine
   * holds or can refresh, and fails with FAILED_PRECONDITION when only a sign-in would help.
   */
  public CompletableFuture<MintedCredentials> credentialsWithoutSignIn(AtmosConfig config, String identity) {
    return handOut(config, identity, PortalTokens.silent(sessions, clock));
  }

  /**
   * STS GetCallerIdentity with {@code identity}'s credentials (obtained as {@link #credentials} does, sign-in and
   * all): proof that they work.
   */
  public CompletableFuture<VerifiedCaller> callerIdentity(AtmosConfig config, String identity,
      SignInObserver observer) {
    IdentityChain chain;
    try {
      chain = IdentityChain.resolve(config, identity);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    return credentials(config, identity, observer)
        .thenApplyAsync(minted -> callerIdentities.check(chain, minted), minting);
  }

  /** What the cache holds for {@code identity}, without any network call. */
  public CachedStatus cachedStatus(AtmosConfig config, String identity) {
    IdentityChain chain;
    try {
      chain = IdentityChain.resolve(config, identity);
    } catch (ConfigException e) {
      return CachedStatus.UNKNOWN;
    }
    CachedIdentity slot = slots.get(chain.cacheKey());
    Optional<MintedCredentials> current = slot == null ? Optional.empty() : slot.current();
    if (current.isEmpty()) {
      return CachedStatus.UNKNOWN;
    }
    Instant expiresAt = current.get().expiration();
    Instant now = clock.instant();
    if (!now.isBefore(expiresAt)) {
      return new CachedStatus(CachedState.EXPIRED, expiresAt);
    }
    if (now.plus(RefreshPolicy.CLIENT_REFRESH_WINDOW).isAfter(expiresAt)) {
      return new CachedStatus(CachedState.EXPIRING, expiresAt);
    }
    return new CachedStatus(CachedState.VALID, expiresAt);
  }

  /**
   * Marks {@code identity} of {@code source} as in use until the returned handle is closed (a container-endpoint
   * grant), so its credentials stay fresh in the background even when no client asked within the hour.
   */
  public AutoCloseable holdFresh(Path source, String identity) {
    HeldIdentity key = new HeldIdentity(String.valueOf(source), identity);
    held.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
    AtomicInteger released = new AtomicInteger();
    return () -> {
      if (released.getAndIncrement() == 0) {
        held.computeIfPresent(key, (k, count) -> count.decrementAndGet() <= 0 ? null : count);
      }
    };
  }

  private record HeldIdentity(String source, String identity) {}

  private CompletableFuture<MintedCredentials> handOut(AtmosConfig config, String identity, PortalTokens tokens) {
    if (closed) {
      return CompletableFuture.failedFuture(new UserFacingException(Status.UNAVAILABLE, "atmosd is shutting down"));
    }
    IdentityChain chain;
    try {
      chain = IdentityChain.resolve(config, identity);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    return obtain(chain, tokens, CachedIdentity.Need.HAND_OUT);
  }

  private CompletableFuture<MintedCredentials> obtain(IdentityChain chain, PortalTokens tokens, CachedIdentity.Need need) {
    CachedIdentity slot = slots.computeIfAbsent(chain.cacheKey(), k -> new CachedIdentity(chain, this::scheduleRemint));
    Instant now = clock.instant();
    if (need == CachedIdentity.Need.HAND_OUT) {
      slot.touch(now);
    }
    Optional<MintedCredentials> ready = slot.satisfying(need, now);
    if (ready.isPresent()) {
      return CompletableFuture.completedFuture(ready.get());
    }
    if (chain.links().size() == 1) {
      return mintPermissionSet(slot, tokens, need, true);
    }
    IdentityChain parent = chain.prefix(chain.links().size() - 2);
    return obtain(parent, tokens, CachedIdentity.Need.PARENT)
        .thenCompose(parentCredentials -> slot.joinOrMint(need, clock.instant(),
            () -> CompletableFuture.supplyAsync(() -> logMinted(chain, mintFrom(chain, parentCredentials)), minting)));
  }

  /** A link after the root: aws/assume-role or aws/assume-root, signed with the link before it. */
  private MintedCredentials mintFrom(IdentityChain chain, MintedCredentials parent) {
    return IdentityConfig.KIND_ASSUME_ROOT.equals(chain.target().kind())
        ? assumeRoots.mint(chain, parent) : assumeRoles.mint(chain, parent);
  }

  private CompletableFuture<MintedCredentials> mintPermissionSet(CachedIdentity slot, PortalTokens tokens,
      CachedIdentity.Need need, boolean mayRetry) {
    IdentityChain chain = slot.chain();
    return tokens.token(chain.provider())
        .thenCompose(token -> slot.joinOrMint(need, clock.instant(),
            () -> CompletableFuture.supplyAsync(() -> logMinted(chain, permissionSets.mint(chain, token)), minting)))
        .exceptionallyCompose(failure -> {
          Throwable cause = StatusErrors.unwrap(failure);
          if (cause instanceof PortalRejectedToken rejected) {
            // The engine may still have believed in that token; tell it, then try once with whatever it gives next.
            sessions.invalidate(rejected.token());
            if (mayRetry) {
              return mintPermissionSet(slot, tokens, need, false);
            }
            return CompletableFuture.failedFuture(new UserFacingException(Status.UNAUTHENTICATED,
                "IAM Identity Center rejected the session of provider '" + chain.provider().name()
                    + "' (UnauthorizedException) even after renewing it: run `atmos auth login --provider "
                    + chain.provider().name() + " --force`"));
          }
          return CompletableFuture.failedFuture(cause);
        });
  }

  /** A mint is a call to AWS, worth a line at INFO; handing out cached credentials is not (DEBUG, per request). */
  private static MintedCredentials logMinted(IdentityChain chain, MintedCredentials minted) {
    log.info("minted credentials for identity '{}' (expire {})", chain.target().name(), minted.expiration());
    return minted;
  }

  private void scheduleRemint(CachedIdentity slot) {
    if (closed) {
      return;
    }
    slot.windows().ifPresent(windows -> schedule(slot, Duration.between(clock.instant(), windows.prefetchAt())));
  }

  private void schedule(CachedIdentity slot, Duration delay) {
    // Rounded up, so the timer never fires before the moment the clock names.
    long millis = Math.max(1, delay.plusNanos(999_999).toMillis());
    try {
      slot.replacePendingRemint(scheduler.schedule(() -> remint(slot), millis, TimeUnit.MILLISECONDS));
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // Closing: nothing to keep fresh any more.
    }
  }

  private void remint(CachedIdentity slot) {
    if (closed || slots.get(slot.key()) != slot) {
      return;
    }
    Instant now = clock.instant();
    if (!inUse(slot, now)) {
      log.debug("identity '{}' is no longer in use; its credentials are not re-minted", slot.key().identity());
      return;
    }
    Optional<RefreshPolicy.Windows> windows = slot.windows();
    if (windows.isPresent() && !windows.get().prefetchDueAt(now)) {
      // The timer and the clock disagree by a hair (or a newer mint moved the window): wait for the real moment,
      // or this slot would never be re-minted again.
      scheduleRemint(slot);
      return;
    }
    CompletableFuture<MintedCredentials> remint;
    try {
      remint = obtain(slot.chain(), PortalTokens.silent(sessions, clock), CachedIdentity.Need.REMINT);
    } catch (RuntimeException e) {
      // A scheduled task's exception would vanish silently; fold it into the same handling as a failed mint.
      remint = CompletableFuture.failedFuture(e);
    }
    remint.whenComplete((minted, failure) -> {
      if (failure == null) {
        log.debug("re-minted identity '{}' in the background", slot.key().identity());
        return;
      }
      Throwable cause = StatusErrors.unwrap(failure);
      String why = cause instanceof UserFacingException || cause instanceof ConfigException
          ? cause.getMessage() : cause.getClass().getSimpleName();
      log.warn("background re-mint of identity '{}' failed: {}", slot.key().identity(), why);
      retryLater(slot);
    });
  }

  /** After a failed re-mint, try again while the cached credentials still live: sooner as they near expiry. */
  private void retryLater(CachedIdentity slot) {
    Optional<MintedCredentials> current = slot.current();
    if (current.isEmpty()) {
      return;
    }
    Duration left = Duration.between(clock.instant(), current.get().expiration());
    if (left.isNegative() || left.isZero()) {
      return;
    }
    Duration delay = left.dividedBy(4);
    delay = delay.compareTo(Duration.ofMinutes(1)) > 0 ? Duration.ofMinutes(1) : delay;
    delay = delay.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : delay;
    schedule(slot, delay);
  }

  /** Whether the background keeps {@code identity}'s credentials fresh now: asked for within the hour, or held. */
  boolean keptFresh(AtmosConfig config, String identity) {
    CachedIdentity slot = slots.get(IdentityChain.resolve(config, identity).cacheKey());
    return slot != null && inUse(slot, clock.instant());
  }

  boolean inUse(CachedIdentity slot, Instant now) {
    if (held.containsKey(new HeldIdentity(slot.key().source(), slot.key().identity()))) {
      return true;
    }
    return slot.lastRequestedAt().map(at -> at.plus(IN_USE_FOR).isAfter(now)).orElse(false);
  }

  /** Forgets slots nobody uses whose credentials have expired (e.g. those of an identity since edited). */
  private void sweep() {
    Instant now = clock.instant();
    slots.values().removeIf(slot -> {
      boolean expired = slot.current().map(c -> !now.isBefore(c.expiration())).orElse(!slot.minting());
      boolean drop = expired && !slot.minting() && !inUse(slot, now);
      if (drop) {
        slot.cancelPendingRemint();
      }
      return drop;
    });
  }

  @Override
  public void close() {
    closed = true;
    scheduler.shutdownNow();
    minting.shutdownNow();
  }

}
