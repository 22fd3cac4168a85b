package dev.atmosd.daemon.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.atmosd.daemon.config.ProviderConfig;
import dev.atmosd.daemon.rpc.UserFacingException;
import dev.atmosd.emulator.SsoEmulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Issue 11 item 5: when the last client waiting on a sign-in leaves (Ctrl-C, timeout), the device flow must not go on
 * polling CreateToken until the code expires and then sign in a session nobody asked for. It goes on for a grace
 * period (a client that comes back keeps it), then ends as abandoned. In the Go atmos each CLI process polls for
 * itself, so Ctrl-C cancels the poll's context (cloudposse/atmos pkg/auth/providers/aws/sso.go, spinnerModel.Update);
 * the daemon must stop the shared poll when nobody is left for whom it runs.
 */
class AbandonedSignInTest {
  @TempDir Path dir;
  private EngineFixture fixture;
  private ScheduledThreadPoolExecutor scheduler;
  private ProviderConfig provider;
  private final ListAppender<ILoggingEvent> log = new ListAppender<>();
  private final Logger registryLog = (Logger) LoggerFactory.getLogger(SessionRegistry.class);

  @BeforeEach
  void start() {
    SsoEmulator emulator = SsoEmulator.builder().autoApprove(false).pollInterval(Duration.ofSeconds(1)).build();
    emulator.start();
    fixture = new EngineFixture(emulator, dir);
    scheduler = EngineFixture.inspectableScheduler();
    provider = fixture.provider("company-sso");
    log.start();
    registryLog.addAppender(log);
  }

  @AfterEach
  void close() throws Exception {
    registryLog.detachAppender(log);
    fixture.close();
  }

  private SessionRegistry registry(Duration grace) {
    return fixture.registry(Clock.systemUTC(), scheduler, RefreshSchedule.DEFAULT, grace);
  }

  private SessionSnapshot.State state(SessionRegistry registry) {
    return registry.snapshot().get(0).state();
  }

  private List<String> infoLines() {
    List<String> lines = new ArrayList<>();
    for (ILoggingEvent event : log.list) {
      if (event.getLevel() == ch.qos.logback.classic.Level.INFO) {
        lines.add(event.getFormattedMessage());
      }
    }
    return lines;
  }

  @Test
  void theOnlyWaiterLeavingEndsTheFlowAfterTheGraceAndALaterApprovalSignsNobodyIn() throws Exception {
    SessionRegistry registry = registry(Duration.ofMillis(300));
    RecordingSignInObserver client = new RecordingSignInObserver(true);
    CompletableFuture<AccessToken> login = registry.accessToken(provider, client);
    await().atMost(Duration.ofSeconds(30)).until(() -> !client.prompts.isEmpty());
    String code = client.prompts.get(0).userCode();
    await().atMost(Duration.ofSeconds(30)).until(() -> fixture.emulator.tokenPolls(code) > 0);

    login.cancel(true); // the client's Ctrl-C

    await().atMost(Duration.ofSeconds(30)).until(() -> state(registry) != SessionSnapshot.State.SIGNING_IN);
    assertThat(state(registry)).isEqualTo(SessionSnapshot.State.NOT_SIGNED_IN);
    assertThat(registry.pollInterval(provider.sessionKey())).as("no flow polls any more").isEmpty();
    assertThat(infoLines()).filteredOn(line -> line.contains("abandoned")).singleElement().asString()
        .isEqualTo("sign-in to " + EngineFixture.START_URL + " abandoned: no client has waited on it for 300ms;"
            + " stopped polling for the device code");
    await().atMost(Duration.ofSeconds(30)).until(() -> scheduler.getQueue().isEmpty() && scheduler.getActiveCount() == 0);

    fixture.emulator.approve(code); // the user clicks "Allow" after all

    // A new sign-in, approved and redeemed, takes at least one poll interval: the old flow would have polled by then.
    RecordingSignInObserver later = new RecordingSignInObserver(true);
    CompletableFuture<AccessToken> next = registry.accessToken(provider, later);
    await().atMost(Duration.ofSeconds(30)).until(() -> !later.prompts.isEmpty());
    String nextCode = later.prompts.get(0).userCode();
    assertThat(nextCode).as("a new flow, not the abandoned one").isNotEqualTo(code);
    assertThat(Files.exists(fixture.sessionFile())).as("the late approval wrote no session").isFalse();
    // (Read this late: a poll already on the wire when the flow was abandoned may still arrive, and is ignored.)
    int pollsWhenAbandoned = fixture.emulator.tokenPolls(code);
    fixture.emulator.approve(nextCode);
    assertThat(next.get(30, TimeUnit.SECONDS).value()).isNotBlank();
    assertThat(fixture.emulator.tokenPolls(code)).as("the abandoned code is never polled again")
        .isEqualTo(pollsWhenAbandoned);
  }

