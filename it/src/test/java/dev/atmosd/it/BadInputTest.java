package dev.atmosd.it;

import static dev.atmosd.it.AtmosSandbox.DEV_ADMIN;
import static dev.atmosd.it.AtmosSandbox.PROVIDER;
import static dev.atmosd.it.AtmosSandbox.REGION;
import static dev.atmosd.it.AtmosSandbox.START_URL;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Every way a user can get it wrong ends in one clear line on stderr with the documented exit code, and nothing the
 * user had (the session for provider p, signed in once for the whole class) is lost.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputTest {
  static final String OTHER_START_URL = "https://d-0987654321.awsapps.com/start";

  AtmosSandbox sandbox;
  String sessionBefore;

  @BeforeAll
  void signIn() throws Exception {
    sandbox = AtmosSandbox.create();
    sandbox.runOk("auth", "login");
    sessionBefore = Files.readString(sandbox.sessionFile());
  }

  @AfterAll
  void close() {
    AtmosSandbox.closeIfCreated(sandbox);
  }

  @AfterEach
  void nothingLost() throws Exception {
    sandbox.browserApproves();
    assertThat(sandbox.sessionFile()).as("the signed-in session's cache file").exists();
    assertThat(CliResult.parse(Files.readString(sandbox.sessionFile())).path("refreshToken").asText())
        .isEqualTo(CliResult.parse(sessionBefore).path("refreshToken").asText());
  }

  /** One line, no stack trace, no exception class names. */
  static void assertOneCleanLine(CliResult result) {
    assertThat(result.stderrLines()).as("stderr of %s", result).hasSize(1);
    assertNoStackTrace(result);
  }

  static void assertNoStackTrace(CliResult result) {
    assertThat(result.stderr()).as("stderr of %s", result)
        .doesNotContain("Exception")
        .doesNotContain("at dev.")
        .doesNotContain("at io.grpc")
        .doesNotContain("at java.")
        .doesNotContainPattern("(?m)^\\s+at [a-z]");
  }

  Path configElsewhere(String name, String yaml) {
    return AtmosSandbox.write(sandbox.root().resolve("configs").resolve(name).resolve("atmos.yaml"), yaml);
  }

  @Test
  void malformedYamlNamesTheFile() {
    Path bad = configElsewhere("malformed", "auth:\n  providers:\n    p: [kind: aws/iam-identity-center\n  identities: {\n");

    CliResult validate = sandbox.run("--config", bad.toString(), "auth", "validate");
    assertThat(validate.exitCode()).as("Go's exit code for a bad auth config (auth-validation.yaml) %s", validate)
        .isEqualTo(1);
    assertOneCleanLine(validate);
    assertThat(validate.stderr()).contains(bad.toString());

    CliResult creds = sandbox.run("--config", bad.toString(), "auth", "credential-process", "--identity", DEV_ADMIN);
    assertThat(creds.exitCode()).as("%s", creds).isEqualTo(2);
    assertOneCleanLine(creds);
    assertThat(creds.stdout()).as("nothing on stdout for a credential_process caller to misread").isEmpty();
  }

  @Test
  void malformedYamlThroughTheEnvironmentVariable() {
    Path bad = configElsewhere("malformed-env", "auth: {providers: {p: {kind: aws/iam-identity-center, start_url: [}}\n");
    CliResult validate = sandbox.run(Map.of("ATMOS_CLI_CONFIG_PATH", bad.toString()), "auth", "validate");
    assertThat(validate.exitCode()).as("%s", validate).isEqualTo(1);
    assertOneCleanLine(validate);
    assertThat(validate.stderr()).contains(bad.toString());
  }

  @Test
  void unknownProviderIsAUsageError() {
    CliResult login = sandbox.run("auth", "login", "--provider", "nope");
    assertThat(login.exitCode()).as("%s", login).isEqualTo(2);
    assertOneCleanLine(login);
    assertThat(login.stderr()).contains("nope");
  }

  @Test
  void missingStartUrlNamesTheField() {
    Path bad = configElsewhere("no-start-url", ConfigYaml.create()
        .ssoProvider(PROVIDER, null, REGION, sandbox.endpoint())
        .permissionSet(DEV_ADMIN, PROVIDER, "Admin", "dev").render());
    CliResult validate = sandbox.run("--config", bad.toString(), "auth", "validate");
    assertThat(validate.exitCode()).as("Go's exit code for a bad auth config (auth-validation.yaml) %s", validate)
        .isEqualTo(1);
    assertOneCleanLine(validate);
    assertThat(validate.stderr()).contains("start_url");
  }

  @Test
  void missingRegionNamesTheField() {
    Path bad = configElsewhere("no-region", ConfigYaml.create()
        .ssoProvider(PROVIDER, START_URL, null, sandbox.endpoint())
        .permissionSet(DEV_ADMIN, PROVIDER, "Admin", "dev").render());
    CliResult login = sandbox.run("--config", bad.toString(), "auth", "login");
    assertThat(login.exitCode()).as("%s", login).isEqualTo(2);
    assertOneCleanLine(login);
    assertThat(login.stderr()).contains("region");
  }

  @Test
  void anUnreachablePortalFailsWithOneLine() throws Exception {
    int deadPort;
    try (ServerSocket s = new ServerSocket(0)) {
      deadPort = s.getLocalPort();
    }
    Path config = configElsewhere("down", sandbox.standardConfig()
        .ssoProvider("down", OTHER_START_URL, REGION, "http://127.0.0.1:" + deadPort).render());

    CliResult login = sandbox.run(Map.of(), Duration.ofSeconds(90), "--config", config.toString(),
        "auth", "login", "--provider", "down");

    assertThat(login.exitCode()).as("%s", login).isEqualTo(1);
    assertOneCleanLine(login);
    assertThat(sandbox.sessionFile(OTHER_START_URL, REGION)).doesNotExist();
  }

  @Test
  void aDeniedDeviceCodeEndsTheSignInClearly() {
    CliResult login = signInToOtherPortalAnd(code -> sandbox.emulator().deny(code));
    assertThat(login.exitCode()).as("%s", login).isEqualTo(1);
    assertNoStackTrace(login);
    assertThat(login.lastStderrLine()).as("%s", login).containsIgnoringCase("denied");
    assertThat(login.stderrLines().stream().filter(l -> l.toLowerCase().contains("denied")).count()).isEqualTo(1);
    assertThat(sandbox.sessionFile(OTHER_START_URL, REGION)).doesNotExist();
  }

  @Test
  void anExpiredDeviceCodeEndsTheSignInClearly() {
    CliResult login = signInToOtherPortalAnd(code -> sandbox.emulator().expire(code));
    assertThat(login.exitCode()).as("%s", login).isEqualTo(1);
    assertNoStackTrace(login);
    assertThat(login.lastStderrLine()).as("%s", login).containsIgnoringCase("expired");
    assertThat(sandbox.sessionFile(OTHER_START_URL, REGION)).doesNotExist();
  }

  @Test
  void aCorruptCacheFileIsAWarningThenSignInWorks() throws Exception {
    String thirdUrl = "https://d-5555555555.awsapps.com/start";
    Path config = configElsewhere("corrupt", sandbox.standardConfig()
        .ssoProvider("third", thirdUrl, REGION, sandbox.endpoint()).render());
    sandbox.ok(sandbox.run("--config", config.toString(), "auth", "login", "--provider", "third"));
    Path file = sandbox.sessionFile(thirdUrl, REGION);
    assertThat(file).exists();
    sandbox.runOk("daemon", "stop");
    Await.until(Duration.ofSeconds(20), "the daemon is gone", () -> sandbox.ourProcesses().isEmpty());
    Files.writeString(file, "{\"startUrl\": \"" + thirdUrl + "\", \"accessToken\": tru");
    sandbox.runOk("daemon", "start");
    long deviceAuthorizations = sandbox.emulator().calls("StartDeviceAuthorization");

    CliResult login = sandbox.run(Map.of(), Duration.ofSeconds(90), "--config", config.toString(),
        "auth", "login", "--provider", "third");

    sandbox.ok(login);
    assertNoStackTrace(login);
    assertThat(sandbox.emulator().calls("StartDeviceAuthorization")).as("signed in again")
        .isEqualTo(deviceAuthorizations + 1);
    String key = AtmosSandbox.sessionKey(thirdUrl, REGION);
    assertThat(login.stderr() + "\n" + sandbox.daemonLog())
        .as("a warning naming the corrupt file, on stderr or in the daemon log")
        .containsPattern("(?i)warn.*" + key + "|" + key + ".*(corrupt|invalid|unreadable|ignor|malformed)");
    assertThat(CliResult.parse(Files.readString(file)).path("accessToken").asText()).isNotEmpty();
  }

  /** Starts a sign-in to a second portal whose browser never approves, then lets the test end it. */
  CliResult signInToOtherPortalAnd(java.util.function.Consumer<String> outcome) {
    Path config = configElsewhere("other-" + System.nanoTime(), sandbox.standardConfig()
        .ssoProvider("other", OTHER_START_URL, REGION, sandbox.endpoint()).render());
    sandbox.browserRecordsOnly();
    AtmosSandbox.Running login = sandbox.start(Map.of(), "--config", config.toString(), "auth", "login",
        "--provider", "other");
    Await.until(Duration.ofSeconds(60), "a pending user code on the emulator",
        () -> !pendingCodes().isEmpty());
    String code = pendingCodes().iterator().next();
    outcome.accept(code);
    return login.await(Duration.ofSeconds(60));
  }

  Collection<String> pendingCodes() {
    return List.copyOf(sandbox.emulator().pendingUserCodes());
  }
}
