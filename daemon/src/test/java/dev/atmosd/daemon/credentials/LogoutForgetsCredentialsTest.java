package dev.atmosd.daemon.credentials;

import static dev.atmosd.daemon.credentials.BrokerFixture.ADMIN;
import static dev.atmosd.daemon.credentials.BrokerFixture.DEV_ACCOUNT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atmosd.daemon.config.AtmosConfig;
import dev.atmosd.daemon.config.ProviderConfig;
import java.nio.file.Path;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** As with `aws sso logout`, credentials obtained with a session are not handed out once it is signed out. */
class LogoutForgetsCredentialsTest {
  @TempDir Path dir;

  @Test
  void afterLogoutTheSameIdentityNeedsANewSignIn() throws Exception {
    try (BrokerFixture fixture = new BrokerFixture(dir)) {
      AtmosConfig config = fixture.config(dir.resolve("atmos.yaml"))
          .permissionSet("dev-admin", "company-sso", ADMIN, DEV_ACCOUNT, null).build();
      ProviderConfig provider = config.provider("company-sso");
      MintedCredentials before = fixture.credentials(config, "dev-admin");

      fixture.sessions.logout(provider);

      assertThat(fixture.broker.cachedStatus(config, "dev-admin").state())
          .isEqualTo(CredentialBroker.CachedState.UNKNOWN);
      assertThatThrownBy(() -> fixture.broker.credentialsWithoutSignIn(config, "dev-admin").join())
          .isInstanceOf(CompletionException.class)
          .hasMessageContaining("atmos auth login");
      MintedCredentials after = fixture.credentials(config, "dev-admin");
      assertThat(after.accessKeyId()).isNotEqualTo(before.accessKeyId());
      assertThat(fixture.emulator.calls("StartDeviceAuthorization")).isEqualTo(2);
    }
  }
}
