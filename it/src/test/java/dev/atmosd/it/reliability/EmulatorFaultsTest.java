package dev.atmosd.it.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atmosd.v1.AuthEvent;
import dev.atmosd.v1.ClientContext;
import dev.atmosd.v1.IdentityRequest;
import dev.atmosd.v1.RoleCredentials;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The portal misbehaves (through the emulator's fault injection) while a real daemon serves real gRPC clients: each
 * scenario ends in success after a retry or in ONE clean error (a known status, one line, no secret), and the cache
 * files on disk parse after every scenario.
 */
class EmulatorFaultsTest {

  /** Signs in once (auto-approved) and returns the secrets the session file holds. */
  static List<String> signIn(Rig rig, Rig.Client client) {
    client.credentials(rig.context(), "dev-admin");
    return secrets(rig);
  }

  static List<String> secrets(Rig rig) {
    List<String> secrets = new ArrayList<>();
    for (JsonNode file : rig.assertFilesIntact().values()) {
      for (String field : List.of("accessToken", "refreshToken", "clientSecret")) {
        secrets.add(file.path(field).asText());
      }
    }
    return secrets;
  }

  /** GetCredentials, calling {@code onCode} with the user code of any device flow the daemon starts. */
  static RoleCredentials credentialsAnswering(Rig.Client client, ClientContext context, String identity,
      Consumer<String> onCode, List<AuthEvent> seen) {
    Iterator<AuthEvent> events = client.identities().getCredentials(
        IdentityRequest.newBuilder().setContext(context).setIdentity(identity).build());
    RoleCredentials credentials = null;
    while (events.hasNext()) {
      AuthEvent event = events.next();
      seen.add(event);
      if (event.hasDeviceAuthorization()) {
        onCode.accept(event.getDeviceAuthorization().getUserCode());
      }
      if (event.hasCredentials()) {
        credentials = event.getCredentials();
      }
    }
    return credentials;
  }

  @Test
  void fiveHundredAndFiveOhThreeBurstsOnEveryPortalCall() {
    try (Rig rig = Rig.create(); Rig.Client client = startAndConnect(rig)) {
      List<String> secrets = signIn(rig, client);
      for (int status : new int[] {500, 503}) {
        rig.emu.faults().failNext("GetRoleCredentials", status, "InternalServerException", 3);
        rig.emu.faults().failNext("CreateToken", status, "InternalServerException", 3);
        rig.emu.expireAccessTokens();
        String identity = status == 500 ? "dev-readonly" : "prod-admin";
        Outcomes<RoleCredentials> outcome = Outcomes.of(() -> client.credentials(rig.context(), identity))
            .successOrOneCleanError(secrets);
        System.out.println("[faults] " + status + " x3 on GetRoleCredentials+CreateToken: " + outcome);
        rig.assertFilesIntact();
        rig.emu.faults().clear();
        assertThat(client.credentials(rig.context(), identity).getAccessKeyId()).as("works once the portal recovers")
            .isNotEmpty();
        secrets = secrets(rig);
      }
      assertThat(rig.emu.calls("StartDeviceAuthorization")).as("a 5xx never costs a sign-in").isEqualTo(1);
    }
  }

  @Test
  void rateLimitedPortalUnderParallelDemand() throws Exception {
    try (Rig rig = Rig.create(); Rig.Client client = startAndConnect(rig)) {
      List<String> secrets = signIn(rig, client);
      rig.emu.faults().rateLimit("GetRoleCredentials", 1);
      rig.emu.faults().failNext("ListAccounts", 429, "TooManyRequestsException", 5);
      ExecutorService pool = Executors.newFixedThreadPool(12);
      try {
        List<Future<Outcomes<RoleCredentials>>> calls = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
          String identity = Rig.IDENTITIES.get(1 + i % 3);
          calls.add(pool.submit(() -> Outcomes.of(() -> client.credentials(rig.context(), identity))));
        }
        int ok = 0;
        for (Future<Outcomes<RoleCredentials>> call : calls) {
          Outcomes<RoleCredentials> outcome = call.get(Rig.CALL.toSeconds() + 30, TimeUnit.SECONDS)
              .successOrOneCleanError(secrets);
          ok += outcome.ok() ? 1 : 0;
        }
        System.out.println("[faults] 429 rate limit 1/s on GetRoleCredentials, 12 parallel calls: " + ok + " ok");
      } finally {
        pool.shutdownNow();
      }
      rig.assertFilesIntact();
      rig.emu.faults().clear();
      assertThat(client.credentials(rig.context(), "prod-admin").getAccessKeyId()).isNotEmpty();
    }
  }

  @Test
  void latencySpikesAndConnectionResets() {
    try (Rig rig = Rig.create(); Rig.Client client = startAndConnect(rig)) {
      List<String> secrets = signIn(rig, client);
      rig.emu.faults().latency("*", Duration.ofMillis(2500));
      Outcomes<RoleCredentials> slow = Outcomes.of(() -> client.credentials(rig.context(), "dev-readonly"))
          .successOrOneCleanError(secrets);
      System.out.println("[faults] 2.5 s latency on every call: " + slow);
      assertThat(slow.ok()).as("a slow portal is only slow: %s", slow).isTrue();
      rig.emu.faults().clear();

      rig.emu.faults().resetConnectionNext("GetRoleCredentials", 2);
      rig.emu.faults().resetConnectionNext("CreateToken", 2);
      rig.emu.expireAccessTokens();
      Outcomes<RoleCredentials> reset = Outcomes.of(() -> client.credentials(rig.context(), "prod-admin"))
          .successOrOneCleanError(secrets);
      System.out.println("[faults] 2 connection resets on CreateToken and GetRoleCredentials: " + reset);
      rig.assertFilesIntact();
      rig.emu.faults().clear();
      assertThat(client.credentials(rig.context(), "prod-admin").getAccessKeyId()).isNotEmpty();
      assertThat(rig.emu.calls("StartDeviceAuthorization")).as("no second sign-in").isEqualTo(1);
    }
  }

  @Test
  void thePortalRevokesTheSessionMidRefresh() {
    try (Rig rig = Rig.create(); Rig.Client client = startAndConnect(rig)) {
      List<String> secrets = signIn(rig, client);
      JsonNode before = rig.sessionFile();
      rig.emu.setAutoApprove(false);
      rig.emu.revokeRefreshTokens();
      rig.emu.expireAccessTokens();
      List<AuthEvent> seen = new ArrayList<>();
      List<String> codes = new ArrayList<>();
      // The refresh is refused: the daemon must fall back to ONE new sign-in, which the user approves.
      Outcomes<RoleCredentials> outcome = Outcomes.of(() -> credentialsAnswering(client, rig.context(), "prod-admin",
          code -> {
            codes.add(code);
            rig.emu.approve(code);
          }, seen)).successOrOneCleanError(secrets);
      System.out.println("[faults] refresh token revoked + access token expired: " + outcome + ", sign-ins asked: "
          + codes.size());
      rig.assertFilesIntact();
      if (outcome.ok()) {
        assertThat(codes).as("exactly one device flow").hasSize(1);
        assertThat(rig.sessionFile().path("refreshToken").asText()).as("the new session replaced the revoked one")
            .isNotEqualTo(before.path("refreshToken").asText());
      } else {
        assertThat(outcome.error().getStatus().getCode()).isIn(Status.Code.UNAUTHENTICATED,
            Status.Code.FAILED_PRECONDITION);
      }
      rig.emu.setAutoApprove(true);
      assertThat(client.credentials(rig.context(), "dev-deployer").getAccessKeyId()).isNotEmpty();
    }
  }

  @Test
  void aRejectedRefreshTokenAsksForOneSignIn() {
    try (Rig rig = Rig.create(); Rig.Client client = startAndConnect(rig)) {
      List<String> secrets = signIn(rig, client);
      rig.emu.setAutoApprove(false);
      rig.emu.faults().failNext("CreateToken", 400, "InvalidGrantException", 1);
      rig.emu.expireAccessTokens();
      List<String> codes = new ArrayList<>();
      Outcomes<RoleCredentials> outcome = Outcomes.of(() -> credentialsAnswering(client, rig.context(), "dev-readonly",
          code -> {
            codes.add(code);
            rig.emu.approve(code);
          }, new ArrayList<>())).successOrOneCleanError(secrets);
      System.out.println("[faults] refresh token rejected (InvalidGrantException): " + outcome + ", sign-ins asked: "
          + codes.size());
      rig.assertFilesIntact();
      assertThat(codes.size()).as("at most one new sign-in").isLessThanOrEqualTo(1);
    }
  }

  @Test
  void anExpiredDeviceCodeIsOneClearError() {
    try (Rig rig = Rig.create(b -> b.autoApprove(false)); Rig.Client client = startAndConnect(rig)) {
      List<AuthEvent> seen = new ArrayList<>();
      StatusRuntimeException error = null;
      try {
        credentialsAnswering(client, rig.context(), "dev-admin", rig.emu::expire, seen);
      } catch (StatusRuntimeException e) {
        error = e;
      }
      System.out.println("[faults] device code expired: " + (error == null ? "no error" : error.getStatus()));
      assertThat(error).as("the call fails; events %s", seen).isNotNull();
      Outcomes.assertClean(error, List.of(), Outcomes.CLEAN);
      assertThat(error.getStatus().getDescription()).containsIgnoringCase("expired");
      assertThat(seen.stream().filter(AuthEvent::hasDeviceAuthorization).count()).isEqualTo(1);
      rig.assertFilesIntact();
      assertThat(rig.assertFilesIntact()).as("no session written").isEmpty();
    }
  }

  static Rig.Client startAndConnect(Rig rig) {
    rig.startInProcess();
    return rig.client();
  }
}
