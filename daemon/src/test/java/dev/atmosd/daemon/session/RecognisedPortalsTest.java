package dev.atmosd.daemon.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atmosd.emulator.SsoEmulator;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A daemon that restarted knows a saved session as soon as a config names its portal, without a network call. */
class RecognisedPortalsTest {
  @TempDir Path dir;
  private EngineFixture fixture;

  @AfterEach
  void close() throws Exception {
    if (fixture != null) {
      fixture.close();
    }
  }

  @Test
  void aSavedSessionIsShownAndScheduledForRenewalOnceAConfigNamesItsPortal() throws Exception {
    fixture = new EngineFixture(SsoEmulator.builder().autoApprove(true).build().start(), dir);
    SessionRegistry before = fixture.registry();
    before.accessToken(fixture.provider("company-sso"), new RecordingSignInObserver(true)).get(30, TimeUnit.SECONDS);
    before.close();
    SessionRegistry restarted = fixture.registry();
    fixture.emulator.resetCounters();
    assertThat(restarted.snapshot()).isEmpty();

    restarted.recognise(fixture.provider("renamed-sso"));

    assertThat(restarted.snapshot()).singleElement().satisfies(session -> {
      assertThat(session.state()).isEqualTo(SessionSnapshot.State.ACTIVE);
      assertThat(session.nextRefreshAt()).isNotNull();
      assertThat(session.providers()).contains("renamed-sso");
    });
    assertThat(restarted.currentToken(fixture.provider("renamed-sso").sessionKey())).isPresent();
    assertThat(fixture.emulator.counters().values().stream().mapToLong(Long::longValue).sum()).isZero();
  }

  @Test
  void aConfiguredPortalWithNoSavedSessionIsListedAsNotSignedIn() {
    fixture = new EngineFixture(SsoEmulator.builder().autoApprove(true).build().start(), dir);

    SessionRegistry registry = fixture.registry();
    registry.recognise(fixture.provider("company-sso"));

    assertThat(registry.snapshot()).singleElement()
        .satisfies(session -> assertThat(session.state()).isEqualTo(SessionSnapshot.State.NOT_SIGNED_IN));
    assertThat(fixture.emulator.calls("StartDeviceAuthorization")).isZero();
  }
}
