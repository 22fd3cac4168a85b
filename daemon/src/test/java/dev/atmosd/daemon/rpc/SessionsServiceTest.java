package dev.atmosd.daemon.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atmosd.daemon.config.AtmosConfig;
import dev.atmosd.daemon.config.ConfigLoader;
import dev.atmosd.daemon.credentials.BrokerFixture;
import dev.atmosd.daemon.session.SignInObserver;
import dev.atmosd.emulator.MutableClock;
import dev.atmosd.emulator.SsoEmulator;
import dev.atmosd.v1.ClientContext;
import dev.atmosd.v1.LogoutReply;
import dev.atmosd.v1.LogoutRequest;
import dev.atmosd.v1.PortalSession;
import dev.atmosd.v1.SessionState;
import dev.atmosd.v1.SessionsGrpc;
import dev.atmosd.v1.StatusRequest;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Sessions gRPC service over a real gRPC transport, with the real session engine, config loader and emulator. */
class SessionsServiceTest {
  private static final String PORTAL = "https://d-1234567890.awsapps.com/start";

  @TempDir Path dir;
  private final MutableClock clock = MutableClock.startingNow();
  private BrokerFixture fixture;
  private ConfigLoader loader;
  private Server server;
  private ManagedChannel channel;
  private SessionsGrpc.SessionsBlockingStub sessions;
  private Path atmosYaml;

  @BeforeEach
  void start() throws IOException {
    fixture = new BrokerFixture(dir, SsoEmulator.builder(), clock);
    atmosYaml = dir.resolve("atmos.yaml");
    Files.writeString(atmosYaml, String.join("\n",
        "auth:",
        "  providers:",
        provider("company-sso", PORTAL),
        provider("company-sso-admin", PORTAL),
        provider("billing-sso", PORTAL),
        provider("other-sso", "https://d-0000000000.awsapps.com/start"),
        ""));
    loader = new ConfigLoader(fixture.paths, Map.of());
    ClientConfigs configs = new ClientConfigs(loader, fixture.sessions);
    DaemonFacts facts = new DaemonFacts("test", clock.instant(), dir.resolve("atmosd.sock"), false,
        fixture.paths.ownCacheDir(), "", () -> null, new CallTracker(clock));
    server = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
        .addService(new SessionsService(configs, fixture.sessions, null, fixture.paths, () -> facts))
        .build().start();
    channel = NettyChannelBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getPort()))
        .usePlaintext().build();
    sessions = SessionsGrpc.newBlockingStub(channel);
  }

  @AfterEach
  void stop() throws Exception {
    channel.shutdownNow();
    server.shutdownNow();
    fixture.close();
  }

  @Test
  void loggingOutOneProviderNamesTheOthersOnTheSamePortal() {
    signIn("company-sso");

    LogoutReply reply = sessions.logout(LogoutRequest.newBuilder().setContext(context()).setProvider("company-sso").build());

    assertThat(reply.getSessionsRemovedCount()).isEqualTo(1);
    assertThat(reply.getWarningsList()).contains("also signed out: company-sso-admin, billing-sso (same portal)");
    assertThat(String.join("\n", reply.getWarningsList())).doesNotContain("other-sso");
  }

  @Test
  void loggingOutAProviderAloneOnItsPortalNamesNoOther() {
    signIn("other-sso");

    LogoutReply reply = sessions.logout(LogoutRequest.newBuilder().setContext(context()).setProvider("other-sso").build());

    assertThat(reply.getSessionsRemovedCount()).isEqualTo(1);
    assertThat(reply.getWarningsList()).noneMatch(w -> w.startsWith("also signed out"));
  }

  @Test
  void statusShowsLiveSessionsAndOnlyTheLastHoursFailuresOfPortalsNoLongerConfigured() throws IOException {
    signIn("company-sso");
    Path old = dir.resolve("old").resolve("atmos.yaml");
    Files.createDirectories(old.getParent());
    Files.writeString(old, String.join("\n", "auth:", "  providers:",
        "    broken-sso:",
        "      kind: aws/iam-identity-center",
        "      start_url: https://d-9999999999.awsapps.com/start",
        "      region: us-east-1",
        "      spec:",
        "        endpoint_url: " + fixture.emulator.endpoint() + "/not-aws",
        ""));
    AtmosConfig oldConfig = loader.load(old, Map.of());
    assertThat(fixture.sessions.accessToken(oldConfig.provider("broken-sso"), SignInObserver.NOBODY)
        .handle((ok, e) -> e).join()).as("the broken portal's sign-in failed").isNotNull();

    assertThat(status()).anySatisfy(s -> {
      assertThat(s.getProvidersList()).containsExactly("broken-sso");
      assertThat(s.getLastError()).contains("answered HTTP 404");
    });

    clock.advance(Duration.ofMinutes(61));

    List<PortalSession> later = status();
    assertThat(later).as("a failure of a config seen over an hour ago is history")
        .noneMatch(s -> s.getProvidersList().contains("broken-sso"));
    assertThat(later).as("the live session stays").anySatisfy(s -> {
      assertThat(s.getProvidersList()).contains("company-sso");
      assertThat(s.getState()).isIn(SessionState.SESSION_STATE_ACTIVE, SessionState.SESSION_STATE_EXPIRED);
    });
  }

  private List<PortalSession> status() {
    return sessions.status(StatusRequest.newBuilder().setContext(context()).build()).getSessionsList();
  }

  private void signIn(String provider) {
    AtmosConfig config = loader.load(atmosYaml, Map.of());
    fixture.sessions.accessToken(config.provider(provider), SignInObserver.NOBODY).join();
  }

  private String provider(String name, String startUrl) {
    return String.join("\n",
        "    " + name + ":",
        "      kind: aws/iam-identity-center",
        "      start_url: " + startUrl,
        "      region: us-east-1",
        "      spec:",
        "        endpoint_url: " + fixture.emulator.endpoint());
  }

  private ClientContext context() {
    return ClientContext.newBuilder().setConfigPath(atmosYaml.toString()).setCommand("test").build();
  }
}
