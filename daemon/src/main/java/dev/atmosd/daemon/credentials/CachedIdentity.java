package dev.atmosd.daemon.credentials;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One identity's cache slot: the credentials last minted, at most one mint in flight that every concurrent request
 * joins, when a client last asked, and the pending background re-mint.
 */
final class CachedIdentity {
  /** What a request wants of the slot. */
  enum Need {
    /** A client's request: anything not yet stale will do, and the identity counts as in use. */
    HAND_OUT,
    /** The background re-mint: anything not yet due for prefetch will do. */
    REMINT,
    /** Credentials to assume a child role with: anything not yet stale will do; not a use of this identity. */
    PARENT
  }

  private final IdentityChain.CacheKey key;
  private final IdentityChain chain;
  private final Consumer<CachedIdentity> onMinted;
  private MintedCredentials current;
  private RefreshPolicy.Windows windows;
  private CompletableFuture<MintedCredentials> inFlight;
  private Instant lastRequestedAt;
  private ScheduledFuture<?> pendingRemint;

  CachedIdentity(IdentityChain chain, Consumer<CachedIdentity> onMinted) {
    this.key = chain.cacheKey();
    this.chain = chain;
    this.onMinted = onMinted;
  }

  IdentityChain.CacheKey key() {
    return key;
  }

  IdentityChain chain() {
    return chain;
  }

  synchronized void touch(Instant now) {
    lastRequestedAt = now;
  }

  synchronized Optional<Instant> lastRequestedAt() {
    return Optional.ofNullable(lastRequestedAt);
  }

  synchronized Optional<MintedCredentials> current() {
    return Optional.ofNullable(current);
  }

  synchronized Optional<RefreshPolicy.Windows> windows() {
    return Optional.ofNullable(windows);
  }

  synchronized boolean minting() {
    return inFlight != null;
  }

  /** The cached credentials when they satisfy {@code need} at {@code now}. */
  synchronized Optional<MintedCredentials> satisfying(Need need, Instant now) {
    if (current == null) {
      return Optional.empty();
    }
    boolean good = need == Need.REMINT ? !windows.prefetchDueAt(now) : windows.freshAt(now);
    return good ? Optional.of(current) : Optional.empty();
  }

  /**
   * The cached credentials if they satisfy {@code need}, else the mint in flight, else a new mint from {@code mint}.
   * Deciding under the slot's lock is what makes a hundred concurrent requests share one portal call.
   */
  synchronized CompletableFuture<MintedCredentials> joinOrMint(Need need, Instant now,
      Supplier<CompletableFuture<MintedCredentials>> mint) {
    Optional<MintedCredentials> ready = satisfying(need, now);
    if (ready.isPresent()) {
      return CompletableFuture.completedFuture(ready.get());
    }
    if (inFlight != null) {
      return inFlight;
    }
    CompletableFuture<MintedCredentials> recorded = mint.get().whenComplete((minted, failure) -> record(minted));
    // A mint that finished inline has already been recorded; only a running one is worth joining.
    if (!recorded.isDone()) {
      inFlight = recorded;
    }
    return recorded;
  }

  private void record(MintedCredentials minted) {
    synchronized (this) {
      inFlight = null;
      if (minted == null) {
        return;
      }
      current = minted;
      windows = RefreshPolicy.windows(minted.mintedAt(), minted.expiration());
    }
    onMinted.accept(this);
  }

  /** Replaces the pending background re-mint, so at most one is ever scheduled per slot. */
  synchronized void replacePendingRemint(ScheduledFuture<?> next) {
    if (pendingRemint != null) {
      pendingRemint.cancel(false);
    }
    pendingRemint = next;
  }

  synchronized void cancelPendingRemint() {
    replacePendingRemint(null);
  }
}
