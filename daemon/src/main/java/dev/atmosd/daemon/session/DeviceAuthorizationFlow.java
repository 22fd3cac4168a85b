package dev.atmosd.daemon.session;

import dev.atmosd.daemon.config.ProviderConfig;
import dev.atmosd.daemon.rpc.StatusErrors;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.services.ssooidc.SsoOidcClient;
import software.amazon.awssdk.services.ssooidc.model.AccessDeniedException;
import software.amazon.awssdk.services.ssooidc.model.AuthorizationPendingException;
import software.amazon.awssdk.services.ssooidc.model.CreateTokenRequest;
import software.amazon.awssdk.services.ssooidc.model.CreateTokenResponse;
import software.amazon.awssdk.services.ssooidc.model.ExpiredTokenException;
import software.amazon.awssdk.services.ssooidc.model.InvalidClientException;
import software.amazon.awssdk.services.ssooidc.model.RegisterClientRequest;
import software.amazon.awssdk.services.ssooidc.model.RegisterClientResponse;
import software.amazon.awssdk.services.ssooidc.model.SlowDownException;
import software.amazon.awssdk.services.ssooidc.model.StartDeviceAuthorizationRequest;
import software.amazon.awssdk.services.ssooidc.model.StartDeviceAuthorizationResponse;

/**
 * One RFC 8628 device authorization: RegisterClient (unless a registration can be reused), StartDeviceAuthorization,
 * then CreateToken polls at the server's interval until the user approves or denies in the browser, the code
 * expires, or the flow is cancelled. No thread waits: each poll is a task on the scheduler whose blocking SDK call
 * runs on the AWS-call executor. The SDK client must not retry: this loop decides what each error means.
 */
