package dev.atmosd.daemon.credentials;

import static dev.atmosd.daemon.credentials.BrokerFixture.ADMIN;
import static dev.atmosd.daemon.credentials.BrokerFixture.DEV_ACCOUNT;
import static dev.atmosd.daemon.credentials.BrokerFixture.PROD_ACCOUNT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atmosd.daemon.aws.AwsEndpoints;
import dev.atmosd.daemon.config.AtmosConfig;
import dev.atmosd.daemon.rpc.StatusErrors;
import dev.atmosd.daemon.session.SignInObserver;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11 item 10c: AWS saying no is the operation failing (CLI exit 1), never a config error (exit 2), and the line
 * says what AWS answered. Real STS through the emulator; the exit-code contract is atmosd.proto's header.
 */
class AwsRefusalsTest {
  /** atmosd.proto: these, and only these, make the CLI exit 2. */
  private static final List<Status.Code> CONFIG_ERROR_CODES =
      List.of(Status.Code.INVALID_ARGUMENT, Status.Code.NOT_FOUND, Status.Code.FAILED_PRECONDITION);

  @TempDir Path dir;

  @Test
  void aRejectedAssumeRoleIsAFailedOperationQuotingStsCodeAndMessage() throws Exception {
    try (BrokerFixture fixture = new BrokerFixture(dir)) {
      String arn = "arn:aws:iam::" + PROD_ACCOUNT + ":role/deployer";
      AtmosConfig config = config(fixture, arn);
      fixture.emulator.faults().failNext("AssumeRole", 400, "ValidationError", 1);

      StatusRuntimeException failure = failure(fixture, config, "deployer");

      assertThat(failure.getStatus().getCode()).as("%s", failure).isNotIn(CONFIG_ERROR_CODES);
      assertThat(failure.getStatus().getDescription())
          .startsWith("AWS STS refused AssumeRole for 'deployer' (" + arn + "): ValidationError");
    }
  }

  @Test
  void aDeniedAssumeRoleQuotesWhatStsSaid() throws Exception {
    try (BrokerFixture fixture = new BrokerFixture(dir)) {
      String arn = "arn:aws:iam::" + PROD_ACCOUNT + ":role/forbidden";
      fixture.emulator.denyAssumeRole(arn);
      AtmosConfig config = config(fixture, arn);

      StatusRuntimeException failure = failure(fixture, config, "deployer");

      assertThat(failure.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
      // The emulator words its 403 as STS does: "User: <caller arn> is not authorized to perform: sts:AssumeRole ...".
      assertThat(failure.getStatus().getDescription())
          .startsWith("AWS STS refused AssumeRole for 'deployer' (" + arn + "): AccessDenied: User: ")
          .contains("is not authorized")
          .doesNotContain("\n");
    }
  }

  @Test
  void aPortalEndpointAnswering404NamesItselfInsteadOfBlamingTheAssignment() throws Exception {
    try (BrokerFixture fixture = new BrokerFixture(dir)) {
      URI good = fixture.emulator.endpoint();
      URI wrong = URI.create(good + "/not-sso");
      AtmosConfig config = new ConfigFixtures(dir.resolve("atmos.yaml"))
          .providerWithEndpoints("company-sso", new AwsEndpoints(good, wrong, good))
          .permissionSet("dev-admin", "company-sso", ADMIN, DEV_ACCOUNT, null)
          .build();

      StatusRuntimeException failure = failure(fixture, config, "dev-admin");

      assertThat(failure.getStatus().getCode()).as("%s", failure).isNotIn(CONFIG_ERROR_CODES);
      assertThat(failure.getStatus().getDescription())
          .startsWith("the IAM Identity Center endpoint " + wrong + " answered HTTP 404 to GetRoleCredentials for "
              + "identity 'dev-admin': check AWS_ENDPOINT_URL_SSO")
          .doesNotContain("no permission set");
    }
  }

  private AtmosConfig config(BrokerFixture fixture, String roleArn) {
    return fixture.config(dir.resolve("atmos.yaml"))
        .permissionSet("dev-admin", "company-sso", ADMIN, DEV_ACCOUNT, null)
        .assumeRole("deployer", "dev-admin", roleArn)
        .build();
  }

  private static StatusRuntimeException failure(BrokerFixture fixture, AtmosConfig config, String identity) {
    CompletableFuture<MintedCredentials> request = fixture.broker.credentials(config, identity, SignInObserver.NOBODY);
    assertThatThrownBy(request::join).isNotNull();
    return StatusErrors.toStatus(request.handle((ok, e) -> e).join());
  }
}
