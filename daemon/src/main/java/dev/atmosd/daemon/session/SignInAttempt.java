package dev.atmosd.daemon.session;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;

/**
 * The one attempt in flight for a portal — disk cache, refresh token, then device authorization — that every caller
 * joins (the single flight). Each caller is a {@link Waiter} with its own future, so one caller can give up (cancel
 * its future) without touching the others; the attempt's result goes to every waiter still there. All fields are
 * guarded by the owning {@link PortalSession}'s monitor.
 */
final class SignInAttempt {
  enum Stage { RENEWING, SIGNING_IN, DONE }

  /** One caller waiting on the attempt. */
  record Waiter(String providerName, SignInObserver observer, CompletableFuture<AccessToken> future) {}

  /** Skips the disk cache and refresh token ({@code atmos auth login --force}). */
  final boolean forced;
  /** Started by a refresh timer: must find a token newer than {@link #replacing}, and never opens a device flow alone. */
  final boolean background;
  /** For background attempts, the expiry of the token being replaced; null otherwise. */
  final Instant replacing;

  /** Completes when the attempt has ended, however it ended (a forced sign-in queued behind it starts then). */
  final CompletableFuture<Void> done = new CompletableFuture<>();
  final List<Waiter> waiters = new ArrayList<>();
  Stage stage = Stage.RENEWING;
  DeviceAuthorizationFlow flow;
  DeviceAuthorizationFlow.Started started;
  boolean browserAssigned;
  /** The refresh-token exchange failed for a reason that may pass (network, throttling): retry with backoff. */
  boolean renewalFailed;
  /** A background attempt found the session cannot be renewed; the reason was already recorded. */
  boolean endedNeedingSignIn;
  /** Set while the device flow has no client waiting: when it fires, the flow is abandoned. */
  ScheduledFuture<?> abandonTimer;
  /** Bumped whenever the abandon timer is set or stopped, so a timer that fires late knows it was superseded. */
  long abandonGeneration;

  SignInAttempt(boolean forced, boolean background, Instant replacing) {
    this.forced = forced;
    this.background = background;
    this.replacing = replacing;
  }

  /** Whether a client still waits (background waiters do not count: they cannot show anyone the code). */
  boolean clientWaiting() {
    return waiters.stream().anyMatch(waiter -> waiter.observer().keepsSignInAlive());
  }

  /**
   * The prompt {@code waiter} is shown. Exactly one waiter per flow is told to open the browser: the first, in join
   * order, whose client may open one; a waiter joining later gets it only when nobody before could.
   */
  DeviceAuthorizationPrompt promptFor(Waiter waiter, String sessionKey) {
    boolean open = false;
    if (!browserAssigned && waiter.observer().mayOpenBrowser()) {
      browserAssigned = true;
      open = true;
    }
    return new DeviceAuthorizationPrompt(waiter.providerName(), sessionKey, started.userCode(),
        started.verificationUri(), started.verificationUriComplete(), started.expiresAt(), open, waiters.size());
  }
}
