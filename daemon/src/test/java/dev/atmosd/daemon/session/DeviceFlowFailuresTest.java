package dev.atmosd.daemon.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.atmosd.daemon.config.ProviderConfig;
import dev.atmosd.daemon.rpc.UserFacingException;
import dev.atmosd.emulator.SsoEmulator;
import io.grpc.Status;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How a device flow ends when it does not end well: one actionable line, the right status, nothing destroyed. */
class DeviceFlowFailuresTest {
  @TempDir Path dir;
  private EngineFixture fixture;
  private SessionRegistry registry;
  private ProviderConfig provider;

  @BeforeEach
  void start() {
    SsoEmulator emulator = SsoEmulator.builder().autoApprove(false).build();
    emulator.start();
    fixture = new EngineFixture(emulator, dir);
    registry = fixture.registry();
    provider = fixture.provider("company-sso");
  }

  @AfterEach
  void close() throws Exception {
    fixture.close();
  }

  @Test
  void aDenialInTheBrowserIsPermissionDeniedAndKeepsTheExistingSession() throws Exception {
    AccessToken existing = signIn();
    byte[] file = Files.readAllBytes(fixture.sessionFile());

    RecordingSignInObserver observer = new RecordingSignInObserver(true);
    CompletableFuture<AccessToken> again = registry.signInAgain(provider, observer);
    await().until(() -> !observer.prompts.isEmpty());
    fixture.emulator.deny(observer.prompts.get(0).userCode());

    UserFacingException failure = failureOf(again);
    assertThat(failure.status().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(failure.getMessage()).isEqualTo("sign-in to " + EngineFixture.START_URL
        + " was denied in the browser; run `atmos auth login` to try again");
    assertThat(Files.readAllBytes(fixture.sessionFile())).isEqualTo(file);
    assertThat(registry.currentToken(provider.sessionKey())).contains(existing);
    assertThat(registry.snapshot().get(0).state()).isEqualTo(SessionSnapshot.State.ACTIVE);
  }

  @Test
  void anExpiredCodeIsDeadlineExceeded() throws Exception {
    RecordingSignInObserver observer = new RecordingSignInObserver(true);
    CompletableFuture<AccessToken> token = registry.accessToken(provider, observer);
    await().until(() -> !observer.prompts.isEmpty());
    fixture.emulator.expire(observer.prompts.get(0).userCode());

    UserFacingException failure = failureOf(token);
    assertThat(failure.status().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    assertThat(failure.getMessage()).startsWith("the sign-in code expired before it was approved; ")
        .doesNotContain("\n");
    assertThat(fixture.sessionFile()).doesNotExist();
    assertThat(registry.snapshot().get(0).state()).isEqualTo(SessionSnapshot.State.NOT_SIGNED_IN);
    assertThat(registry.snapshot().get(0).lastError()).startsWith("the sign-in code expired");
  }

  @Test
  void thePollEndsWhenTheCodeOutlivesItsExpiresInOnTheDaemonsClock() throws Exception {
    OffsetClock clock = new OffsetClock();
    SessionRegistry timed = fixture.registry(clock);
    RecordingSignInObserver observer = new RecordingSignInObserver(true);
    CompletableFuture<AccessToken> token = timed.accessToken(provider, observer);
    await().until(() -> !observer.prompts.isEmpty());
    clock.advance(Duration.ofMinutes(11)); // the emulator's codes last 10 minutes; its own clock has not moved

    UserFacingException failure = failureOf(token);
    assertThat(failure.status().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    assertThat(timed.pollInterval(provider.sessionKey())).isEmpty();
    assertThat(fixture.emulator.pendingUserCodes()).as("the emulator never said so").hasSize(1);
  }

  @Test
  void slowDownAddsFiveSecondsToTheInterval() throws Exception {
    RecordingSignInObserver observer = new RecordingSignInObserver(true);
    fixture.emulator.faults().failNext("CreateToken", 400, "SlowDownException", 1);
    CompletableFuture<AccessToken> token = registry.accessToken(provider, observer);
    await().until(() -> !observer.prompts.isEmpty());
    Duration initial = Duration.ofSeconds(1); // the emulator's default poll interval
    await().atMost(Duration.ofSeconds(30)).until(() -> fixture.calls("CreateToken") >= 1);
    await().atMost(Duration.ofSeconds(5)).until(() ->
        registry.pollInterval(provider.sessionKey()).orElse(Duration.ZERO).equals(initial.plusSeconds(5)));

    fixture.emulator.approve(observer.prompts.get(0).userCode());
    assertThat(token.get(30, TimeUnit.SECONDS).value()).isNotBlank();
  }

  @Test
  void anUnreachableEndpointIsUnavailableInOneLine() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    URI nowhere = URI.create("http://127.0.0.1:" + port);
    ProviderConfig down = EngineFixture.provider("company-sso", nowhere);

    UserFacingException failure = failureOf(registry.accessToken(down, new RecordingSignInObserver(true)));
    assertThat(failure.status().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(failure.getMessage()).startsWith("cannot reach IAM Identity Center at " + nowhere + ": ")
        .endsWith("; check the network or spec.endpoint_url").doesNotContain("\n");
  }

  @Test
  void throttlingIsResourceExhausted() throws Exception {
    fixture.emulator.faults().failNext("RegisterClient", 429, "TooManyRequestsException", 1);
    UserFacingException failure = failureOf(registry.accessToken(provider, new RecordingSignInObserver(true)));
    assertThat(failure.status().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(failure.getMessage()).contains(EngineFixture.START_URL).doesNotContain("\n");
  }

  @Test
  void invalidateForgetsOnlyTheRefusedTokenAndTheNextAskRenewsIt() throws Exception {
    AccessToken token = signIn();
    long createTokens = fixture.calls("CreateToken");
    registry.invalidate(new AccessToken(token.sessionKey(), "some-other-token", token.expiresAt()));
    assertThat(registry.currentToken(provider.sessionKey())).contains(token);

    registry.invalidate(token);
    assertThat(registry.currentToken(provider.sessionKey())).isEmpty();
    AccessToken renewed = registry.accessToken(provider, new RecordingSignInObserver(true)).get(30, TimeUnit.SECONDS);
    assertThat(renewed.value()).isNotEqualTo(token.value());
    assertThat(fixture.calls("CreateToken")).as("renewed by refresh token").isEqualTo(createTokens + 1);
    assertThat(fixture.calls("StartDeviceAuthorization")).isEqualTo(1);
  }

  @Test
  void logoutEvictsDeletesTheFileAndEndsThePortalSession() throws Exception {
    signIn();
    PortalSessions.LogoutResult result = registry.logout(provider);
    assertThat(result.sessionRemoved()).isTrue();
    assertThat(result.fileRemoved()).isTrue();
    assertThat(result.warnings()).isEmpty();
    assertThat(fixture.sessionFile()).doesNotExist();
    assertThat(fixture.calls("Logout")).isEqualTo(1);
    assertThat(registry.snapshot()).isEmpty();
    assertThat(registry.currentToken(provider.sessionKey())).isEmpty();
  }

  @Test
  void logoutWarnsInOneLineWhenThePortalCannotBeReached() throws Exception {
    signIn();
    fixture.emulator.faults().failNext("Logout", 500, "InternalServerException", 1);
    PortalSessions.LogoutResult result = registry.logout(provider);
    assertThat(result.fileRemoved()).isTrue();
    assertThat(result.warnings()).singleElement().asString()
        .contains(EngineFixture.START_URL).doesNotContain("\n");
  }

  private AccessToken signIn() throws Exception {
    RecordingSignInObserver observer = new RecordingSignInObserver(true);
    CompletableFuture<AccessToken> token = registry.accessToken(provider, observer);
    await().until(() -> !observer.prompts.isEmpty());
    fixture.emulator.approve(observer.prompts.get(0).userCode());
    return token.get(30, TimeUnit.SECONDS);
  }

  private static UserFacingException failureOf(CompletableFuture<AccessToken> token) throws Exception {
    try {
      token.get(60, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(UserFacingException.class);
      return (UserFacingException) e.getCause();
    }
    throw new AssertionError("the sign-in did not fail");
  }
}
