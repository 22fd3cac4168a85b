package dev.atmosd.it;

import static dev.atmosd.it.AtmosSandbox.DEPLOYER_ROLE_ARN;
import static dev.atmosd.it.AtmosSandbox.DEV_ACCOUNT;
import static dev.atmosd.it.AtmosSandbox.PROVIDER;
import static dev.atmosd.it.AtmosSandbox.REGION;
import static dev.atmosd.it.AtmosSandbox.START_URL;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Issue 11 item 8: a hand-written aws/assume-role on a provisioned identity must not lock the user out once logout has
 * removed the provisioned file; the reference is a warning until discovery has run again.
 */
class ProvisionedReferenceTest {

  @Test
  void anAssumeRoleOnAProvisionedNameSurvivesLogoutAndLoginBringsItBack() {
    try (AtmosSandbox sandbox = AtmosSandbox.create()) {
      sandbox.writeConfig(ConfigYaml.create().ssoProvider(PROVIDER, START_URL, REGION, sandbox.endpoint())
          .autoProvision(PROVIDER)
          .assumeRole("deployer", "dev/Admin", DEPLOYER_ROLE_ARN));

      // Before any discovery: valid, with the warning naming the reference and the way out.
      CliResult fresh = sandbox.run("auth", "validate");
      assertThat(fresh.exitCode()).as("%s", fresh).isZero();
      assertThat(fresh.stderr()).contains("auth.identities.deployer.via.identity \"dev/Admin\" is not configured yet")
          .contains("atmos auth login --provider " + PROVIDER);

      sandbox.ok(sandbox.run("auth", "login", "--provider", PROVIDER));
      CliResult works = sandbox.ok(sandbox.run("auth", "whoami", "--identity", "deployer"));
      assertThat(works.stdout()).contains(DEV_ACCOUNT);

      sandbox.runOk("auth", "logout", "--provider", PROVIDER);
      assertThat(sandbox.provisionedFile(PROVIDER)).doesNotExist();

      // The config still loads, and login, the command that brings dev/Admin back, runs.
      CliResult afterLogout = sandbox.run("auth", "validate");
      assertThat(afterLogout.exitCode()).as("%s", afterLogout).isZero();
      sandbox.ok(sandbox.run("auth", "login", "--provider", PROVIDER));
      assertThat(sandbox.provisionedFile(PROVIDER)).exists();
      assertThat(sandbox.ok(sandbox.run("auth", "whoami", "--identity", "deployer")).stdout()).contains(DEV_ACCOUNT);
    }
  }
}
