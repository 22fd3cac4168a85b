package dev.atmosd.it;

import static dev.atmosd.it.AtmosSandbox.DEV_ADMIN;
import static dev.atmosd.it.AtmosSandbox.DEV_READONLY;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A session outlives the daemon, renews itself by refresh token, and goes away on logout. The tests share one user
 * (each starts by making sure it is signed in, and measures sign-ins relative to its own start); the refresh-timer
 * test has its own, with short-lived access tokens.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SessionLifecycleTest {

  AtmosSandbox sandbox;

  @BeforeAll
  void createUser() {
    sandbox = AtmosSandbox.create();
  }

  @AfterAll
  void close() {
    AtmosSandbox.closeIfCreated(sandbox);
  }

  /** Sign-in counters that must not move when no new sign-in is allowed. */
  record SignIns(long registrations, long deviceAuthorizations, int browsers) {
    static SignIns of(AtmosSandbox sandbox) {
      return new SignIns(sandbox.emulator().calls("RegisterClient"),
          sandbox.emulator().calls("StartDeviceAuthorization"), sandbox.browserInvocations().size());
    }
  }

  static long daemonPid(AtmosSandbox sandbox) {
    long pid = Json.at(sandbox.status(), "daemon", "pid").asLong();
    assertThat(pid).as("daemon.pid in auth status --format json").isPositive();
    return pid;
  }

  @Test
  void daemonRestartReusesTheDiskCacheWithoutSignIn() {
    sandbox.runOk("auth", "login");
    sandbox.ok(sandbox.run("auth", "credential-process", "--identity", DEV_ADMIN));
    SignIns before = SignIns.of(sandbox);
    long firstPid = daemonPid(sandbox);

    sandbox.runOk("daemon", "stop");
    Await.until(Duration.ofSeconds(20), "the first daemon (pid " + firstPid + ") exits",
        () -> ProcessHandle.of(firstPid).map(h -> !h.isAlive()).orElse(true));
    sandbox.runOk("daemon", "start");
    long secondPid = daemonPid(sandbox);
    assertThat(secondPid).isNotEqualTo(firstPid);

    // An identity the first daemon never minted: the new daemon needs the portal token, from disk.
    CliResult creds = sandbox.ok(sandbox.run("auth", "credential-process", "--identity", DEV_READONLY));
    assertThat(creds.json().path("AccessKeyId").asText()).isNotEmpty();
    assertThat(SignIns.of(sandbox)).as("no new sign-in after restart").isEqualTo(before);
  }

  @Test
  void anAccessTokenRejectedByThePortalIsRenewedByRefreshToken() {
    sandbox.runOk("auth", "login");
    SignIns before = SignIns.of(sandbox);
    long createTokens = sandbox.emulator().calls("CreateToken");
    String tokenBefore = cachedField(sandbox, "accessToken");

    sandbox.emulator().expireAccessTokens();
    CliResult creds = sandbox.ok(sandbox.run("auth", "credential-process", "--identity", DEV_ADMIN));

    assertThat(creds.json().path("SecretAccessKey").asText()).isNotEmpty();
    assertThat(SignIns.of(sandbox)).as("renewed without a sign-in").isEqualTo(before);
    assertThat(sandbox.emulator().calls("CreateToken")).as("CreateToken (refresh_token grant)")
        .isGreaterThan(createTokens);
    Await.until(Duration.ofSeconds(10), "the renewed token is written to the cache file",
        () -> !cachedField(sandbox, "accessToken").equals(tokenBefore));
  }

  @Test
  void anExpiredTokenOnDiskIsRenewedByRefreshTokenAfterRestart() throws Exception {
    sandbox.runOk("auth", "login");
    SignIns before = SignIns.of(sandbox);
    sandbox.runOk("daemon", "stop");
    Await.until(Duration.ofSeconds(20), "the daemon is gone", () -> sandbox.ourProcesses().isEmpty());

    // The laptop slept through the token's life: expired on the portal and on disk.
    sandbox.emulator().expireAccessTokens();
    ObjectNode cached = (ObjectNode) CliResult.parse(Files.readString(sandbox.sessionFile()));
    String oldToken = cached.path("accessToken").asText();
    cached.put("expiresAt", Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS).toString());
    Files.writeString(sandbox.sessionFile(), cached.toPrettyString());

    CliResult creds = sandbox.ok(sandbox.run("auth", "credential-process", "--identity", DEV_ADMIN));

    assertThat(creds.json().path("AccessKeyId").asText()).isNotEmpty();
    assertThat(SignIns.of(sandbox)).as("renewed without a sign-in").isEqualTo(before);
    JsonNode after = CliResult.parse(Files.readString(sandbox.sessionFile()));
    assertThat(after.path("accessToken").asText()).isNotEqualTo(oldToken);
    assertThat(Instant.parse(after.path("expiresAt").asText())).isAfter(Instant.now());
    assertThat(after.path("refreshToken").asText()).isNotEmpty();
  }

  @Test
  void theRefreshTimerRenewsTheTokenWithNoClientAsking() {
    try (AtmosSandbox own = AtmosSandbox.create(b -> b.accessTokenLifetime(Duration.ofSeconds(10)))) {
      own.runOk("auth", "login");
      long createTokens = own.emulator().calls("CreateToken");
      String token = cachedField(own, "accessToken");

      // Nobody asks for anything: only the daemon's timer can call CreateToken now.
      Await.until(Duration.ofSeconds(40), () -> "CreateToken calls grow past " + createTokens + " (now "
          + own.emulator().calls("CreateToken") + ")", () -> own.emulator().calls("CreateToken") >= createTokens + 2);
      Await.until(Duration.ofSeconds(10), "the cache file holds a renewed token",
          () -> !cachedField(own, "accessToken").equals(token));

      JsonNode status = own.status();
      List<JsonNode> sessions = Json.elements(Json.at(status, "sessions"));
      assertThat(sessions).as("sessions in %s", status).hasSize(1);
      assertThat(Json.at(sessions.get(0), "refresh_count").asInt()).as("refresh_count in %s", status)
          .isGreaterThanOrEqualTo(1);
      assertThat(Json.at(sessions.get(0), "has_refresh_token").asBoolean()).isTrue();
      assertThat(own.emulator().calls("StartDeviceAuthorization")).isEqualTo(1);
      assertThat(own.browserInvocations()).hasSize(1);
    }
  }

  @Test
  void logoutRemovesTheCacheFile() {
    sandbox.runOk("auth", "login");
    assertThat(sandbox.sessionFile()).exists();

    sandbox.runOk("auth", "logout", "--provider", AtmosSandbox.PROVIDER);

    assertThat(sandbox.sessionFile()).doesNotExist();
    JsonNode status = sandbox.status();
    for (JsonNode session : Json.elements(Json.at(status, "sessions"))) {
      assertThat(Json.at(session, "state").asText()).as("%s", status).isNotIn("active", "SESSION_STATE_ACTIVE", "ACTIVE");
    }
  }

  /** As {@code aws sso logout}: signing out also drops the role credentials obtained with that session. */
  @Test
  void afterLogoutCredentialsNeedANewSignIn() {
    sandbox.runOk("auth", "login");
    sandbox.ok(sandbox.run("auth", "credential-process", "--identity", DEV_ADMIN));
    sandbox.runOk("auth", "logout", "--provider", AtmosSandbox.PROVIDER);

    long deviceAuthorizations = sandbox.emulator().calls("StartDeviceAuthorization");
    CliResult after = sandbox.ok(sandbox.run(Map.of(), "auth", "credential-process", "--identity", DEV_ADMIN));
    assertThat(sandbox.emulator().calls("StartDeviceAuthorization"))
        .as("a new device authorization after logout (emulator counters %s)\n%s\n--- daemon log ---\n%s",
            sandbox.emulator().counters(), after, sandbox.daemonLogTail(30))
        .isEqualTo(deviceAuthorizations + 1);
  }

  static String cachedField(AtmosSandbox sandbox, String field) {
    return AtmosSandbox.read(sandbox.sessionFile()).map(CliResult::parse).map(n -> n.path(field).asText()).orElse("");
  }
}
