package dev.atmosd.daemon.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.atmosd.daemon.config.ProviderConfig;
import dev.atmosd.emulator.SsoEmulator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cache file carries a session across daemon restarts, in the AWS SDKs' format, and a bad one is only a miss. */
class DiskCacheTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;
  private EngineFixture fixture;

  @BeforeEach
  void start() {
    start(true);
  }

  private void start(boolean autoApprove) {
    if (fixture != null) {
      try {
        fixture.close();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
    SsoEmulator emulator = SsoEmulator.builder().autoApprove(autoApprove).build();
    emulator.start();
    fixture = new EngineFixture(emulator, dir);
  }

  @AfterEach
  void close() throws Exception {
    fixture.close();
  }

  @Test
  void aSignInIsWrittenOwnerOnlyInTheSdkLayoutWithZuluTimestamps() throws Exception {
    ProviderConfig provider = fixture.provider("company-sso");
    AccessToken token = fixture.registry().accessToken(provider, SignInObserver.NOBODY).get(30, TimeUnit.SECONDS);

    Path file = fixture.sessionFile();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");
    JsonNode json = JSON.readTree(file.toFile());
    List<String> fields = new ArrayList<>();
    json.fieldNames().forEachRemaining(fields::add);
    assertThat(fields).containsExactly("startUrl", "region", "accessToken", "expiresAt", "clientId", "clientSecret",
        "registrationExpiresAt", "refreshToken");
    assertThat(json.get("startUrl").asText()).isEqualTo(EngineFixture.START_URL);
    assertThat(json.get("region").asText()).isEqualTo(EngineFixture.REGION);
    assertThat(json.get("accessToken").asText()).isEqualTo(token.value());
    assertThat(json.get("expiresAt").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
    assertThat(json.get("registrationExpiresAt").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
    assertThat(Instant.parse(json.get("expiresAt").asText())).isEqualTo(token.expiresAt());
    assertThat(json.get("refreshToken").asText()).isNotBlank();
    try (var listing = Files.list(file.getParent())) {
      assertThat(listing.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tmp"))).isEmpty();
    }
  }

  @Test
  void aRestartedDaemonUsesTheCachedTokenWithoutAnyOidcCall() throws Exception {
    ProviderConfig provider = fixture.provider("company-sso");
    SessionRegistry before = fixture.registry();
    AccessToken token = before.accessToken(provider, SignInObserver.NOBODY).get(30, TimeUnit.SECONDS);
    before.close();
    long oidcCalls = oidcCalls();

    SessionRegistry after = fixture.registry();
    AccessToken again = after.accessToken(fixture.provider("renamed-provider"), SignInObserver.NOBODY)
        .get(30, TimeUnit.SECONDS);

    assertThat(again.value()).isEqualTo(token.value());
    assertThat(again.expiresAt()).isEqualTo(token.expiresAt());
    assertThat(oidcCalls()).isEqualTo(oidcCalls);
    assertThat(after.snapshot()).singleElement().satisfies(s -> {
      assertThat(s.state()).isEqualTo(SessionSnapshot.State.ACTIVE);
      assertThat(s.nextRefreshAt()).as("loading a session arms its refresh timer").isNotNull()
          .isBefore(token.expiresAt());
    });
  }

  @Test
  void anExpiredAccessTokenIsRenewedByRefreshTokenAndTheRotatedTokenIsPersisted() throws Exception {
    ProviderConfig provider = fixture.provider("company-sso");
    SessionRegistry before = fixture.registry();
    AccessToken token = before.accessToken(provider, SignInObserver.NOBODY).get(30, TimeUnit.SECONDS);
    before.close();
    JsonNode old = JSON.readTree(fixture.sessionFile().toFile());
    long registrations = fixture.calls("RegisterClient");
    long authorizations = fixture.calls("StartDeviceAuthorization");
    long createTokens = fixture.calls("CreateToken");

    // Two hours later the cached access token has expired; the refresh token (90 days) has not.
    Clock later = Clock.offset(Clock.systemUTC(), Duration.ofHours(2));
    SessionRegistry after = fixture.registry(later);
    RecordingSignInObserver observer = new RecordingSignInObserver(true);
    AccessToken renewed = after.accessToken(provider, observer).get(30, TimeUnit.SECONDS);

    assertThat(renewed.value()).isNotEqualTo(token.value());
    assertThat(renewed.expiresAt()).isAfter(later.instant().plus(Duration.ofMinutes(50)));
    assertThat(observer.prompts).as("no device flow").isEmpty();
    assertThat(fixture.calls("RegisterClient")).isEqualTo(registrations);
    assertThat(fixture.calls("StartDeviceAuthorization")).isEqualTo(authorizations);
    assertThat(fixture.calls("CreateToken")).isEqualTo(createTokens + 1);
    JsonNode now = JSON.readTree(fixture.sessionFile().toFile());
    assertThat(now.get("accessToken").asText()).isEqualTo(renewed.value());
    assertThat(now.get("refreshToken").asText()).as("the rotated refresh token is kept")
        .isNotEqualTo(old.get("refreshToken").asText());
    assertThat(now.get("clientId").asText()).isEqualTo(old.get("clientId").asText());
    assertThat(after.snapshot().get(0).refreshCount()).isEqualTo(1);
  }

  @Test
  void aForcedSignInAfterRestartReusesTheRegistrationKeptInTheFile() throws Exception {
    ProviderConfig provider = fixture.provider("company-sso");
    SessionRegistry before = fixture.registry();
    AccessToken first = before.accessToken(provider, SignInObserver.NOBODY).get(30, TimeUnit.SECONDS);
    before.close();

    SessionRegistry after = fixture.registry();
    RecordingSignInObserver observer = new RecordingSignInObserver(true);
    AccessToken second = after.signInAgain(provider, observer).get(30, TimeUnit.SECONDS);

    assertThat(second.value()).isNotEqualTo(first.value());
    assertThat(observer.toldToOpenBrowser()).isTrue();
    assertThat(fixture.calls("StartDeviceAuthorization")).isEqualTo(2);
    assertThat(fixture.calls("RegisterClient")).isEqualTo(1);
  }

  @Test
  void aRefusedRefreshTokenMeansNeedsSignInAndTheFileIsKept() throws Exception {
    ProviderConfig provider = fixture.provider("company-sso");
    SessionRegistry before = fixture.registry();
    before.accessToken(provider, SignInObserver.NOBODY).get(30, TimeUnit.SECONDS);
    before.close();
    fixture.emulator.revokeRefreshTokens();
    byte[] file = Files.readAllBytes(fixture.sessionFile());

    // The restarted daemon loads the expired session at start; its timer tries to renew it with nobody asking.
    SessionRegistry after = fixture.registry(Clock.offset(Clock.systemUTC(), Duration.ofHours(2)));
    assertThat(after.loadFromDisk(provider)).isEmpty();
    await().atMost(Duration.ofSeconds(30))
        .until(() -> after.snapshot().get(0).state() == SessionSnapshot.State.NEEDS_SIGN_IN);

    SessionSnapshot snapshot = after.snapshot().get(0);
    assertThat(snapshot.lastError()).contains("refresh token was refused").doesNotContain("\n");
    assertThat(snapshot.nextRefreshAt()).isNull();
    assertThat(snapshot.hasRefreshToken()).isFalse();
    assertThat(Files.readAllBytes(fixture.sessionFile())).isEqualTo(file);
    assertThat(fixture.calls("StartDeviceAuthorization")).as("nobody asked, so no device flow").isEqualTo(1);

    // A caller who does ask gets a fresh sign-in, which replaces the file.
    AccessToken signedIn = after.accessToken(provider, new RecordingSignInObserver(true)).get(30, TimeUnit.SECONDS);
    assertThat(JSON.readTree(fixture.sessionFile().toFile()).get("accessToken").asText()).isEqualTo(signedIn.value());
    assertThat(after.snapshot().get(0).state()).isEqualTo(SessionSnapshot.State.ACTIVE);
  }

  @Test
  void corruptTruncatedOrForeignFilesAreMissesAndAreLeftAlone() throws Exception {
    String valid = """
        {"startUrl":"%s","region":"%s","accessToken":"cached-token","expiresAt":"%s",
         "clientId":"c","clientSecret":"s","registrationExpiresAt":"%s","refreshToken":"r"}"""
        .formatted(EngineFixture.START_URL, EngineFixture.REGION,
            TokenCacheFile.formatTime(Instant.now().plus(Duration.ofHours(1))),
            TokenCacheFile.formatTime(Instant.now().plus(Duration.ofDays(30))));
    List<String> bad = List.of(
        "{\"startUrl\": \"" + EngineFixture.START_URL + "\", \"accessTo",
        "not json at all",
        "[]",
        valid.replace(EngineFixture.START_URL, "https://d-9999999999.awsapps.com/start"),
        valid.replace("\"" + EngineFixture.REGION + "\"", "\"eu-west-1\""),
        valid.replace("\"cached-token\"", "42"));
    start(false);
    Files.createDirectories(fixture.sessionFile().getParent());
    ProviderConfig provider = fixture.provider("company-sso");
    for (String content : bad) {
      Files.writeString(fixture.sessionFile(), content, StandardCharsets.UTF_8);
      SessionRegistry registry = fixture.registry();
      assertThat(registry.loadFromDisk(provider)).as(content).isEmpty();
      assertThat(registry.snapshot().get(0).state()).isEqualTo(SessionSnapshot.State.NOT_SIGNED_IN);
      assertThat(Files.readString(fixture.sessionFile())).as(content).isEqualTo(content);
      registry.close();
    }
    assertThat(oidcCalls()).isZero();

    // Through the pipeline a bad file is a miss too: a device flow starts, and the file stays until it succeeds.
    String truncated = bad.get(0);
    Files.writeString(fixture.sessionFile(), truncated, StandardCharsets.UTF_8);
    SessionRegistry registry = fixture.registry();
    RecordingSignInObserver observer = new RecordingSignInObserver(true);
    var token = registry.accessToken(provider, observer);
    await().atMost(Duration.ofSeconds(30)).until(() -> !observer.prompts.isEmpty());
    assertThat(Files.readString(fixture.sessionFile())).isEqualTo(truncated);
    fixture.emulator.approve(observer.prompts.get(0).userCode());
    AccessToken signedIn = token.get(30, TimeUnit.SECONDS);
    assertThat(JSON.readTree(fixture.sessionFile().toFile()).get("accessToken").asText()).isEqualTo(signedIn.value());
  }

  private long oidcCalls() {
    return fixture.calls("RegisterClient") + fixture.calls("StartDeviceAuthorization") + fixture.calls("CreateToken");
  }
}
