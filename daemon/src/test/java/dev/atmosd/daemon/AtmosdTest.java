package dev.atmosd.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.atmosd.daemon.rpc.StartupRefusedException;
import dev.atmosd.daemon.rpc.UnixSocketChannel;
import dev.atmosd.v1.ClientContext;
import dev.atmosd.v1.ConfigGrpc;
import dev.atmosd.v1.DaemonGrpc;
import dev.atmosd.v1.DaemonInfo;
import dev.atmosd.v1.PingRequest;
import dev.atmosd.v1.SessionsGrpc;
import dev.atmosd.v1.ShutdownReply;
import dev.atmosd.v1.ShutdownRequest;
import dev.atmosd.v1.StatusReply;
import dev.atmosd.v1.StatusRequest;
import dev.atmosd.v1.ValidateReply;
import dev.atmosd.v1.ValidateRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A real daemon on a temp socket, driven by a real gRPC client over the Unix domain socket. */
class AtmosdTest {
  private AtmosdTestSupport test;

  @BeforeEach
  void setUp() throws Exception {
    test = new AtmosdTestSupport();
  }

  @AfterEach
  void tearDown() throws Exception {
    test.close();
  }

  private DaemonGrpc.DaemonBlockingStub daemonStub() {
    return DaemonGrpc.newBlockingStub(test.connect().channel()).withDeadlineAfter(java.time.Duration.ofSeconds(20));
  }

  @Test
  void pingTellsWhoAndWhereTheDaemonIs() {
    test.start();
    DaemonInfo info = daemonStub().ping(PingRequest.getDefaultInstance());
    assertThat(info.getPid()).isEqualTo(ProcessHandle.current().pid());
    assertThat(info.getSocketPath()).isEqualTo(test.socket.toString());
    assertThat(info.getCacheDir()).isEqualTo(test.dir.resolve("cache").toString());
    assertThat(info.getLogFile()).isEqualTo("stderr");
    assertThat(info.getVersion()).isNotBlank();
    assertThat(info.getJavaVersion()).isEqualTo(Runtime.version().toString());
    assertThat(info.getCredentialsEndpoint()).startsWith("http://127.0.0.1:");
    assertThat(info.getActiveClients()).isGreaterThanOrEqualTo(1);
    assertThat(info.getSocketActivated()).isFalse();
    assertThat(info.getStartedAt().getSeconds()).isPositive();
  }

