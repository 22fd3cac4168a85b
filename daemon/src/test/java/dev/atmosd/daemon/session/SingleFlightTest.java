package dev.atmosd.daemon.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.atmosd.daemon.config.ProviderConfig;
import dev.atmosd.emulator.SsoEmulator;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** However many callers ask at once, a portal gets one device flow, one browser, and everybody gets the token. */
class SingleFlightTest {
  @TempDir Path dir;
  private EngineFixture fixture;

  private EngineFixture fixture(boolean autoApprove) {
    SsoEmulator emulator = SsoEmulator.builder().autoApprove(autoApprove).build();
    emulator.start();
    fixture = new EngineFixture(emulator, dir);
    return fixture;
  }

  @AfterEach
  void close() throws Exception {
    if (fixture != null) {
      fixture.close();
    }
  }

  @Test
  void fiftyCallersOnThreeProvidersShareOneDeviceFlowAndOneBrowser() throws Exception {
    EngineFixture f = fixture(false);
    SessionRegistry registry = f.registry();
    List<ProviderConfig> providers = List.of(f.provider("company-sso"), f.provider("renamed-sso"), f.provider("third"));
    List<RecordingSignInObserver> observers = new ArrayList<>();
    List<CompletableFuture<AccessToken>> tokens = new ArrayList<>();
    ExecutorService clients = Executors.newFixedThreadPool(50);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<CompletableFuture<CompletableFuture<AccessToken>>> calls = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        RecordingSignInObserver observer = new RecordingSignInObserver(true);
        observers.add(observer);
        ProviderConfig provider = providers.get(i % providers.size());
        calls.add(CompletableFuture.supplyAsync(() -> {
          try {
            go.await();
          } catch (InterruptedException e) {
            throw new IllegalStateException(e);
          }
          return registry.accessToken(provider, observer);
        }, clients));
      }
      go.countDown();
      for (CompletableFuture<CompletableFuture<AccessToken>> call : calls) {
        tokens.add(call.get(30, TimeUnit.SECONDS));
      }
      await().atMost(Duration.ofSeconds(30)).until(() -> f.emulator.pendingUserCodes().size() == 1);
      await().atMost(Duration.ofSeconds(30)).until(() -> observers.stream().allMatch(o -> !o.prompts.isEmpty()));
      String userCode = f.emulator.pendingUserCodes().get(0);
      f.emulator.approve(userCode);

