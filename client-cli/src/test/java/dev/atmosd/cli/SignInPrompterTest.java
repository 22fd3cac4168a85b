package dev.atmosd.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atmosd.v1.AuthEvent;
import dev.atmosd.v1.DeviceAuthorization;
import dev.atmosd.v1.IdentityInfo;
import dev.atmosd.v1.ProvisioningFinished;
import dev.atmosd.v1.RoleCredentials;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SignInPrompterTest {
  final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
  final Clock clock = Clock.fixed(Instant.parse("2026-11-24T07:00:00Z"), ZoneOffset.UTC);

  SignInPrompter prompter(boolean terminal) {
    return new SignInPrompter(new PrintStream(stderr, true, StandardCharsets.UTF_8), new Terminal(terminal, false),
        new BrowserLauncher(Map.of(), "Linux"), false, clock);
  }

  static List<AuthEvent> events() {
    return List.of(
        AuthEvent.newBuilder().setDeviceAuthorization(DeviceAuthorization.newBuilder().setProvider("sso")
            .setUserCode("WXYZ-1234").setVerificationUri("https://d/").setOpenBrowser(false).setWaiters(2)).build(),
        AuthEvent.newBuilder().setIdentityProvisioned(IdentityInfo.newBuilder().setName("a/X").setAccountId("1")).build(),
        AuthEvent.newBuilder().setIdentityProvisioned(IdentityInfo.newBuilder().setName("b/X").setAccountId("2")).build(),
        AuthEvent.newBuilder().setProvisioningFinished(ProvisioningFinished.newBuilder().setIdentities(2)
            .setAccounts(2).setDurationMillis(500).setAccountsKept(1)).build(),
        AuthEvent.newBuilder().setCredentials(RoleCredentials.newBuilder().setAccessKeyId("ASIA")).build());
  }

  @Test
  void withoutATerminalEveryStepIsAPlainLine() {
    AuthEvent result = prompter(false).follow(events().iterator());
    assertThat(result.getCredentials().getAccessKeyId()).isEqualTo("ASIA");
    assertThat(stderr.toString(StandardCharsets.UTF_8)).isEqualTo(
        "sign-in already in progress (code WXYZ-1234); waiting…\n"
            + "  https://d/\n"
            + "Waiting for sign-in to sso…\n"
            + "  + a/X (account 1)\n"
            + "  + b/X (account 2)\n"
            + "✓ Provisioned 2 identities across 2 accounts (0.5s)\n"
            + "! 1 account(s) could not be listed this time; kept their previous identities\n");
  }

  @Test
  void onATerminalDiscoveryIsOneLiveCounterLine() {
    prompter(true).follow(events().iterator());
    String shown = stderr.toString(StandardCharsets.UTF_8);
    assertThat(shown).contains("\r\u001b[KDiscovering identities… 1 found (1 account)",
        "\r\u001b[KDiscovering identities… 2 found (2 accounts)",
        "\r\u001b[K✓ Provisioned 2 identities across 2 accounts (0.5s)\n");
    assertThat(shown).doesNotContain("  + a/X");
  }

  @Test
  void aClientThatMayNotOpenABrowserAndWaitsAloneIsToldToSignInItself() {
    prompter(false).follow(List.of(AuthEvent.newBuilder().setDeviceAuthorization(DeviceAuthorization.newBuilder()
        .setProvider("sso").setUserCode("WXYZ-1234").setVerificationUriComplete("https://d/?c=WXYZ-1234")
        .setOpenBrowser(false).setWaiters(1)).build()).iterator());
    assertThat(stderr.toString(StandardCharsets.UTF_8)).isEqualTo("Sign in to sso: code WXYZ-1234\n"
        + "  https://d/?c=WXYZ-1234\nOpen the URL above in a browser and confirm the code.\n"
        + "Waiting for sign-in to sso…\n");
  }
}
