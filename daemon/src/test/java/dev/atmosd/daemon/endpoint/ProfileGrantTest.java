package dev.atmosd.daemon.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atmosd.daemon.config.AtmosConfig;
import dev.atmosd.daemon.config.ConfigLoader;
import dev.atmosd.daemon.config.ConfigRequest;
import dev.atmosd.daemon.credentials.BrokerFixture;
import dev.atmosd.daemon.credentials.MintedCredentials;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An endpoint grant re-resolves its identity from the whole config the client meant (files and profiles), also after
 * the grant went through the grants file: an identity that only a profile defines keeps being served.
 */
class ProfileGrantTest {
  @TempDir Path dir;

  @Test
  void aGrantForAnIdentityFromAProfileIsServedAndSurvivesTheGrantsFile() throws Exception {
    try (BrokerFixture fixture = new BrokerFixture(dir)) {
      Path atmosYaml = dir.resolve("project/atmos.yaml");
      Files.createDirectories(dir.resolve("project/profiles/ci"));
      Files.writeString(atmosYaml, """
          auth:
            providers:
              company-sso:
                kind: aws/iam-identity-center
                start_url: https://d-1234567890.awsapps.com/start
                region: us-east-1
                spec: {endpoint_url: "%s"}
          """.formatted(fixture.emulator.endpoint()));
      Files.writeString(dir.resolve("project/profiles/ci/auth.yaml"), """
          auth:
            identities:
              ci-admin:
                kind: aws/permission-set
                via: {provider: company-sso}
                principal: {name: %s, account: {id: "%s"}}
          """.formatted(BrokerFixture.ADMIN, BrokerFixture.DEV_ACCOUNT));
      ConfigRequest request = new ConfigRequest(List.of(new ConfigRequest.Source(atmosYaml, true)), List.of("ci"),
          dir.resolve("project"));
      ConfigLoader loader = new ConfigLoader(fixture.paths, Map.of());
      AtmosConfig config = loader.load(request, Map.of(), Map.of());
      MintedCredentials signedIn = fixture.credentials(config, "ci-admin");

      CredentialGrant grant = new CredentialGrant("g1", "ci-admin", CredentialGrant.sha256("t"), request, Map.of(),
          null, null, null);
      EndpointGrantsFile file = new EndpointGrantsFile(dir.resolve("grants.json"));
      file.write(1234, List.of(grant));
      CredentialGrant readBack = file.read().orElseThrow().grants().get(0);
      assertThat(readBack.config()).isEqualTo(request);

      MintedCredentials served = new BrokerGrantedCredentials(fixture.broker, loader, Runnable::run)
          .credentials(readBack).join();
      assertThat(served.accessKeyId()).isEqualTo(signedIn.accessKeyId());
    }
  }
}