  @Test
  void aClientJoiningWithinTheGraceKeepsTheFlowAndGetsTheToken() throws Exception {
    SessionRegistry registry = registry(Duration.ofHours(1));
    RecordingSignInObserver first = new RecordingSignInObserver(true);
    CompletableFuture<AccessToken> gaveUp = registry.accessToken(provider, first);
    await().atMost(Duration.ofSeconds(30)).until(() -> !first.prompts.isEmpty());
    String code = first.prompts.get(0).userCode();

    gaveUp.cancel(true);
    assertThat(state(registry)).as("within the grace the flow goes on").isEqualTo(SessionSnapshot.State.SIGNING_IN);
    assertThat(registry.pollInterval(provider.sessionKey())).isPresent();

    RecordingSignInObserver rerun = new RecordingSignInObserver(true);
    CompletableFuture<AccessToken> token = registry.accessToken(provider, rerun);
    assertThat(rerun.prompts).singleElement().satisfies(prompt -> {
      assertThat(prompt.userCode()).as("the same flow").isEqualTo(code);
      assertThat(prompt.openBrowser()).as("the browser's opener left: the one who came back opens it").isTrue();
    });
    assertThat(infoLines()).anyMatch(line -> line.contains("joined the sign-in") && line.contains("within the grace"));

    fixture.emulator.approve(code);
    assertThat(token.get(30, TimeUnit.SECONDS).value()).isNotBlank();
    assertThat(state(registry)).isEqualTo(SessionSnapshot.State.ACTIVE);
    assertThat(fixture.calls("StartDeviceAuthorization")).isEqualTo(1);
    assertThat(infoLines()).noneMatch(line -> line.contains("abandoned"));
  }

  @Test
  void backgroundWaitersDoNotKeepAFlowAlive() throws Exception {
    SessionRegistry registry = registry(Duration.ZERO);
    RecordingSignInObserver client = new RecordingSignInObserver(false);
    CompletableFuture<AccessToken> login = registry.accessToken(provider, client);
    await().atMost(Duration.ofSeconds(30)).until(() -> !client.prompts.isEmpty());
    // Discovery or a re-mint asking while the sign-in runs joins it, but counts for nothing.
    CompletableFuture<AccessToken> background = registry.accessToken(provider, SignInObserver.BACKGROUND);
    assertThat(background).isNotDone();

    login.cancel(true);

    assertThat(registry.pollInterval(provider.sessionKey())).isEmpty();
    assertThat(state(registry)).isEqualTo(SessionSnapshot.State.NOT_SIGNED_IN);
    assertThatThrownBy(() -> background.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
        .cause().isInstanceOf(UserFacingException.class).hasMessageContaining("atmos auth login");
  }

  @Test
  void aClientThatGoesAwayIsTakenOffTheFlow() throws Exception {
    SessionRegistry registry = registry(Duration.ZERO);
    GoneClient client = new GoneClient();
    CompletableFuture<AccessToken> login = registry.accessToken(provider, client);
    await().atMost(Duration.ofSeconds(30)).until(() -> !client.prompts.isEmpty());

    client.disconnect();

    assertThat(login).isCancelled();
    assertThat(registry.pollInterval(provider.sessionKey())).isEmpty();
    assertThat(state(registry)).isEqualTo(SessionSnapshot.State.NOT_SIGNED_IN);
  }

  /** A waiter whose client can disconnect, as AuthEventStream reports a gRPC client gone. */
  private static final class GoneClient implements SignInObserver {
    final List<DeviceAuthorizationPrompt> prompts = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final List<Runnable> onGone = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Override
    public void onDeviceAuthorization(DeviceAuthorizationPrompt prompt) {
      prompts.add(prompt);
    }

    @Override
    public void whenGone(Runnable action) {
      onGone.add(action);
    }

    void disconnect() {
      onGone.forEach(Runnable::run);
    }
  }
}
