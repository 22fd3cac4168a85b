package dev.atmosd.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 11 item 5 with the packaged CLI: the only `atmos auth login` waiting on a sign-in is stopped (Ctrl-C, or
 * kill -9, which gives it no chance to say goodbye), and after {@code ATMOSD_SIGN_IN_GRACE} the daemon stops polling
 * CreateToken for that code, `auth status` no longer shows the sign-in, and approving the code later signs nobody in.
 */
class AbandonedSignInEndToEndTest {
  AtmosSandbox sandbox;

  @BeforeEach
  void setUp() {
    sandbox = AtmosSandbox.create();
    sandbox.browserRecordsOnly();
    sandbox.env("ATMOSD_SIGN_IN_GRACE", "1s");
  }

  @AfterEach
  void tearDown() {
    AtmosSandbox.closeIfCreated(sandbox);
  }

  @Test
  void ctrlCOfTheOnlyWaitingLoginStopsTheDeviceFlow() throws Exception {
    theFlowStopsAfterTheClientGoes("INT");
  }

  @Test
  void killMinusNineOfTheOnlyWaitingLoginStopsTheDeviceFlow() throws Exception {
    theFlowStopsAfterTheClientGoes("KILL");
  }

  void theFlowStopsAfterTheClientGoes(String signal) throws Exception {
    AtmosSandbox.Running login = sandbox.start("auth", "login");
    Await.until(Duration.ofSeconds(60), "the login shows its code", () -> !sandbox.browserInvocations().isEmpty());
    String code = userCode(sandbox.browserInvocations().get(0));
    assertThat(sandbox.status().toString()).contains("signing-in");
    Await.until(Duration.ofSeconds(20), "the daemon polls for the code", () -> sandbox.emulator().tokenPolls(code) > 0);

    CliResult kill = sandbox.runCommand(List.of("kill", "-" + signal, Long.toString(login.process().pid())),
        java.util.Map.of(), Duration.ofSeconds(10));
    assertThat(kill.exitCode()).as("%s", kill).isZero();
    assertThat(login.process().waitFor(20, TimeUnit.SECONDS)).as("the login process ends").isTrue();
    assertThat(login.process().exitValue()).as("128 + the signal's number").isEqualTo(signal.equals("INT") ? 130 : 137);

    Await.until(Duration.ofSeconds(30), "the daemon gives the sign-in up",
        () -> sandbox.daemonLog().contains("abandoned: no client has waited on it"));
    assertThat(sandbox.status().toString()).doesNotContain("signing-in");
    int polls = sandbox.emulator().tokenPolls(code);
    Thread.sleep(3_000); // three of the emulator's 1 s poll intervals
    assertThat(sandbox.emulator().tokenPolls(code)).as("no CreateToken poll for the abandoned code").isEqualTo(polls);

    sandbox.emulator().approve(code);
    Thread.sleep(2_000);
    assertThat(sandbox.emulator().tokenPolls(code)).isEqualTo(polls);
    assertThat(sandbox.sessionFile()).as("an approval nobody waits for signs nobody in").doesNotExist();
    assertThat(sandbox.status().toString()).doesNotContain("\"active\"");
  }

  static String userCode(String verificationUrl) {
    int at = verificationUrl.indexOf("user_code=");
    assertThat(at).as("a verification URL with the code: %s", verificationUrl).isPositive();
    return verificationUrl.substring(at + "user_code=".length()).split("&")[0];
  }
}
