package dev.atmosd.it;

import static dev.atmosd.it.AtmosSandbox.DEV_ADMIN;
import static dev.atmosd.it.AtmosSandbox.PROVIDER;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 11 item 6: a command that only uses a session ({@code whoami}, {@code credential-process}, {@code env}), run
 * where nobody can see a device-flow code (no terminal on stderr, no {@code $BROWSER}: an SDK, a CI job), fails at
 * once with one line and exit 1 instead of starting a flow nobody can approve. A sign-in already running is joined;
 * a caller that can show the prompt still starts one. Exit 1 for a missing session, as the Go atmos does for
 * ErrNoValidSession (cloudposse/atmos errors/errors.go, pkg/auth/manager.go: "run `atmos auth login`").
 */
class NobodyToApproveTest {
  AtmosSandbox sandbox;

  @BeforeEach
  void create() {
    sandbox = AtmosSandbox.create();
  }

  @AfterEach
  void close() {
    sandbox.close();
  }

  /** No $BROWSER; the test's stderr is a pipe, never a terminal. */
  private static Map<String, String> unattended() {
    Map<String, String> env = new HashMap<>();
    env.put("BROWSER", "");
    return env;
  }

  @Test
  void whoamiCredentialProcessAndEnvFailAtOnceWithNoSessionAndNobodyToApprove() {
    sandbox.runOk("daemon", "start"); // so stderr holds only the command's own line, not "starting atmosd…"
    for (String[] command : new String[][] {
        {"auth", "whoami", "--identity", DEV_ADMIN},
        {"auth", "credential-process", "--identity", DEV_ADMIN},
        {"auth", "env", "--identity", DEV_ADMIN}}) {
      CliResult result = sandbox.run(unattended(), Duration.ofSeconds(30), command);

      assertThat(result.exitCode()).as(String.join(" ", command) + ": " + result).isEqualTo(1);
      assertThat(result.stderr().strip()).as(String.join(" ", command))
          .isEqualTo("atmos: no SSO session for " + PROVIDER + ": run `atmos auth login --provider " + PROVIDER + "`");
      assertThat(result.stdout()).isEmpty();
    }
    assertThat(sandbox.emulator().calls("StartDeviceAuthorization")).as("no device flow started").isZero();
    assertThat(sandbox.status().toString()).doesNotContain("signing-in");
  }

  @Test
  void anUnattendedCallerJoinsASignInAlreadyRunning() {
    sandbox.browserRecordsOnly();
    AtmosSandbox.Running login = sandbox.start("auth", "login");
    Await.until(Duration.ofSeconds(30), "the login's device flow is waiting for approval",
        () -> !sandbox.emulator().pendingUserCodes().isEmpty());

    AtmosSandbox.Running creds = sandbox.start(unattended(), "auth", "credential-process", "--identity", DEV_ADMIN);
    String code = sandbox.emulator().pendingUserCodes().get(0);
    Await.until(Duration.ofSeconds(30), "credential-process joined the sign-in and shows its code",
        () -> creds.stderrSoFar().contains(code) || !creds.process().isAlive());
    assertThat(creds.process().isAlive()).as("credential-process waits on the running sign-in: " + creds.stderrSoFar())
        .isTrue();
    sandbox.emulator().approveAllPending();

    sandbox.ok(login.await(Duration.ofSeconds(30)));
    CliResult result = sandbox.ok(creds.await(Duration.ofSeconds(30)));
    assertThat(result.json().path("AccessKeyId").asText()).isNotEmpty();
    assertThat(sandbox.emulator().calls("StartDeviceAuthorization")).as("one device flow for both").isEqualTo(1);
  }

  @Test
  void aCallerWithABrowserStillStartsASignIn() {
    CliResult result = sandbox.ok(sandbox.run("auth", "credential-process", "--identity", DEV_ADMIN));

    assertThat(result.json().path("AccessKeyId").asText()).isNotEmpty();
    assertThat(sandbox.emulator().calls("StartDeviceAuthorization")).isEqualTo(1);
  }
}
