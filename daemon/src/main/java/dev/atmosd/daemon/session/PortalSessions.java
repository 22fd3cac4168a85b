package dev.atmosd.daemon.session;

import dev.atmosd.daemon.config.ProviderConfig;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The daemon's registry of portal sessions, keyed by {@link PortalKey}. The token pipeline: in-memory hit (valid for
 * more than 5 minutes) → per-portal single flight → disk cache → refresh-token exchange → device authorization.
 * Every caller for one portal, from any client, joins the one attempt in flight.
 */
public interface PortalSessions {

  /** A token valid for more than 5 minutes, signing in only when nothing else works. */
  CompletableFuture<AccessToken> accessToken(ProviderConfig provider, SignInObserver observer);

  /** Signs in even when a valid session exists ({@code atmos auth login --force}); still one flow per portal. */
  CompletableFuture<AccessToken> signInAgain(ProviderConfig provider, SignInObserver observer);

  /**
   * A client's config names this portal: know it from now on, and load its session from disk once (no network call),
   * arming its refresh timer. So a daemon that restarted shows and renews saved sessions as soon as any client talks
   * to it, not only once that portal's token is asked for.
   */
  default void recognise(ProviderConfig provider) {}

  /** The current token with no network call and no sign-in. */
  Optional<AccessToken> currentToken(String sessionKey);

  /**
   * The portal rejected {@code rejected} (UnauthorizedException): forget it so the next {@link #accessToken} refreshes.
   * A token newer than {@code rejected} is kept.
   */
  void invalidate(AccessToken rejected);

  /** Evicts the session, deletes its cache file and calls the portal's Logout (best effort). */
  LogoutResult logout(ProviderConfig provider);

  /**
   * What {@link #logout} would remove now, removing nothing ({@code atmos auth logout --dry-run}): no file is touched,
   * no portal called, no listener told. Its warnings are empty: only a real logout learns whether the portal's
   * Logout fails.
   */
  LogoutResult wouldLogOut(ProviderConfig provider);

  /** What {@code atmos auth status} shows, one entry per known portal session. */
  List<SessionSnapshot> snapshot();

  /**
   * What {@code atmos auth status} shows: live sessions, the portals of the asking client's config, and failures of
   * the last hour ({@link #FAILURES_SHOWN_FOR}). A portal a config named long ago, never signed in to, is not shown,
   * nor is a failure older than that window.
   */
  default List<SessionSnapshot> statusSnapshot(Set<String> configuredSessionKeys) {
    return snapshot();
  }

  java.time.Duration FAILURES_SHOWN_FOR = java.time.Duration.ofHours(1);

  /** Tells {@code listener} about every successful sign-in or refresh (provisioning runs after sign-ins). */
  void addListener(SessionListener listener);

  interface SessionListener {
    /** A new sign-in completed (device flow), as opposed to a silent refresh. */
    default void onSignedIn(ProviderConfig provider, AccessToken token) {}

    default void onRefreshed(ProviderConfig provider, AccessToken token) {}

    /** The portal's session was signed out: whatever was obtained with it must not outlive it. */
    default void onSignedOut(String sessionKey) {}
  }

  record LogoutResult(String sessionKey, boolean sessionRemoved, boolean fileRemoved, List<String> warnings) {}
}
