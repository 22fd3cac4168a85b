package dev.atmosd.daemon.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atmosd.daemon.config.DiscoveryFilter;
import dev.atmosd.daemon.config.IdentityNameTemplate;
import dev.atmosd.daemon.config.ProviderConfig;
import dev.atmosd.daemon.config.ProviderConfig.ProvisioningSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12 item 7, the atmos PRD's phase 2 (docs/prd/sso-role-auto-discovery.md §6): spec.discovery.filters and
 * identity_name_template, applied through the real discovery against the emulator before the file is written.
 */
class DiscoveryFiltersTest {
  @TempDir Path dir;
  private ProvisioningFixture f;

  @AfterEach
  void close() {
    if (f != null) {
      f.close();
    }
  }

  @Test
  void onlyTheFilteredAccountsAndRolesBecomeIdentitiesAndOthersAreNeverListed() throws Exception {
    f = new ProvisioningFixture(dir);
    f.emulator.addAccount("111111111111", "production", "p@example.com", "AdministratorAccess", "ReadOnlyAccess",
        "Billing");
    f.emulator.addAccount("222222222222", "staging", "s@example.com", "AdministratorAccess", "PowerUserAccess");
    f.emulator.addAccount("333333333333", "sandbox-1", "x@example.com", "AdministratorAccess");
    f.emulator.addAccount("444444444444", "dev", "d@example.com", "AdministratorAccess");
    ProviderConfig provider = provider(new DiscoveryFilter(List.of("production", "STAGING"), null,
        List.of("*Admin*"), "^PowerUser"), IdentityNameTemplate.DEFAULT);
    f.signIn(provider);
    f.emulator.resetCounters();

    ProvisioningResult result = f.provision(provider);

    assertThat(names(f.identitiesInFile(provider))).containsExactly(
        "production/AdministratorAccess", "staging/AdministratorAccess", "staging/PowerUserAccess");
    assertThat(result.identities()).isEqualTo(3);
    // The accounts left out cost no ListAccountRoles call (the PRD: "reduces API calls").
    assertThat(f.emulator.calls("ListAccountRoles")).isEqualTo(2);
  }

  @Test
  void aTemplateNamesIdentitiesAndClashesItMakesAreToldApartStably() throws Exception {
    f = new ProvisioningFixture(dir);
    f.emulator.addAccount("111111111111", "Prod EU", "p@example.com", "Admin");
    f.emulator.addAccount("222222222222", "Dev", "d@example.com", "Admin", "ReadOnly");
    ProviderConfig byAccount = provider(DiscoveryFilter.ALL,
        IdentityNameTemplate.parse("{{ .AccountName | lower | replace \" \" \"-\" }}.{{ .RoleName | lower }}"));
    f.signIn(byAccount);

    f.provision(byAccount);
    assertThat(names(f.identitiesInFile(byAccount))).containsExactly("dev.admin", "dev.readonly", "prod-eu.admin");
    JsonNode prod = f.identitiesInFile(byAccount).get("prod-eu.admin");
    assertThat(prod.at("/principal/account/id").asText()).isEqualTo("111111111111");
    assertThat(prod.at("/principal/name").asText()).isEqualTo("Admin");

    // {{ .RoleName }} alone gives two accounts the same name: each gets its id, and keeps it once the clash is gone.
    ProviderConfig byRole = provider(DiscoveryFilter.ALL, IdentityNameTemplate.parse("{{ .RoleName }}"));
    f.provision(byRole);
    assertThat(names(f.identitiesInFile(byRole))).containsExactly(
        "Admin (111111111111)", "Admin (222222222222)", "ReadOnly");
    f.emulator.removeAccount("222222222222");
    ProvisioningResult afterRemoval = f.provision(byRole);
    assertThat(names(f.identitiesInFile(byRole))).containsExactly("Admin (111111111111)");
    assertThat(afterRemoval.added()).isZero();
  }

  private ProviderConfig provider(DiscoveryFilter filter, IdentityNameTemplate template) {
    ProviderConfig plain = f.provider();
    return new ProviderConfig(plain.name(), plain.kind(), plain.startUrl(), plain.region(), false, false,
        plain.endpoints(), new ProvisioningSettings(Duration.ofHours(1), 8, filter, template));
  }

  private static List<String> names(JsonNode identities) {
    List<String> names = new ArrayList<>();
    identities.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
