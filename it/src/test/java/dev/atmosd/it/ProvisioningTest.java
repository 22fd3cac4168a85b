package dev.atmosd.it;

import static dev.atmosd.it.AtmosSandbox.DEV_ACCOUNT;
import static dev.atmosd.it.AtmosSandbox.PROVIDER;
import static dev.atmosd.it.AtmosSandbox.REGION;
import static dev.atmosd.it.AtmosSandbox.START_URL;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.file.Files;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** auto_provision_identities: sign in once and every account/permission set is an identity, no YAML by hand. */
class ProvisioningTest {

  @Test
  void loginProvisionsIdentitiesThatWorkAndCanBeOverridden() throws Exception {
    try (AtmosSandbox sandbox = AtmosSandbox.create()) {
      sandbox.writeConfig(ConfigYaml.create().ssoProvider(PROVIDER, START_URL, REGION, sandbox.endpoint())
          .autoProvision(PROVIDER));

      CliResult login = sandbox.ok(sandbox.run("auth", "login", "--provider", PROVIDER));

      String output = login.stdout() + login.stderr();
      assertThat(output).as("%s", login).contains("Provisioned 3 identities across 2 accounts")
          .contains("dev/Admin").contains("dev/ReadOnly").contains("prod/Admin");
      var file = sandbox.provisionedFile(PROVIDER);
      assertThat(file).exists();
      assertThat(AtmosSandbox.permissions(file)).isEqualTo("rw-------");
      JsonNode yaml = new YAMLMapper().readTree(Files.readString(file));
      Set<String> names = new TreeSet<>();
      yaml.path("auth").path("identities").fieldNames().forEachRemaining(names::add);
      assertThat(names).containsExactly("dev/Admin", "dev/ReadOnly", "prod/Admin");
      JsonNode devAdmin = yaml.path("auth").path("identities").path("dev/Admin");
      assertThat(devAdmin.path("kind").asText()).isEqualTo("aws/permission-set");
      assertThat(devAdmin.path("principal").path("name").asText()).isEqualTo("Admin");
      assertThat(devAdmin.path("principal").path("account").path("id").asText()).isEqualTo(DEV_ACCOUNT);

      // Usable at once, with no identity written by hand.
      CliResult creds = sandbox.ok(sandbox.run("auth", "credential-process", "--identity", "dev/Admin"));
      assertThat(creds.json().path("Version").asInt()).isEqualTo(1);
      JsonNode who = sandbox.ok(sandbox.run("auth", "whoami", "--identity", "prod/Admin", "--format", "json")).json();
      assertThat(Json.at(who, "account").asText()).isEqualTo(AtmosSandbox.PROD_ACCOUNT);

      // A manual override deep-merges over the provisioned entry: default, and still a dev/ReadOnly permission set.
      sandbox.writeConfig(ConfigYaml.create().ssoProvider(PROVIDER, START_URL, REGION, sandbox.endpoint())
          .autoProvision(PROVIDER).defaultIdentity("dev/ReadOnly"));
      JsonNode list = sandbox.ok(sandbox.run("auth", "list", "--format", "json")).json();
      Map<String, JsonNode> identities = CredentialHandOffTest.byName(Json.at(list, "identities"));
      assertThat(identities).as("%s", list).containsKeys("dev/Admin", "dev/ReadOnly", "prod/Admin");
      JsonNode overridden = identities.get("dev/ReadOnly");
      assertThat(Json.at(overridden, "default").asBoolean()).as("%s", overridden).isTrue();
      assertThat(Json.at(overridden, "kind").asText()).as("%s", overridden).isEqualTo("aws/permission-set");
      assertThat(Json.at(overridden, "principal", "name").asText()).as("%s", overridden).isEqualTo("ReadOnly");
      assertThat(Json.at(overridden, "principal", "account", "name").asText()).as("%s", overridden).isEqualTo("dev");
      assertThat(Json.at(overridden, "atmosd", "provisioned").asBoolean()).as("%s", overridden).isTrue();
      assertThat(Json.at(identities.get("dev/Admin"), "default").asBoolean()).isFalse();
      JsonNode byDefault = sandbox.ok(sandbox.run("auth", "whoami", "--format", "json")).json();
      assertThat(Json.at(byDefault, "identity").asText()).isEqualTo("dev/ReadOnly");
      assertThat(Json.at(byDefault, "arn").asText()).contains("ReadOnly").contains(DEV_ACCOUNT);

      sandbox.runOk("auth", "logout", "--provider", PROVIDER);
      assertThat(file).doesNotExist();
      assertThat(sandbox.sessionFile()).doesNotExist();
    }
  }
}
