package dev.atmosd.it;

import static dev.atmosd.it.AtmosSandbox.DEV_ADMIN;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** However many processes ask at once, a portal gets one sign-in and one browser tab, and the user one daemon. */
class SessionSharingTest {

  @Test
  void twentyConcurrentClientsShareOneSignInAndOneBrowser() {
    try (AtmosSandbox sandbox = AtmosSandbox.create()) {
      sandbox.runOk("daemon", "start");
      List<AtmosSandbox.Running> running = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        running.add(i % 2 == 0
            ? sandbox.start(Map.of(), "auth", "login")
            : sandbox.start(Map.of(), "auth", "credential-process", "--identity", DEV_ADMIN));
      }
      List<CliResult> results = new ArrayList<>();
      for (AtmosSandbox.Running r : running) {
        results.add(r.await(Duration.ofSeconds(180)));
      }

      for (CliResult result : results) {
        sandbox.ok(result);
        if (result.command().contains("credential-process")) {
          JsonNode creds = result.json();
          assertThat(creds.path("Version").asInt()).as("%s", result).isEqualTo(1);
          assertThat(creds.path("AccessKeyId").asText()).as("%s", result).isNotEmpty();
        }
      }
      assertThat(sandbox.emulator().calls("StartDeviceAuthorization")).as("device authorizations").isEqualTo(1);
      assertThat(sandbox.emulator().calls("RegisterClient")).as("client registrations").isEqualTo(1);
      assertThat(sandbox.browserInvocations()).as("browser invocations").hasSize(1);
      assertThat(sandbox.sessionFile()).exists();
    }
  }

  @Test
  void concurrentClientsWithNoDaemonStartExactlyOne() {
    try (AtmosSandbox sandbox = AtmosSandbox.create()) {
      List<AtmosSandbox.Running> running = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        running.add(sandbox.start(Map.of(), "auth", "validate"));
      }
      for (AtmosSandbox.Running r : running) {
        sandbox.ok(r.await(Duration.ofSeconds(120)));
      }

      long pid = Json.at(sandbox.status(), "daemon", "pid").asLong();
      // Every CLI has exited; what is left of ours is the daemon that won the race, and only it.
      Await.until(Duration.ofSeconds(20), () -> "only the daemon (pid " + pid + ") is left, found "
          + sandbox.ourProcesses(), () -> sandbox.ourProcesses().equals(List.of(pid)));
    }
  }
}
