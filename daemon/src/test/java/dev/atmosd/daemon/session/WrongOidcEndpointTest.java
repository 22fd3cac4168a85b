package dev.atmosd.daemon.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atmosd.daemon.aws.AwsEndpoints;
import dev.atmosd.daemon.config.ProviderConfig;
import dev.atmosd.daemon.rpc.StatusErrors;
import dev.atmosd.daemon.rpc.UserFacingException;
import dev.atmosd.emulator.SsoEmulator;
import io.grpc.Status;
import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11 item 10c: an SSO OIDC endpoint that answers HTTP 404 (AWS_ENDPOINT_URL_SSO_OIDC pointed at the wrong path)
 * never refused a sign-in: the line says the endpoint answered 404 and what to check, and the CLI exits 1
 * (UNAVAILABLE), not 2. A real emulator over HTTP, the real SDK.
 */
class WrongOidcEndpointTest {
  @TempDir Path dir;

  @Test
  void aNotFoundOidcEndpointNamesItselfAndIsNotAConfigError() throws Exception {
    try (EngineFixture fixture = new EngineFixture(SsoEmulator.builder().autoApprove(true).build().start(), dir)) {
      URI good = fixture.emulator.endpoint();
      URI wrong = URI.create(good + "/not-oidc");
      ProviderConfig provider = new ProviderConfig("company-sso", ProviderConfig.KIND_IDENTITY_CENTER,
          EngineFixture.START_URL, EngineFixture.REGION, false, false, new AwsEndpoints(wrong, good, good),
          ProviderConfig.ProvisioningSettings.DEFAULT);

      CompletableFuture<AccessToken> signIn = fixture.registry().accessToken(provider, new RecordingSignInObserver(true));
      assertThatThrownBy(signIn::join).isNotNull();
      Throwable failure = StatusErrors.unwrap(signIn.handle((ok, e) -> e).join());

      assertThat(failure).isInstanceOf(UserFacingException.class);
      assertThat(((UserFacingException) failure).status().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
      assertThat(failure.getMessage())
          .startsWith("the SSO OIDC endpoint " + wrong + " answered HTTP 404: check AWS_ENDPOINT_URL_SSO_OIDC")
          .doesNotContain("refused the sign-in");
    }
  }
}
