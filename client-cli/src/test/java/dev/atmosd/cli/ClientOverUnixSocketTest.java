package dev.atmosd.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Timestamp;
import dev.atmosd.v1.AuthEvent;
import dev.atmosd.v1.CallerIdentity;
import dev.atmosd.v1.ConfigGrpc;
import dev.atmosd.v1.DaemonGrpc;
import dev.atmosd.v1.DaemonInfo;
import dev.atmosd.v1.DeviceAuthorization;
import dev.atmosd.v1.EndpointGrant;
import dev.atmosd.v1.ConfigSource;
import dev.atmosd.v1.EnvironmentVariable;
import dev.atmosd.v1.IdentitiesGrpc;
import dev.atmosd.v1.IdentityInfo;
import dev.atmosd.v1.IdentityRequest;
import dev.atmosd.v1.ListIdentitiesReply;
import dev.atmosd.v1.ListIdentitiesRequest;
import dev.atmosd.v1.LoginRequest;
import dev.atmosd.v1.PingRequest;
import dev.atmosd.v1.PortalSession;
import dev.atmosd.v1.ProvisioningFinished;
import dev.atmosd.v1.RevokeEndpointReply;
import dev.atmosd.v1.RevokeEndpointRequest;
import dev.atmosd.v1.RoleCredentials;
import dev.atmosd.v1.SessionState;
import dev.atmosd.v1.SessionsGrpc;
import dev.atmosd.v1.ValidateReply;
import dev.atmosd.v1.ValidateRequest;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The real client transport (Netty over a Unix socket, streaming, status mapping) against the contract's server side. */
class ClientOverUnixSocketTest {
  static final Instant NOW = Instant.parse("2026-11-24T07:05:00Z");

  Path dir;
  Path socket;
  ContractServer server;
  final List<IdentityRequest> identityRequests = new CopyOnWriteArrayList<>();
  final List<LoginRequest> loginRequests = new CopyOnWriteArrayList<>();
  final List<String> revoked = new CopyOnWriteArrayList<>();
  final List<ListIdentitiesRequest> listRequests = new CopyOnWriteArrayList<>();

  final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
  final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
  final Map<String, String> env = new HashMap<>();