  @Test
  void socketIsOwnerOnlyInAnOwnerOnlyDirectory() throws Exception {
    test.start();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(test.socket))).isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(test.dir))).isEqualTo("rwx------");
    assertThat(test.dir.resolve("atmosd.lock")).exists();
  }

  @Test
  void aNewSocketDirectoryIsCreatedOwnerOnly() throws Exception {
    Path nested = test.dir.resolve("atmosd-run");
    Atmosd daemon = Atmosd.start(new Atmosd.Options(nested.resolve("s.sock"), "-", null), test.env,
        java.time.Clock.systemUTC(), java.util.Optional.empty());
    try {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(nested))).isEqualTo("rwx------");
    } finally {
      daemon.close();
    }
  }

  @Test
  void aSecondDaemonOnTheSameSocketIsRefused() {
    test.start();
    assertThatThrownBy(test::start)
        .isInstanceOfSatisfying(StartupRefusedException.class, e -> assertThat(e.exitCode()).isEqualTo(3))
        .hasMessage("atmosd is already running on " + test.socket + " (pid " + ProcessHandle.current().pid() + ")");
    // The refused start left the running daemon alone.
    assertThat(daemonStub().ping(PingRequest.getDefaultInstance()).getPid()).isEqualTo(ProcessHandle.current().pid());
  }

  @Test
  void theRealMainExitsWith3WhenADaemonAlreadyServesTheSocket() throws Exception {
    test.start();
    AtmosdTestSupport.Spawned second = test.spawn(List.of(), AtmosdTestSupport.classPath(), Map.of(),
        Atmosd.class.getName(), "--socket", test.socket.toString(), "--log-file", "-");
    assertThat(second.exitCode(Duration.ofSeconds(60))).as(second::stderrForMessage).isEqualTo(3);
    assertThat(second.stderr()).contains("atmosd: atmosd is already running on " + test.socket + " (pid "
        + ProcessHandle.current().pid() + ")");
  }

  @Test
  void twoDaemonsStartingAtOnceLeaveExactlyOneRunning() throws Exception {
    String[] args = {"--socket", test.socket.toString(), "--log-file", "-"};
    AtmosdTestSupport.Spawned first = test.spawn(List.of(), AtmosdTestSupport.classPath(), Map.of(),
        Atmosd.class.getName(), args);
    AtmosdTestSupport.Spawned second = test.spawn(List.of(), AtmosdTestSupport.classPath(), Map.of(),
        Atmosd.class.getName(), args);
    java.util.concurrent.atomic.AtomicLong winner = new java.util.concurrent.atomic.AtomicLong();
    await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> {
      try (UnixSocketChannel channel = UnixSocketChannel.connect(test.socket)) {
        winner.set(DaemonGrpc.newBlockingStub(channel.channel()).withDeadlineAfter(Duration.ofSeconds(5))
            .ping(PingRequest.getDefaultInstance()).getPid());
        return true;
      }
    });
    AtmosdTestSupport.Spawned running = winner.get() == first.process().pid() ? first : second;
    AtmosdTestSupport.Spawned refused = running == first ? second : first;
    assertThat(refused.exitCode(Duration.ofSeconds(60))).as(refused::stderrForMessage).isEqualTo(3);
    assertThat(running.process().isAlive()).isTrue();

    try (UnixSocketChannel channel = UnixSocketChannel.connect(test.socket)) {
      DaemonGrpc.newBlockingStub(channel.channel()).withDeadlineAfter(Duration.ofSeconds(5))
          .shutdown(ShutdownRequest.getDefaultInstance());
    }
    assertThat(running.exitCode(Duration.ofSeconds(30))).as(running::stderrForMessage).isZero();
    assertThat(test.socket).doesNotExist();
  }

  @Test
  void aSocketDirectoryOfAnotherUserIsRefused() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(new com.sun.security.auth.module.UnixSystem().getUid() == 0,
        "runs only as root: it hands the socket directory to user nobody");
    Path foreign = Files.createDirectory(test.dir.resolve("atmosd-foreign"));
    Files.setOwner(foreign, foreign.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("65534"));
    assertThatThrownBy(() -> Atmosd.start(new Atmosd.Options(foreign.resolve("atmosd.sock"), "-", null), test.env,
        java.time.Clock.systemUTC(), java.util.Optional.empty()))
        .isInstanceOfSatisfying(StartupRefusedException.class, e -> assertThat(e.exitCode()).isEqualTo(2))
        .hasMessageStartingWith("socket directory " + foreign + " belongs to uid 65534")
        .hasMessageEndingWith("remove it, or set ATMOSD_SOCKET to a path in a directory of your own");
  }

  @Test
  void aStaleSocketIsRemovedAndTheDaemonStarts() throws Exception {
    // A socket file nobody listens on, as a crashed daemon leaves it.
    try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      dead.bind(UnixDomainSocketAddress.of(test.socket));
    }
    assertThat(test.socket).exists();
    test.start();
    assertThat(daemonStub().ping(PingRequest.getDefaultInstance()).getPid()).isEqualTo(ProcessHandle.current().pid());
  }

  @Test
  void aTooLongSocketPathIsAUsageError() {
    Path tooLong = test.dir.resolve("x".repeat(120)).resolve("atmosd.sock");
    assertThatThrownBy(() -> Atmosd.start(new Atmosd.Options(tooLong, "-", null), test.env,
        java.time.Clock.systemUTC(), java.util.Optional.empty()))
        .isInstanceOfSatisfying(StartupRefusedException.class, e -> assertThat(e.exitCode()).isEqualTo(2))
        .hasMessageContaining("AF_UNIX allows at most")
        .hasMessageContaining("set ATMOSD_SOCKET to a shorter path");
  }

  @Test
  void unknownFlagsAndBadDurationsAreUsageErrors() {
    assertThatThrownBy(() -> Atmosd.Options.parse(new String[] {"--bogus"}, Map.of()))
        .isInstanceOfSatisfying(StartupRefusedException.class, e -> assertThat(e.exitCode()).isEqualTo(2))
        .hasMessageStartingWith("unknown flag --bogus");
    assertThatThrownBy(() -> Atmosd.Options.parse(new String[] {"--idle-exit", "soon"}, Map.of()))
        .hasMessage("--idle-exit \"soon\" is not a duration: use e.g. 30m, 8h or 1h30m");
    Atmosd.Options options = Atmosd.Options.parse(
        new String[] {"--foreground", "--socket=/tmp/a.sock", "--idle-exit", "1h30m", "--log-file", "-"}, Map.of());
    assertThat(options.socket()).isEqualTo(Path.of("/tmp/a.sock"));
    assertThat(options.idleExit()).isEqualTo(Duration.ofMinutes(90));
    assertThat(options.logFile()).isEqualTo("-");
    assertThat(Atmosd.Options.parse(new String[0], Map.of("ATMOSD_SOCKET", "/tmp/b.sock")).socket())
        .isEqualTo(Path.of("/tmp/b.sock"));
  }

  @Test
  void theShutdownCallStopsTheDaemonAndRemovesSocketAndLock() throws Exception {
    Atmosd daemon = test.start();
    ShutdownReply reply = daemonStub().shutdown(ShutdownRequest.getDefaultInstance());
    assertThat(reply.getInflightRequests()).isZero();
    assertThat(daemon.awaitTermination(Duration.ofSeconds(30))).isTrue();
    assertThat(test.socket).doesNotExist();
    assertThat(test.dir.resolve("atmosd.lock")).doesNotExist();
    // And the socket is free for the next daemon.
    test.start();
    assertThat(daemonStub().ping(PingRequest.getDefaultInstance()).getPid()).isEqualTo(ProcessHandle.current().pid());
  }

  @Test
  void sigtermShutsTheRealDaemonDownGracefullyWithExitCode0() throws Exception {
    AtmosdTestSupport.Spawned daemon = test.spawn(List.of(), AtmosdTestSupport.classPath(), Map.of(),
        Atmosd.class.getName(), "--socket", test.socket.toString(), "--log-file", test.dir.resolve("logs/atmosd.log")
            .toString());
    long pid = daemon.process().pid();
    await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> {
      try (UnixSocketChannel channel = UnixSocketChannel.connect(test.socket)) {
        return DaemonGrpc.newBlockingStub(channel.channel()).withDeadlineAfter(Duration.ofSeconds(2))
            .ping(PingRequest.getDefaultInstance()).getPid() == pid;
      }
    });
    Path log = test.dir.resolve("logs/atmosd.log");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(log))).isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(log.getParent()))).isEqualTo("rwx------");

    daemon.process().destroy(); // SIGTERM
    assertThat(daemon.exitCode(Duration.ofSeconds(30))).as(daemon::stderrForMessage).isZero();
    assertThat(test.socket).doesNotExist();
    assertThat(test.dir.resolve("atmosd.lock")).doesNotExist();
    assertThat(Files.readString(log)).contains("atmosd ready on " + test.socket).contains("SIGTERM received")
        .contains("atmosd stopped");
  }

  @Test
  void idleExitStopsADaemonNobodyUses() throws Exception {
    Atmosd daemon = Atmosd.start(new Atmosd.Options(test.socket, "-", Duration.ofMillis(200)), test.env,
        java.time.Clock.systemUTC(), java.util.Optional.empty());
    assertThat(daemon.awaitTermination(Duration.ofSeconds(30))).isTrue();
    assertThat(test.socket).doesNotExist();
  }

  // ----------------------------------------------------------------------------------------------- config & status

  private ClientContext context(Path config) {
    return ClientContext.newBuilder().setConfigPath(config == null ? "" : config.toString())
        .setCommand("test").build();
  }

  @Test
  void validateReportsWhatTheConfigHolds() throws Exception {
    test.start();
    Path config = test.write("atmos.yaml", """
        auth:
          providers:
            sso:
              kind: aws/iam-identity-center
              start_url: https://x.awsapps.com/start
              region: us-east-1
          identities:
            dev:
              kind: aws/permission-set
              via: { provider: sso }
              principal: { name: Admin, account: { id: "111111111111" } }
        """);
    ValidateReply reply = ConfigGrpc.newBlockingStub(test.connect().channel())
        .validate(ValidateRequest.newBuilder().setContext(context(config)).build());
    assertThat(reply.getConfigPath()).isEqualTo(config.toString());
    assertThat(reply.getProviders()).isEqualTo(1);
    assertThat(reply.getIdentities()).isEqualTo(1);
    assertThat(reply.getProvisionedIdentities()).isZero();
    assertThat(reply.getWarningsList()).isEmpty();
  }

  @Test
  void aBadConfigIsInvalidArgumentWithItsOneLineMessage() throws Exception {
    test.start();
    Path config = test.write("atmos.yaml", "auth:\n  providers:\n    sso: { kind: aws/iam-identity-center, region: r }\n");
    ConfigGrpc.ConfigBlockingStub stub = ConfigGrpc.newBlockingStub(test.connect().channel());
    assertThatThrownBy(() -> stub.validate(ValidateRequest.newBuilder().setContext(context(config)).build()))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
          assertThat(e.getStatus().getDescription()).isEqualTo(config + ": auth.providers.sso.start_url is missing:"
              + " set it to your AWS access portal URL (https://<id>.awsapps.com/start)");
        });
    assertThatThrownBy(() -> stub.validate(ValidateRequest.newBuilder().setContext(context(null)).build()))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
          assertThat(e.getStatus().getDescription()).startsWith("no atmos.yaml found");
        });
    Path broken = test.write("broken.yaml", "auth: [\n");
    assertThatThrownBy(() -> stub.validate(ValidateRequest.newBuilder().setContext(context(broken)).build()))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getDescription())
            .startsWith(broken + ":").contains("invalid YAML").doesNotContain("\n"));
  }

  @Test
  void statusWorksWithoutAConfigAndListsConfiguredProvidersWithOne() throws Exception {
    test.start();
    SessionsGrpc.SessionsBlockingStub stub = SessionsGrpc.newBlockingStub(test.connect().channel());
    StatusReply bare = stub.status(StatusRequest.newBuilder()
        .setContext(context(test.dir.resolve("missing.yaml"))).build());
    assertThat(bare.getDaemon().getPid()).isEqualTo(ProcessHandle.current().pid());
    assertThat(bare.getProvidersList()).isEmpty();

    Path config = test.write("atmos.yaml", """
        auth:
          providers:
            sso: { kind: aws/iam-identity-center, start_url: "https://x.awsapps.com/start", region: us-east-1,
                   auto_provision_identities: true }
        """);
    StatusReply withConfig = stub.status(StatusRequest.newBuilder().setContext(context(config)).build());
    assertThat(withConfig.getProvidersList()).singleElement().satisfies(p -> {
      assertThat(p.getName()).isEqualTo("sso");
      assertThat(p.getAutoProvisionIdentities()).isTrue();
      assertThat(p.getSessionKey()).hasSize(40);
    });
  }
}
