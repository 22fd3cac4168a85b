package dev.atmosd.daemon.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atmosd.daemon.rpc.UserFacingException;
import dev.atmosd.emulator.SsoEmulator;
import io.grpc.Status;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Background work uses sessions that exist; it never starts a device flow whose code nobody would see. */
class BackgroundCallersTest {
  @TempDir Path dir;
  private EngineFixture fixture;

  @AfterEach
  void close() throws Exception {
    if (fixture != null) {
      fixture.close();
    }
  }

  @Test
  void aBackgroundCallerWithNoSessionIsToldToSignInAndNoDeviceFlowStarts() {
    fixture = new EngineFixture(SsoEmulator.builder().autoApprove(true).build().start(), dir);

    assertThatThrownBy(() -> fixture.registry().accessToken(fixture.provider("company-sso"), SignInObserver.BACKGROUND)
            .get(30, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOfSatisfying(UserFacingException.class, e -> {
          assertThat(e.status().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
          assertThat(e.getMessage()).isEqualTo("no SSO session for company-sso: run `atmos auth login --provider company-sso`");
        });
    assertThat(fixture.emulator.calls("StartDeviceAuthorization")).isZero();
    assertThat(fixture.emulator.calls("RegisterClient")).isZero();
  }

  @Test
  void aBackgroundCallerUsesTheSessionAnInteractiveCallerSignedIn() throws Exception {
    fixture = new EngineFixture(SsoEmulator.builder().autoApprove(true).build().start(), dir);
    AccessToken signedIn = fixture.registry().accessToken(fixture.provider("company-sso"), new RecordingSignInObserver(true))
        .get(30, TimeUnit.SECONDS);

    AccessToken background = fixture.registry().accessToken(fixture.provider("company-sso"), SignInObserver.BACKGROUND)
        .get(30, TimeUnit.SECONDS);

    assertThat(background.value()).isEqualTo(signedIn.value());
    assertThat(fixture.emulator.calls("StartDeviceAuthorization")).isEqualTo(1);
  }
}