  static Timestamp at(Instant instant) {
    return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).build();
  }

  @BeforeEach
  void startServer() throws Exception {
    // Short, private path: AF_UNIX allows ~107 bytes.
    dir = Files.createTempDirectory(Path.of("/tmp"), "acli", PosixFilePermissions.asFileAttribute(
        PosixFilePermissions.fromString("rwx------")));
    socket = dir.resolve("s.sock");
    server = ContractServer.start(socket, new Daemon(), new Sessions(), new Identities(), new Config());
    env.put("ATMOSD_SOCKET", socket.toString());
    env.put("ATMOSD_NO_AUTOSTART", "1");
    env.put("XDG_STATE_HOME", dir.resolve("state").toString());
    env.put("PATH", System.getenv("PATH"));
  }

  @AfterEach
  void stopServer() throws Exception {
    server.close();
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  int atmos(String... args) {
    Invocation invocation = new Invocation(env,
        new PrintStream(stdout, true, StandardCharsets.UTF_8), new PrintStream(stderr, true, StandardCharsets.UTF_8),
        Clock.fixed(NOW, ZoneOffset.UTC));
    return Atmos.execute(args, invocation);
  }

  String out() {
    return stdout.toString(StandardCharsets.UTF_8);
  }

  String err() {
    return stderr.toString(StandardCharsets.UTF_8);
  }

  @Test
  void credentialProcessPrintsOnlyTheDocumentOnStdoutAndSendsContextAndIdentity() {
    env.put("ATMOS_IDENTITY", "prod/Admin");
    env.put("AWS_ENDPOINT_URL_SSO", "http://127.0.0.1:9/sso");
    env.put("AWS_REGION", "eu-west-1");
    env.put("AWS_SECRET_ACCESS_KEY", "must-not-travel");
    env.put("HOME_SECRET", "nor-this");

    int code = atmos("auth", "credential-process");

    assertThat(code).isZero();
    assertThat(out()).isEqualTo("{\"Version\":1,\"AccessKeyId\":\"ASIAPROD\",\"SecretAccessKey\":\"secret\","
        + "\"SessionToken\":\"token\",\"Expiration\":\"2026-11-24T08:05:00Z\"}\n");
    assertThat(err()).contains("refreshing session for company-sso");
    IdentityRequest request = identityRequests.get(0);
    assertThat(request.getIdentity()).isEqualTo("prod/Admin");
    assertThat(request.getContext().getCommand()).isEqualTo("auth credential-process");
    assertThat(request.getContext().getEnvironmentList()).extracting(EnvironmentVariable::getName)
        .containsExactlyInAnyOrder("ATMOS_IDENTITY", "AWS_ENDPOINT_URL_SSO", "AWS_REGION");
    // atmos.yaml's !env sees the shell (HOME_SECRET), but AWS keys never reach the daemon.
    assertThat(request.getContext().getFunctionEnvironmentList()).extracting(EnvironmentVariable::getName)
        .contains("HOME_SECRET", "AWS_REGION").doesNotContain("AWS_SECRET_ACCESS_KEY");
  }

  /** Go's global config flags (cmd/root.go; pkg/config/config_cli_args.go): every value travels, in order. */
  @Test
  void configFilesConfigPathsProfilesAndChdirTravelInTheContext() throws Exception {
    Path first = Files.writeString(Files.createDirectories(dir.resolve("one")).resolve("first.yaml"), "auth: {}\n");
    Path second = Files.writeString(dir.resolve("one/second.yaml"), "auth: {}\n");
    Path project = Files.createDirectories(dir.resolve("project"));
    Files.writeString(project.resolve("atmos.yaml"), "auth: {}\n");
    env.put("ATMOS_PROFILE", "ignored-when-flags-given");

    int code = atmos("-C", dir.resolve("one").toString(), "--config", "first.yaml", "--profile", "a, b",
        "--config-path", "../project", "auth", "credential-process", "--identity", "x", "--config", "second.yaml",
        "--profile", "c");

    assertThat(code).as(err()).isZero();
    var context = identityRequests.get(0).getContext();
    assertThat(context.getConfigSourcesList()).extracting(ConfigSource::getPath)
        .containsExactly(first.toString(), second.toString(), project.resolve("atmos.yaml").toString());
    assertThat(context.getConfigSourcesList()).extracting(ConfigSource::getWithoutDefaultImports)
        .containsExactly(true, true, false);
    assertThat(context.getConfigPath()).isEqualTo(project.resolve("atmos.yaml").toString());
    assertThat(context.getProfilesList()).containsExactly("a", "b", "c");
    assertThat(context.getWorkingDirectory()).isEqualTo(dir.resolve("one").toString());
  }

  @Test
  void atmosProfileIsReadWhenNoFlagNamesAProfile() throws Exception {
    Path project = Files.createDirectories(dir.resolve("p"));
    Files.writeString(project.resolve("atmos.yaml"), "auth: {}\n");
    env.put("ATMOS_PROFILE", "ci,dev");

    assertThat(atmos("--config-path", project.toString(), "auth", "credential-process", "-i", "x")).isZero();

    assertThat(identityRequests.get(0).getContext().getProfilesList()).containsExactly("ci", "dev");
  }

  @Test
  void chdirToADirectoryThatDoesNotExistIsOneUsageLine() {
    assertThat(atmos("-C", dir.resolve("nowhere").toString(), "auth", "list")).isEqualTo(2);
    assertThat(err().lines().toList()).hasSize(1);
    assertThat(err()).contains("--chdir").contains("does not exist");
  }

  @Test
  void identityFlagWinsOverEnvironment() {
    env.put("ATMOS_IDENTITY", "from-env");
    assertThat(atmos("auth", "credential-process", "--identity", "from-flag")).isZero();
    assertThat(identityRequests.get(0).getIdentity()).isEqualTo("from-flag");
  }

  @Test
  void loginShowsTheCodeSignInAndProvisioningOnStderr() {
    int code = atmos("auth", "login", "--provider", "company-sso", "--no-browser");

    assertThat(code).isZero();
    assertThat(out()).isEmpty();
    assertThat(err()).contains(
        "Sign in to company-sso: code ABCD-EFGH",
        "  https://device.example/?user_code=ABCD-EFGH",
        "Open the URL above in a browser and confirm the code.",
        "sign-in already in progress (code ABCD-EFGH); waiting…",
        "✓ Signed in to company-sso (session expires 2026-11-24 15:04 UTC, in 7h59m)",
        "  + prod/Admin (account 123456789012)",
        "! discovery failed for account 999; kept its previous identities",
        "✓ Provisioned 2 identities across 1 account (2.3s)");
    assertThat(loginRequests.get(0).getProvider()).isEqualTo("company-sso");
    assertThat(loginRequests.get(0).getContext().getMayOpenBrowser()).isFalse();
  }

  @Test
  void usageAndConfigErrorsFromTheDaemonExitTwoWithItsOneLine() {
    assertThat(atmos("auth", "whoami", "--identity", "nope")).isEqualTo(2);
    assertThat(err()).isEqualTo("atmos: unknown identity nope; run atmos auth list\n");

  }

  /** As the Go atmos (tests/test-cases/auth-validation.yaml "invalid config"): exit 1, Go's phrases, one line. */
  @Test
  void aBadConfigFailsValidateWithExitOneAndGosPhrases() {
    assertThat(atmos("auth", "validate")).isEqualTo(1);
    assertThat(err()).isEqualTo("✗ Authentication configuration validation failed: invalid auth config: "
        + "atmos.yaml: auth.providers.sso.start_url is missing\n");
    assertThat(stdout.toString()).isEmpty();
  }

  @Test
  void otherDaemonErrorsExitOne() {
    assertThat(atmos("auth", "whoami", "--identity", "broken")).isEqualTo(1);
    assertThat(err()).isEqualTo("atmos: GetRoleCredentials failed: AccessDenied\n");
  }

  @Test
  void whoamiPrintsAlignedFieldsOrJson() {
    assertThat(atmos("auth", "whoami", "-i", "prod/Admin")).isZero();
    assertThat(out()).isEqualTo(
        "Identity  prod/Admin\n"
            + "Account   123456789012\n"
            + "ARN       arn:aws:sts::123456789012:assumed-role/Admin/me\n"
            + "Expires   2026-11-24 08:05 UTC (in 1h)\n");
    stdout.reset();
    assertThat(atmos("auth", "whoami", "--format", "json")).isZero();
    assertThat(out()).contains("\"account\" : \"123456789012\"");
  }

  @Test
  void daemonDyingMidCallSaysSoAndExitsOne() {
    assertThat(atmos("auth", "login", "--provider", "crash", "--no-browser")).isEqualTo(1);
    assertThat(err()).contains("atmos: atmosd went away (see " + dir.resolve("state/atmosd/atmosd.log")
        + "); run the command again");
    assertThat(err()).doesNotContain("Exception");
  }

  @Test
  void noDaemonAndNoAutostartIsOneClearLine() throws Exception {
    server.close();
    assertThat(atmos("auth", "status")).isEqualTo(1);
    assertThat(err()).startsWith("atmos: atmosd is not running").contains("ATMOSD_NO_AUTOSTART=1");
  }

  @Test
  void unknownFlagsAndFormatsAreUsageErrors() {
    assertThat(atmos("auth", "login", "--frobnicate")).isEqualTo(2);
    assertThat(err()).contains("Unknown option: '--frobnicate'").doesNotContain("Usage:");
    assertThat(atmos("auth", "list", "--format", "xml")).isEqualTo(2);
    assertThat(atmos("nonsense")).isEqualTo(2);
  }

  @Test
  void envPrintsTheEndpointGrantForBash() {
    assertThat(atmos("auth", "env", "--identity", "prod/Admin")).as(this::err).isZero();
    assertThat(out()).startsWith("unset AWS_ACCESS_KEY_ID AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE")
        .contains("export AWS_CONTAINER_AUTHORIZATION_TOKEN=grant-token\n",
            "export AWS_CONTAINER_CREDENTIALS_FULL_URI=http://127.0.0.1:4321/v1/credentials\n",
            "export AWS_REGION=us-east-1\n", "export TF_VAR_stage='prod east'\n");
  }

  @Test
  void envForGithubAppendsToAnOwnerOnlyFile() throws Exception {
    Path githubEnv = dir.resolve("github_env");
    env.put("GITHUB_ENV", githubEnv.toString());
    assertThat(atmos("auth", "env", "--format", "github", "--static")).isZero();
    assertThat(atmos("auth", "env", "--format", "github", "--static")).isZero();
    assertThat(out()).isEmpty();
    String written = Files.readString(githubEnv);
    assertThat(written).contains("AWS_ACCESS_KEY_ID=ASIAPROD\n", "AWS_CREDENTIAL_EXPIRATION=2026-11-24T08:05:00Z\n");
    assertThat(written.split("AWS_ACCESS_KEY_ID=", -1)).hasSize(3);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(githubEnv))).isEqualTo("rw-------");
  }

  @Test
  void execRunsTheCommandWithTheGrantReturnsItsExitCodeAndRevokes() throws Exception {
    Path seen = dir.resolve("seen.env");
    env.put("AWS_PROFILE", "shadow");
    env.put("AWS_ACCESS_KEY_ID", "AKIASHADOW");
    env.put("SEEN", seen.toString());
    int code = atmos("auth", "exec", "--identity", "prod/Admin", "--", "sh", "-c", "env > \"$SEEN\"; exit 7");
    assertThat(code).isEqualTo(7);
    String childEnv = Files.readString(seen);
    assertThat(childEnv).contains("AWS_CONTAINER_CREDENTIALS_FULL_URI=http://127.0.0.1:4321/v1/credentials",
        "AWS_CONTAINER_AUTHORIZATION_TOKEN=grant-token", "AWS_CONFIG_FILE=/dev/null",
        "AWS_SHARED_CREDENTIALS_FILE=/dev/null", "AWS_EC2_METADATA_DISABLED=true", "ATMOS_IDENTITY=prod/Admin")
        .doesNotContain("AWS_PROFILE=", "AKIASHADOW");
    assertThat(revoked).containsExactly("grant-1");
  }

  @Test
  void missingProgramsExit127BeforeAnySignIn() {
    assertThat(atmos("auth", "exec", "--", "no-such-program-xyz")).isEqualTo(127);
    assertThat(err()).contains("no-such-program-xyz: command not found");
    stderr.reset();
    env.put("PATH", dir.toString());
    assertThat(atmos("terraform", "plan", "--identity", "prod/Admin")).isEqualTo(127);
    assertThat(err()).isEqualTo("atmos: terraform not found on PATH; set ATMOS_TERRAFORM_BINARY\n");
    assertThat(identityRequests).isEmpty();
  }

  @Test
  void terraformPassesEveryOtherArgumentThrough() throws Exception {
    Path fake = dir.resolve("tf");
    Path seen = dir.resolve("args");
    Files.writeString(fake, "#!/bin/sh\nprintf '%s\\n' \"$@\" > \"" + seen + "\"\nexit 3\n");
    Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwx------"));
    env.put("ATMOS_TERRAFORM_BINARY", fake.toString());
    assertThat(atmos("terraform", "plan", "-var", "x=1", "--identity", "prod/Admin", "-out=p")).isEqualTo(3);
    assertThat(Files.readString(seen)).isEqualTo("plan\n-var\nx=1\n-out=p\n");
    assertThat(identityRequests.get(0).getIdentity()).isEqualTo("prod/Admin");
  }

  @Test
  void configGoesToTheDaemonAsAnAbsolutePathFromBeforeOrAfterTheSubcommand() throws Exception {
    Path config = Files.writeString(dir.resolve("atmos.yaml"), "auth: {}\n");
    assertThat(atmos("--config", config.toString(), "auth", "list")).isZero();
    assertThat(atmos("auth", "list", "--config", dir.toString(), "--format", "json")).isZero();
    assertThat(listRequests).extracting(r -> r.getContext().getConfigPath())
        .containsExactly(config.toString(), config.toString());
    assertThat(out()).contains("Authentication Configuration", "\"atmosd\" : {\n    \"config_path\" : \"" + config + "\"");

    assertThat(atmos("auth", "list", "--config", dir.resolve("missing.yaml").toString())).isEqualTo(2);
    assertThat(err()).contains("does not exist");
  }

  @Test
  void daemonStatusPingsOverTheSocket() {
    assertThat(atmos("daemon", "status")).isZero();
    assertThat(out()).contains("atmosd running\n", "  pid      4242\n", "  version  0.1.0-test\n", "  uptime   1h\n",
        "  socket   " + socket + "\n");
  }

  // ---------------------------------------------------------------------------------------------------------------
  // The server side of the contract, scripted per test.

  final class Daemon extends DaemonGrpc.DaemonImplBase {
    @Override
    public void ping(PingRequest request, StreamObserver<DaemonInfo> response) {
      response.onNext(DaemonInfo.newBuilder().setPid(4242).setVersion("0.1.0-test").setSocketPath(socket.toString())
          .setStartedAt(at(NOW.minusSeconds(3600))).build());
      response.onCompleted();
    }
  }

  final class Sessions extends SessionsGrpc.SessionsImplBase {
    @Override
    public void login(LoginRequest request, StreamObserver<AuthEvent> events) {
      loginRequests.add(request);
      if (request.getProvider().equals("crash")) {
        events.onNext(AuthEvent.newBuilder().setProgress("signing in to crash").build());
        server.crash();
        return;
      }
      DeviceAuthorization.Builder auth = DeviceAuthorization.newBuilder().setProvider("company-sso")
          .setUserCode("ABCD-EFGH").setVerificationUri("https://device.example/")
          .setVerificationUriComplete("https://device.example/?user_code=ABCD-EFGH").setOpenBrowser(true);
      events.onNext(AuthEvent.newBuilder().setDeviceAuthorization(auth).build());
      events.onNext(AuthEvent.newBuilder().setDeviceAuthorization(auth.setOpenBrowser(false).setWaiters(2)).build());
      events.onNext(AuthEvent.newBuilder().setSignedIn(PortalSession.newBuilder().addProviders("company-sso")
          .setState(SessionState.SESSION_STATE_ACTIVE).setAccessTokenExpiresAt(at(Instant.parse("2026-11-24T15:04:00Z"))))
          .build());
      for (String name : List.of("prod/Admin", "prod/ReadOnly")) {
        events.onNext(AuthEvent.newBuilder().setIdentityProvisioned(IdentityInfo.newBuilder().setName(name)
            .setAccountId("123456789012")).build());
      }
      events.onNext(AuthEvent.newBuilder().setWarning("discovery failed for account 999; kept its previous identities")
          .build());
      events.onNext(AuthEvent.newBuilder().setProvisioningFinished(ProvisioningFinished.newBuilder()
          .setIdentities(2).setAccounts(1).setDurationMillis(2300)).build());
      events.onCompleted();
    }
  }

  final class Identities extends IdentitiesGrpc.IdentitiesImplBase {
    @Override
    public void getCredentials(IdentityRequest request, StreamObserver<AuthEvent> events) {
      identityRequests.add(request);
      events.onNext(AuthEvent.newBuilder().setProgress("refreshing session for company-sso").build());
      events.onNext(AuthEvent.newBuilder().setCredentials(RoleCredentials.newBuilder().setIdentity(request.getIdentity())
          .setAccessKeyId("ASIAPROD").setSecretAccessKey("secret").setSessionToken("token")
          .setExpiration(at(NOW.plusSeconds(3600))).setRegion("us-east-1")).build());
      events.onCompleted();
    }

    @Override
    public void grantEndpoint(IdentityRequest request, StreamObserver<AuthEvent> events) {
      identityRequests.add(request);
      events.onNext(AuthEvent.newBuilder().setEndpointGrant(EndpointGrant.newBuilder().setIdentity("prod/Admin")
          .setFullUri("http://127.0.0.1:4321/v1/credentials").setAuthorizationToken("grant-token")
          .setRegion("us-east-1").setGrantId("grant-1").putIdentityEnvironment("TF_VAR_stage", "prod east")).build());
      events.onCompleted();
    }

    @Override
    public void listIdentities(ListIdentitiesRequest request, StreamObserver<ListIdentitiesReply> response) {
      listRequests.add(request);
      response.onNext(ListIdentitiesReply.newBuilder().setConfigPath(request.getContext().getConfigPath()).build());
      response.onCompleted();
    }

    @Override
    public void revokeEndpoint(RevokeEndpointRequest request, StreamObserver<RevokeEndpointReply> response) {
      revoked.add(request.getGrantId());
      response.onNext(RevokeEndpointReply.newBuilder().setRevoked(true).build());
      response.onCompleted();
    }

    @Override
    public void whoami(IdentityRequest request, StreamObserver<AuthEvent> events) {
      if (request.getIdentity().equals("nope")) {
        events.onError(Status.NOT_FOUND.withDescription("unknown identity nope; run atmos auth list")
            .asRuntimeException());
        return;
      }
      if (request.getIdentity().equals("broken")) {
        events.onError(Status.INTERNAL.withDescription("GetRoleCredentials failed: AccessDenied\nsecond line")
            .asRuntimeException());
        return;
      }
      events.onNext(AuthEvent.newBuilder().setCallerIdentity(CallerIdentity.newBuilder().setIdentity("prod/Admin")
          .setAccount("123456789012").setArn("arn:aws:sts::123456789012:assumed-role/Admin/me")
          .setCredentialsExpireAt(at(NOW.plusSeconds(3600)))).build());
      events.onCompleted();
    }
  }

  static final class Config extends ConfigGrpc.ConfigImplBase {
    @Override
    public void validate(ValidateRequest request, StreamObserver<ValidateReply> response) {
      response.onError(Status.INVALID_ARGUMENT.withDescription("atmos.yaml: auth.providers.sso.start_url is missing")
          .asRuntimeException());
    }
  }
}
