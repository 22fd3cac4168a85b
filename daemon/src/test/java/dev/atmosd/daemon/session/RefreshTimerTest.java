package dev.atmosd.daemon.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.atmosd.daemon.config.ProviderConfig;
import dev.atmosd.emulator.SsoEmulator;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sessions renew themselves before they expire, with no client asking. */
class RefreshTimerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;
  private EngineFixture fixture;

  @AfterEach
  void close() throws Exception {
    fixture.close();
  }

  private EngineFixture fixture(Duration accessTokenLifetime) {
    SsoEmulator emulator = SsoEmulator.builder().autoApprove(true).accessTokenLifetime(accessTokenLifetime).build();
    emulator.start();
    fixture = new EngineFixture(emulator, dir);
    return fixture;
  }

  @Test
  void theTimerRenewsTheTokenBeforeItExpiresAndPersistsEachRotation() throws Exception {
    EngineFixture f = fixture(Duration.ofSeconds(4));
    SessionRegistry registry = f.registry();
    ProviderConfig provider = f.provider("company-sso");
    AccessToken first = registry.accessToken(provider, SignInObserver.NOBODY).get(30, TimeUnit.SECONDS);
    long afterSignIn = f.calls("CreateToken");
    assertThat(registry.snapshot().get(0).nextRefreshAt()).isNotNull().isBefore(first.expiresAt());

    await().atMost(Duration.ofSeconds(30)).until(() -> f.calls("CreateToken") >= afterSignIn + 2);
    await().atMost(Duration.ofSeconds(10)).until(() -> registry.snapshot().get(0).refreshCount() >= 2);

    SessionSnapshot snapshot = registry.snapshot().get(0);
    assertThat(snapshot.state()).isEqualTo(SessionSnapshot.State.ACTIVE);
    assertThat(snapshot.lastError()).isNull();
    assertThat(snapshot.lastRefreshedAt()).isNotNull();
    AccessToken current = registry.currentToken(provider.sessionKey()).orElseThrow();
    assertThat(current.value()).isNotEqualTo(first.value());
    // Every rotation was written: the file holds the refresh token the emulator accepts next.
    await().atMost(Duration.ofSeconds(10)).until(() ->
        JSON.readTree(f.sessionFile().toFile()).get("accessToken").asText()
            .equals(registry.currentToken(provider.sessionKey()).map(AccessToken::value).orElse("")));
    assertThat(f.calls("StartDeviceAuthorization")).isEqualTo(1);
  }

  @Test
  void aCallerArrivingDuringABackgroundRenewalJoinsIt() throws Exception {
    EngineFixture f = fixture(Duration.ofSeconds(4));
    SessionRegistry registry = f.registry();
    ProviderConfig provider = f.provider("company-sso");
    registry.accessToken(provider, SignInObserver.NOBODY).get(30, TimeUnit.SECONDS);
    long afterSignIn = f.calls("CreateToken");
    f.emulator.faults().latency("CreateToken", Duration.ofSeconds(2));

    await().atMost(Duration.ofSeconds(30)).until(() -> f.calls("CreateToken") == afterSignIn + 1);
    RecordingSignInObserver caller = new RecordingSignInObserver(true);
    AccessToken joined = registry.accessToken(provider, caller).get(30, TimeUnit.SECONDS);
    f.emulator.faults().clear();

    assertThat(f.calls("CreateToken")).as("one renewal served the timer and the caller").isEqualTo(afterSignIn + 1);
    assertThat(registry.snapshot().get(0).refreshCount()).isEqualTo(1);
    assertThat(registry.currentToken(provider.sessionKey())).contains(joined);
    assertThat(caller.prompts).isEmpty();
  }

  @Test
  void transientFailuresAreRetriedWithBackoff() throws Exception {
    EngineFixture f = fixture(Duration.ofSeconds(3));
    RefreshSchedule quickRetries = new RefreshSchedule(Duration.ofMinutes(5), Duration.ofMinutes(20), 0.8,
        Duration.ofMillis(200), Duration.ofSeconds(1));
    SessionRegistry registry = f.registry(Clock.systemUTC(), EngineFixture.inspectableScheduler(), quickRetries);
    ProviderConfig provider = f.provider("company-sso");
    registry.accessToken(provider, SignInObserver.NOBODY).get(30, TimeUnit.SECONDS);
    long afterSignIn = f.calls("CreateToken");
    f.emulator.faults().failNext("CreateToken", 500, "InternalServerException", 2);

    await().atMost(Duration.ofSeconds(30)).until(() -> registry.snapshot().get(0).refreshCount() >= 1);
    assertThat(f.calls("CreateToken")).isGreaterThanOrEqualTo(afterSignIn + 3);
    SessionSnapshot snapshot = registry.snapshot().get(0);
    assertThat(snapshot.state()).isEqualTo(SessionSnapshot.State.ACTIVE);
    assertThat(snapshot.lastError()).isNull();
  }

  @Test
  void aSessionLoadedAtStartIsRenewedWithNobodyAsking() throws Exception {
    EngineFixture f = fixture(Duration.ofSeconds(4));
    SessionRegistry before = f.registry();
    ProviderConfig provider = f.provider("company-sso");
    AccessToken first = before.accessToken(provider, SignInObserver.NOBODY).get(30, TimeUnit.SECONDS);
    before.close();
    long createTokens = f.calls("CreateToken");

    SessionRegistry after = f.registry();
    after.loadFromDisk(provider);
    await().atMost(Duration.ofSeconds(30)).until(() -> after.snapshot().get(0).refreshCount() >= 1);
    assertThat(f.calls("CreateToken")).isGreaterThan(createTokens);
    assertThat(after.currentToken(provider.sessionKey())).hasValueSatisfying(
        t -> assertThat(t.value()).isNotEqualTo(first.value()));
  }
}
