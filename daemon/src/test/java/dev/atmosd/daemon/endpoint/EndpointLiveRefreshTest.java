package dev.atmosd.daemon.endpoint;

import static dev.atmosd.daemon.credentials.BrokerFixture.ADMIN;
import static dev.atmosd.daemon.credentials.BrokerFixture.DEV_ACCOUNT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.atmosd.daemon.config.AtmosConfig;
import dev.atmosd.daemon.credentials.BrokerFixture;
import dev.atmosd.daemon.credentials.MintedCredentials;
import dev.atmosd.emulator.SsoEmulator;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;

/**
 * A long job outlives one set of credentials: with short role lifetimes the broker re-mints the granted identity in
 * the background, and the SDK's own container provider picks up the new set from the same grant.
 */
class EndpointLiveRefreshTest {
  @TempDir Path dir;

  @Test
  void theSdkPicksUpCredentialsReMintedInTheBackground() throws Exception {
    try (BrokerFixture fixture = new BrokerFixture(dir,
        SsoEmulator.builder().roleCredentialLifetime(Duration.ofSeconds(3)), Clock.systemUTC())) {
      AtmosConfig config = fixture.config(dir.resolve("atmos.yaml"))
          .permissionSet("dev-admin", "company-sso", ADMIN, DEV_ACCOUNT, null).build();
      MintedCredentials first = fixture.credentials(config, "dev-admin");
      try (ContainerCredentialsEndpoint endpoint = ContainerCredentialsEndpoint.start(0, EndpointLimits.DEFAULT,
          fileWork -> new GrantedCredentials() {
            @Override
            public CompletableFuture<MintedCredentials> credentials(CredentialGrant grant) {
              return fixture.broker.credentialsWithoutSignIn(config, grant.identity());
            }

            @Override
            public AutoCloseable holdFresh(CredentialGrant grant) {
              return fixture.broker.holdFresh(config.source(), grant.identity());
            }
          })) {
        IssuedGrant grant = endpoint.grant(config.source(), java.util.Map.of(), "dev-admin");

        await().atMost(Duration.ofSeconds(60)).until(() -> fixture.emulator.calls("GetRoleCredentials") >= 2);
        AwsCredentials refreshed = ContainerCredentialsEndpointTest.withContainerProperties(grant,
            () -> ContainerCredentialsProvider.builder().build().resolveCredentials());

        assertThat(refreshed.accessKeyId()).isNotEqualTo(first.accessKeyId());
      }
    }
  }
}
