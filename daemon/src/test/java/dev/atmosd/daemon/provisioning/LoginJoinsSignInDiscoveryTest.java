package dev.atmosd.daemon.provisioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.atmosd.daemon.config.ProviderConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A login signs in (which starts a discovery) and then asks for the discovery to stream it: it must get that
 * discovery, however fast it finished, instead of listing the whole portal a second time.
 */
class LoginJoinsSignInDiscoveryTest {
  @TempDir Path dir;

  @Test
  void theLoginThatCausedASignInGetsThatSignInsDiscovery() throws Exception {
    try (ProvisioningFixture f = new ProvisioningFixture(dir)) {
      f.emulator.addAccount("111111111111", "dev", "dev@example.com", "Admin", "ReadOnly");
      f.emulator.addAccount("222222222222", "prod", "prod@example.com", "Admin");
      ProviderConfig provider = f.provider("company-sso", 8, Duration.ofHours(1), true);

      f.signIn(provider);
      await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(f.file(provider)));
      await().atMost(Duration.ofSeconds(30)).until(() -> f.discovery.counters().discoveries() == 1);
      long listingsAfterSignIn = f.emulator.calls("ListAccounts");

      RecordingDiscoveryObserver login = new RecordingDiscoveryObserver();
      ProvisioningResult result = f.discovery.provision(provider, login).get(30, TimeUnit.SECONDS);

      assertThat(login.names()).containsExactlyInAnyOrder("dev/Admin", "dev/ReadOnly", "prod/Admin");
      assertThat(result.identities()).isEqualTo(3);
      assertThat(f.emulator.calls("ListAccounts")).isEqualTo(listingsAfterSignIn);
      assertThat(f.discovery.counters().discoveries()).isEqualTo(1);
    }
  }

  @Test
  void anExplicitProvisionWithoutAFreshSignInStillListsThePortalAgain() throws Exception {
    try (ProvisioningFixture f = new ProvisioningFixture(dir)) {
      f.emulator.addAccount("111111111111", "dev", "dev@example.com", "Admin");
      ProviderConfig provider = f.provider();
      f.signIn(provider);
      f.provision(provider);
      long listings = f.emulator.calls("ListAccounts");

      f.provision(provider);

      assertThat(f.emulator.calls("ListAccounts")).isGreaterThan(listings);
    }
  }
}