      List<String> values = new ArrayList<>();
      for (CompletableFuture<AccessToken> token : tokens) {
        values.add(token.get(30, TimeUnit.SECONDS).value());
      }
      assertThat(values).hasSize(50).containsOnly(values.get(0));
      assertThat(f.calls("RegisterClient")).isEqualTo(1);
      assertThat(f.calls("StartDeviceAuthorization")).isEqualTo(1);
      assertThat(observers.stream().filter(RecordingSignInObserver::toldToOpenBrowser).count()).isEqualTo(1);
      assertThat(observers).allSatisfy(o -> assertThat(o.prompts.get(0).userCode()).isEqualTo(userCode));
      assertThat(registry.snapshot()).singleElement().satisfies(s -> {
        assertThat(s.providers()).containsExactlyInAnyOrder("company-sso", "renamed-sso", "third");
        assertThat(s.state()).isEqualTo(SessionSnapshot.State.ACTIVE);
        assertThat(s.hasRefreshToken()).isTrue();
      });
      // Asked again, every provider is answered from memory.
      long createTokens = f.calls("CreateToken");
      assertThat(registry.accessToken(providers.get(2), SignInObserver.NOBODY).get().value()).isEqualTo(values.get(0));
      assertThat(f.calls("CreateToken")).isEqualTo(createTokens);
    } finally {
      clients.shutdownNow();
    }
  }

  @Test
  void theBrowserGoesToTheFirstWaiterThatMayOpenOneAndLateJoinersSeeThePromptAtOnce() throws Exception {
    EngineFixture f = fixture(false);
    SessionRegistry registry = f.registry();
    ProviderConfig provider = f.provider("company-sso");
    RecordingSignInObserver headless = new RecordingSignInObserver(false);
    CompletableFuture<AccessToken> first = registry.accessToken(provider, headless);
    await().until(() -> !headless.prompts.isEmpty());
    assertThat(headless.prompts.get(0).openBrowser()).isFalse();
    assertThat(registry.snapshot().get(0).state()).isEqualTo(SessionSnapshot.State.SIGNING_IN);

    // Nobody could open the browser so far: the first later waiter that can is told to.
    RecordingSignInObserver desktop = new RecordingSignInObserver(true);
    CompletableFuture<AccessToken> second = registry.accessToken(provider, desktop);
    assertThat(desktop.prompts).singleElement().satisfies(p -> {
      assertThat(p.openBrowser()).isTrue();
      assertThat(p.waiters()).isEqualTo(2);
      assertThat(p.userCode()).isEqualTo(headless.prompts.get(0).userCode());
    });
    RecordingSignInObserver another = new RecordingSignInObserver(true);
    CompletableFuture<AccessToken> third = registry.accessToken(provider, another);
    assertThat(another.prompts).singleElement().satisfies(p -> assertThat(p.openBrowser()).isFalse());

    f.emulator.approveAllPending();
    assertThat(first.get(30, TimeUnit.SECONDS)).isEqualTo(second.get(30, TimeUnit.SECONDS))
        .isEqualTo(third.get(30, TimeUnit.SECONDS));
    assertThat(f.calls("StartDeviceAuthorization")).isEqualTo(1);
  }

  @Test
  void cancellingEveryWaiterStopsThePollAndRestoresThePreviousState() throws Exception {
    EngineFixture f = fixture(false);
    ScheduledThreadPoolExecutor scheduler = EngineFixture.inspectableScheduler();
    // No grace period: the flow ends as the last waiter leaves (AbandonedSignInTest covers the grace).
    SessionRegistry registry = f.registry(Clock.systemUTC(), scheduler, RefreshSchedule.DEFAULT, Duration.ZERO);
    ProviderConfig provider = f.provider("company-sso");
    RecordingSignInObserver one = new RecordingSignInObserver(true);
    RecordingSignInObserver two = new RecordingSignInObserver(false);
    CompletableFuture<AccessToken> first = registry.accessToken(provider, one);
    CompletableFuture<AccessToken> second = registry.accessToken(provider, two);
    await().until(() -> !one.prompts.isEmpty() && !two.prompts.isEmpty());
    String key = provider.sessionKey();

    first.cancel(true);
    assertThat(registry.pollInterval(key)).as("one waiter remains, so the flow goes on").isPresent();
    assertThat(second).isNotDone();

    second.cancel(true);
    assertThat(registry.pollInterval(key)).isEmpty();
    assertThat(scheduler.getQueue()).as("no poll is scheduled any more").isEmpty();
    assertThat(registry.snapshot().get(0).state()).isEqualTo(SessionSnapshot.State.NOT_SIGNED_IN);
    assertThatThrownBy(() -> second.get()).isInstanceOf(CancellationException.class);

    // The next caller starts a new flow rather than joining the dead one.
    RecordingSignInObserver three = new RecordingSignInObserver(true);
    CompletableFuture<AccessToken> third = registry.accessToken(provider, three);
    await().until(() -> !three.prompts.isEmpty());
    assertThat(three.prompts.get(0).userCode()).isNotEqualTo(one.prompts.get(0).userCode());
    assertThat(three.toldToOpenBrowser()).isTrue();
    f.emulator.approve(three.prompts.get(0).userCode());
    assertThat(third.get(30, TimeUnit.SECONDS).value()).isNotBlank();
    assertThat(f.calls("RegisterClient")).as("the registration of the cancelled flow is reused").isEqualTo(1);
  }

  @Test
  void aSecondSignInReusesTheClientRegistration() throws Exception {
    EngineFixture f = fixture(true);
    SessionRegistry registry = f.registry();
    ProviderConfig provider = f.provider("company-sso");
    AccessToken first = registry.accessToken(provider, new RecordingSignInObserver(true)).get(30, TimeUnit.SECONDS);
    RecordingSignInObserver observer = new RecordingSignInObserver(true);
    AccessToken second = registry.signInAgain(provider, observer).get(30, TimeUnit.SECONDS);

    assertThat(second.value()).isNotEqualTo(first.value());
    assertThat(observer.prompts).isNotEmpty();
    assertThat(f.calls("StartDeviceAuthorization")).isEqualTo(2);
    assertThat(f.calls("RegisterClient")).isEqualTo(1);
    assertThat(registry.currentToken(provider.sessionKey())).contains(second);
  }

  @Test
  void listenersHearAboutSignInsButNotMemoryHits() throws Exception {
    EngineFixture f = fixture(true);
    SessionRegistry registry = f.registry();
    List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();
    registry.addListener(new PortalSessions.SessionListener() {
      @Override
      public void onSignedIn(ProviderConfig provider, AccessToken token) {
        events.add("signed-in " + provider.name());
      }

      @Override
      public void onRefreshed(ProviderConfig provider, AccessToken token) {
        events.add("refreshed " + provider.name());
      }
    });
    registry.accessToken(f.provider("company-sso"), SignInObserver.NOBODY).get(30, TimeUnit.SECONDS);
    registry.accessToken(f.provider("company-sso"), SignInObserver.NOBODY).get(30, TimeUnit.SECONDS);
    assertThat(events).containsExactly("signed-in company-sso");
  }
}
