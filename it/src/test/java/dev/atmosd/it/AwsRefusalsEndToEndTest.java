package dev.atmosd.it;

import static dev.atmosd.it.AtmosSandbox.DEPLOYER;
import static dev.atmosd.it.AtmosSandbox.DEPLOYER_ROLE_ARN;
import static dev.atmosd.it.AtmosSandbox.PROVIDER;
import static dev.atmosd.it.AtmosSandbox.REGION;
import static dev.atmosd.it.AtmosSandbox.START_URL;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 11 items 10a and 10c through the real CLI, daemon and emulator: AWS saying no exits 1 (README's exit-code
 * table) with what AWS answered; signing one provider out names the others that shared its portal session.
 */
class AwsRefusalsEndToEndTest {
  private AtmosSandbox sandbox;

  @BeforeEach
  void start() {
    sandbox = AtmosSandbox.create();
    sandbox.runOk("daemon", "start"); // so stderr holds only each command's own lines
  }

  @AfterEach
  void close() {
    AtmosSandbox.closeIfCreated(sandbox);
  }

  @Test
  void anAssumeRoleStsRejectsExitsOneQuotingSts() {
    sandbox.runOk("auth", "login");
    sandbox.emulator().faults().failNext("AssumeRole", 400, "ValidationError", 1);

    CliResult whoami = sandbox.run("auth", "whoami", "-i", DEPLOYER);

    assertThat(whoami.exitCode()).as("%s", whoami).isEqualTo(1);
    assertThat(whoami.lastStderrLine()).as("%s", whoami)
        .contains("AWS STS refused AssumeRole for '" + DEPLOYER + "' (" + DEPLOYER_ROLE_ARN + "): ValidationError");
  }

  @Test
  void aDeniedAssumeRoleExitsOneWithStsOwnWords() {
    sandbox.runOk("auth", "login");
    sandbox.emulator().denyAssumeRole(DEPLOYER_ROLE_ARN);

    CliResult whoami = sandbox.run("auth", "whoami", "-i", DEPLOYER);

    assertThat(whoami.exitCode()).as("%s", whoami).isEqualTo(1);
    assertThat(whoami.lastStderrLine()).as("%s", whoami)
        .contains("AWS STS refused AssumeRole for '" + DEPLOYER + "' (" + DEPLOYER_ROLE_ARN + "): AccessDenied: User: ")
        .contains("is not authorized");
  }

  @Test
  void anOidcEndpointAnswering404ExitsOneNamingTheEndpoint() {
    sandbox.writeConfig(ConfigYaml.create().ssoProvider("q", START_URL, REGION, null));
    String wrong = sandbox.endpoint() + "/not-oidc";

    CliResult login = sandbox.run(Map.of("AWS_ENDPOINT_URL_SSO_OIDC", wrong,
        "AWS_ENDPOINT_URL_SSO", sandbox.endpoint(), "AWS_ENDPOINT_URL_STS", sandbox.endpoint()), "auth", "login");

    assertThat(login.exitCode()).as("%s", login).isEqualTo(1);
    assertThat(login.lastStderrLine()).as("%s", login)
        .contains("the SSO OIDC endpoint " + wrong + " answered HTTP 404: check AWS_ENDPOINT_URL_SSO_OIDC")
        .doesNotContain("refused the sign-in");
  }

  @Test
  void loggingOutOneProviderNamesTheOthersOnItsPortal() {
    sandbox.writeConfig(ConfigYaml.create()
        .ssoProvider(PROVIDER, START_URL, REGION, sandbox.endpoint())
        .ssoProvider("p-admin", START_URL, REGION, sandbox.endpoint())
        .ssoProvider("elsewhere", "https://d-0000000000.awsapps.com/start", REGION, sandbox.endpoint()));
    sandbox.runOk("auth", "login", "--provider", PROVIDER);

    CliResult logout = sandbox.runOk("auth", "logout", "--provider", PROVIDER);

    assertThat(logout.stderr()).as("%s", logout).contains("also signed out: p-admin (same portal)")
        .doesNotContain("elsewhere");
  }
}