final class DeviceAuthorizationFlow {
  static final String DEVICE_CODE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";
  static final String CLIENT_NAME = "atmosd";
  static final List<String> SCOPES = List.of("sso:account:access");
  /** RFC 8628 §3.5: each slow_down adds 5 seconds to the polling interval for the rest of the flow. */
  static final Duration SLOW_DOWN_STEP = Duration.ofSeconds(5);
  /** RFC 8628 §3.2: the interval when the server names none. */
  static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);
  /** A registration this close to its end is not reused: it could expire while the user is still approving. */
  static final Duration REGISTRATION_MARGIN = Duration.ofMinutes(15);
  /** Never poll in a tight loop, whatever interval a server names. */
  private static final Duration MIN_INTERVAL = Duration.ofMillis(200);
  /** A network blip while the user is in the browser should not lose the sign-in; a dead endpoint should. */
  private static final int MAX_TRANSIENT_POLL_FAILURES = 3;

  /** What waiters are shown once the flow has a code. */
  record Started(String userCode, String verificationUri, String verificationUriComplete, Instant expiresAt) {}

  /** The approved sign-in. {@link #toString()} never shows the tokens. */
  record Approved(String accessToken, Instant expiresAt, String refreshToken, ClientRegistration registration,
      Instant issuedAt) {
    @Override
    public String toString() {
      return "Approved[expiresAt=" + expiresAt + ", hasRefreshToken=" + (refreshToken != null) + "]";
    }
  }

  /** Told about the flow's progress from the engine's threads. */
  interface Progress {
    /** A registration was made (kept for reuse even if this flow fails). */
    void registered(ClientRegistration registration);

    void started(Started started);
  }

  private final SsoOidcClient oidc;
  private final ProviderConfig provider;
  private final ClientRegistration reusable;
  private final Clock clock;
  private final ScheduledExecutorService scheduler;
  private final Executor awsCalls;
  private final Progress progress;
  private final CompletableFuture<Approved> result = new CompletableFuture<>();

  // guarded by this
  private boolean cancelled;
  private ScheduledFuture<?> nextPoll;
  private Duration interval = DEFAULT_INTERVAL;
  private Instant deadline;
  private int transientFailures;

  DeviceAuthorizationFlow(SsoOidcClient oidc, ProviderConfig provider, ClientRegistration reusable, Clock clock,
      ScheduledExecutorService scheduler, Executor awsCalls, Progress progress) {
    this.oidc = oidc;
    this.provider = provider;
    this.reusable = reusable;
    this.clock = clock;
    this.scheduler = scheduler;
    this.awsCalls = awsCalls;
    this.progress = progress;
  }

  CompletableFuture<Approved> start() {
    CompletableFuture.supplyAsync(this::registerAndStart, awsCalls).whenComplete((started, failure) -> {
      if (failure != null) {
        fail(failure);
        return;
      }
      try {
        progress.started(started.shown());
        schedulePoll(started);
      } catch (RuntimeException e) {
        fail(e);
      }
    });
    return result;
  }

  /** Stops polling at once; the result fails with a CancellationException. */
  void cancel() {
    ScheduledFuture<?> poll;
    synchronized (this) {
      cancelled = true;
      poll = nextPoll;
      nextPoll = null;
    }
    if (poll != null) {
      poll.cancel(false);
    }
    result.completeExceptionally(new CancellationException("sign-in cancelled: no client is waiting any more"));
  }

  /** The current polling interval (grows with each slow_down). */
  synchronized Duration interval() {
    return interval;
  }

  private record Authorization(ClientRegistration registration, StartDeviceAuthorizationResponse response,
      Started shown) {}

  private Authorization registerAndStart() {
    ClientRegistration registration = reusable;
    if (registration == null || !registration.usableAt(clock.instant(), REGISTRATION_MARGIN)) {
      registration = register();
    }
    StartDeviceAuthorizationResponse response;
    try {
      response = startAuthorization(registration);
    } catch (InvalidClientException staleRegistration) {
      if (registration != reusable) {
        throw staleRegistration;
      }
      // The service forgot the reused client (revoked, or expired early): register once more and carry on.
      registration = register();
      response = startAuthorization(registration);
    }
    Instant now = clock.instant();
    synchronized (this) {
      Integer seconds = response.interval();
      interval = seconds == null ? DEFAULT_INTERVAL : Duration.ofSeconds(seconds);
      deadline = now.plusSeconds(response.expiresIn() == null ? 600 : response.expiresIn());
    }
    return new Authorization(registration, response, new Started(response.userCode(), response.verificationUri(),
        response.verificationUriComplete(), deadline));
  }

  private ClientRegistration register() {
    RegisterClientResponse response = oidc.registerClient(RegisterClientRequest.builder()
        .clientName(CLIENT_NAME)
        .clientType("public")
        .scopes(SCOPES)
        .grantTypes(DEVICE_CODE_GRANT, RefreshTokenExchange.GRANT_TYPE)
        .build());
    Long expires = response.clientSecretExpiresAt();
    ClientRegistration registration = new ClientRegistration(response.clientId(), response.clientSecret(),
        expires == null || expires == 0 ? null : Instant.ofEpochSecond(expires));
    progress.registered(registration);
    return registration;
  }

  private StartDeviceAuthorizationResponse startAuthorization(ClientRegistration registration) {
    return oidc.startDeviceAuthorization(StartDeviceAuthorizationRequest.builder()
        .clientId(registration.clientId())
        .clientSecret(registration.clientSecret())
        .startUrl(provider.startUrl())
        .build());
  }

  private void schedulePoll(Authorization authorization) {
    synchronized (this) {
      if (cancelled || result.isDone()) {
        return;
      }
      Duration delay = interval.compareTo(MIN_INTERVAL) < 0 ? MIN_INTERVAL : interval;
      // Wake up no later than the code's expiry, so an unapproved flow ends when expiresIn passes.
      Duration untilDeadline = Duration.between(clock.instant(), deadline);
      if (untilDeadline.compareTo(delay) < 0) {
        delay = untilDeadline.isNegative() ? Duration.ZERO : untilDeadline;
      }
      nextPoll = scheduler.schedule(() -> poll(authorization), delay.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private void poll(Authorization authorization) {
    boolean expired;
    synchronized (this) {
      if (cancelled || result.isDone()) {
        return;
      }
      expired = !clock.instant().isBefore(deadline);
    }
    if (expired) {
      // Completed outside the monitor: completion runs the engine's callbacks, which take the session's monitor.
      result.completeExceptionally(OidcFailures.codeExpired(provider));
      return;
    }
    ClientRegistration registration = authorization.registration();
    CompletableFuture.supplyAsync(() -> oidc.createToken(CreateTokenRequest.builder()
            .clientId(registration.clientId())
            .clientSecret(registration.clientSecret())
            .grantType(DEVICE_CODE_GRANT)
            .deviceCode(authorization.response().deviceCode())
            .build()), awsCalls)
        .whenComplete((response, failure) -> onPollAnswer(authorization, response, failure));
  }

  private void onPollAnswer(Authorization authorization, CreateTokenResponse response, Throwable failure) {
    synchronized (this) {
      if (cancelled || result.isDone()) {
        return;
      }
    }
    if (failure == null) {
      Instant issuedAt = clock.instant();
      result.complete(new Approved(response.accessToken(), RefreshTokenExchange.expiry(issuedAt, response.expiresIn()),
          response.refreshToken(), authorization.registration(), issuedAt));
      return;
    }
    Throwable cause = StatusErrors.unwrap(failure);
    if (cause instanceof AuthorizationPendingException) {
      synchronized (this) {
        transientFailures = 0;
      }
      schedulePoll(authorization);
    } else if (cause instanceof SlowDownException) {
      synchronized (this) {
        interval = interval.plus(SLOW_DOWN_STEP);
      }
      schedulePoll(authorization);
    } else if (cause instanceof ExpiredTokenException) {
      result.completeExceptionally(OidcFailures.codeExpired(provider));
    } else if (cause instanceof AccessDeniedException) {
      result.completeExceptionally(OidcFailures.denied(provider));
    } else if (OidcFailures.isTransient(cause) && nextTransientFailure() < MAX_TRANSIENT_POLL_FAILURES) {
      schedulePoll(authorization);
    } else {
      fail(cause);
    }
  }

  private synchronized int nextTransientFailure() {
    return ++transientFailures;
  }

  private void fail(Throwable failure) {
    result.completeExceptionally(OidcFailures.toUserFacing(provider, failure));
  }
}
