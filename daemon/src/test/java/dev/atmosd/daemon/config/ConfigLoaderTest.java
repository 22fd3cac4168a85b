package dev.atmosd.daemon.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atmosd.daemon.files.DaemonPaths;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir Path dir;

  private DaemonPaths paths() {
    return new DaemonPaths(dir.resolve("cache"), dir.resolve("state"));
  }

  private ConfigLoader loader() {
    return new ConfigLoader(paths(), Map.of());
  }

  private Path write(String name, String yaml) throws IOException {
    return ConfigTestFiles.write(dir, name, yaml);
  }

  private Path provisioned(String provider, String yaml) throws IOException {
    Path file = paths().provisionedIdentitiesFile(provider);
    Files.createDirectories(file.getParent());
    Files.writeString(file, yaml);
    return file;
  }

  private static final String PROVIDER = """
      auth:
        providers:
          company-sso:
            kind: aws/iam-identity-center
            start_url: https://company.awsapps.com/start
            region: us-east-1
      """;

  private static final String PROVISIONED = """
      auth:
          _metadata:
              provider: company-sso
              provisioned_at: "2025-11-22T12:00:00Z"
          identities:
              dev-account/DeveloperRole:
                  kind: aws/permission-set
                  provider: company-sso
                  via:
                      provider: company-sso
                  principal:
                      account:
                          id: "987654321098"
                          name: dev-account
                      name: DeveloperRole
              prod-account/AdminRole:
                  kind: aws/permission-set
                  provider: company-sso
                  via:
                      provider: company-sso
                  principal:
                      account:
                          id: 012345678901
                          name: prod-account
                      name: AdminRole
      """;

  private String messageOf(Path file) {
    try {
      loader().load(file, Map.of());
    } catch (ConfigException e) {
      return e.getMessage();
    }
    throw new AssertionError("expected a ConfigException for " + file);
  }

  @Test
  void readsTheFullSchema() throws IOException {
    Path file = write("atmos.yaml", """
        auth:
          providers:
            company-sso:
              kind: aws/iam-identity-center
              start_url: https://company.awsapps.com/start
              region: eu-west-1
              auto_provision_identities: true
              spec:
                endpoint_url: http://127.0.0.1:4566
              provisioning:
                interval: 1h30m
                parallelism: 4
          identities:
            prod-admin:
              kind: aws/permission-set
              default: true
              via: { provider: company-sso }
              principal:
                name: AdministratorAccess
                account: { name: production }
                region: eu-west-2
              env:
                - key: FOO
                  value: bar
            deployer:
              kind: aws/assume-role
              via: { identity: prod-admin }
              principal:
                assume_role: arn:aws:iam::123456789012:role/deployer
                external_id: ext
                duration: 30m
                session_name: me
              env:
                TF_VAR_x: "1"
        """);
    AtmosConfig config = loader().load(file, Map.of());

    ProviderConfig provider = config.provider("company-sso");
    assertThat(provider.startUrl()).isEqualTo("https://company.awsapps.com/start");
    assertThat(provider.region()).isEqualTo("eu-west-1");
    assertThat(provider.autoProvisionIdentities()).isTrue();
    assertThat(provider.isIdentityCenter()).isTrue();
    assertThat(provider.endpoints().sso()).isEqualTo(URI.create("http://127.0.0.1:4566"));
    assertThat(provider.provisioning()).isEqualTo(new ProviderConfig.ProvisioningSettings(Duration.ofMinutes(90), 4));

    IdentityConfig admin = config.identity("prod-admin");
    assertThat(admin.isDefault()).isTrue();
    assertThat(admin.viaProvider()).isEqualTo("company-sso");
    assertThat(admin.principal().permissionSetName()).isEqualTo("AdministratorAccess");
    assertThat(admin.principal().accountName()).isEqualTo("production");
    assertThat(admin.principal().region()).isEqualTo("eu-west-2");
    assertThat(admin.env()).containsExactly(Map.entry("FOO", "bar"));
    assertThat(admin.provisioned()).isFalse();

    IdentityConfig deployer = config.identity("deployer");
    assertThat(deployer.principal().assumeRoleArn()).isEqualTo("arn:aws:iam::123456789012:role/deployer");
    assertThat(deployer.principal().duration()).isEqualTo(Duration.ofMinutes(30));
    assertThat(deployer.principal().externalId()).isEqualTo("ext");
    assertThat(deployer.principal().sessionName()).isEqualTo("me");
    assertThat(deployer.env()).containsExactly(Map.entry("TF_VAR_x", "1"));

    assertThat(config.chain("deployer")).extracting(IdentityConfig::name).containsExactly("prod-admin", "deployer");
    assertThat(config.rootProvider("deployer").name()).isEqualTo("company-sso");
    assertThat(config.defaultIdentity().name()).isEqualTo("prod-admin");
    assertThat(config.defaultProvider().name()).isEqualTo("company-sso");
    assertThat(config.source()).isEqualTo(file.toAbsolutePath());
  }

  @Test
  void endpointsComeFromTheClientEnvironmentBeforeTheDaemons() throws IOException {
    Path file = write("atmos.yaml", PROVIDER);
    ConfigLoader loader = new ConfigLoader(paths(), Map.of("AWS_ENDPOINT_URL", "http://daemon:1"));
    ProviderConfig fromDaemon = loader.load(file, Map.of()).provider("company-sso");
    ProviderConfig fromClient = loader.load(file, Map.of("AWS_ENDPOINT_URL_SSO_OIDC", "http://client:2"))
        .provider("company-sso");
    assertThat(fromDaemon.endpoints().ssoOidc()).isEqualTo(URI.create("http://daemon:1"));
    assertThat(fromClient.endpoints().ssoOidc()).isEqualTo(URI.create("http://client:2"));
    assertThat(fromClient.endpoints().sso()).isEqualTo(URI.create("http://daemon:1"));
  }

  @Test
  void provisionedIdentitiesMergeBeneathTheHandWrittenFile() throws IOException {
    Path provisionedFile = provisioned("company-sso", PROVISIONED);
    Path file = write("atmos.yaml", PROVIDER + """
          identities:
            dev-account/developerrole:
              default: true
            manual:
              kind: aws/permission-set
              via: { provider: company-sso }
              principal: { name: ReadOnly, account: { id: "111122223333" } }
        """);
    AtmosConfig config = loader().load(file, Map.of());

    IdentityConfig developer = config.identity("dev-account/DeveloperRole");
    assertThat(developer.name()).isEqualTo("dev-account/DeveloperRole");
    assertThat(developer.isDefault()).isTrue();
    assertThat(developer.kind()).isEqualTo(IdentityConfig.KIND_PERMISSION_SET);
    assertThat(developer.viaProvider()).isEqualTo("company-sso");
    assertThat(developer.principal().permissionSetName()).isEqualTo("DeveloperRole");
    assertThat(developer.principal().accountId()).isEqualTo("987654321098");
    assertThat(developer.provisioned()).isTrue();
    assertThat(config.identity("prod-account/AdminRole").principal().accountId())
        .as("an unquoted account id keeps its leading zero").isEqualTo("012345678901");
    assertThat(config.identity("manual").provisioned()).isFalse();
    assertThat(config.defaultIdentity().name()).isEqualTo("dev-account/DeveloperRole");
    assertThat(config.importedFiles()).containsExactly(provisionedFile);
    assertThat(config.provisionedIdentityCount()).isEqualTo(2);
    assertThat(config.warnings()).isEmpty();
  }

  @Test
  void aHandWrittenFieldOverridesTheProvisionedOneAndKeepsTheRest() throws IOException {
    provisioned("company-sso", PROVISIONED);
    Path file = write("atmos.yaml", PROVIDER + """
          identities:
            prod-account/AdminRole:
              principal:
                region: ap-southeast-2
        """);
    IdentityConfig admin = loader().load(file, Map.of()).identity("prod-account/adminrole");
    assertThat(admin.principal().region()).isEqualTo("ap-southeast-2");
    assertThat(admin.principal().permissionSetName()).isEqualTo("AdminRole");
    assertThat(admin.principal().accountName()).isEqualTo("prod-account");
  }

  @Test
  void anOverrideOfAnIdentityNotDiscoveredYetIsAWarningUntilItIs() throws IOException {
    Path file = write("atmos.yaml", """
        auth:
          providers:
            company-sso:
              kind: aws/iam-identity-center
              start_url: https://company.awsapps.com/start
              region: us-east-1
              auto_provision_identities: true
          identities:
            dev-account/DeveloperRole:
              default: true
        """);
    AtmosConfig before = loader().load(file, Map.of());
    assertThat(before.identities()).isEmpty();
    assertThat(before.warnings()).containsExactly(file + ": auth.identities.dev-account/DeveloperRole sets no kind and"
        + " no provisioned identity of that name exists yet: it applies once atmos auth login discovers it");

    provisioned("company-sso", PROVISIONED);
    AtmosConfig after = loader().load(file, Map.of());
    assertThat(after.defaultIdentity().name()).isEqualTo("dev-account/DeveloperRole");
    assertThat(after.warnings()).isEmpty();

    // Without discovery, a kind-less entry is simply incomplete.
    Path manual = write("manual.yaml", PROVIDER + "  identities:\n    x:\n      default: true\n");
    assertThatThrownBy(() -> loader().load(manual, Map.of())).hasMessage(manual
        + ": auth.identities.x.kind: identity kind is required: set kind: aws/permission-set or aws/assume-role");
  }

  @Test
  void anchorsAliasesAndMergeKeysResolveAsInAtmos() throws IOException {
    Path file = write("atmos.yaml", PROVIDER + """
          identities:
            base: &admin
              kind: aws/permission-set
              via: { provider: company-sso }
              principal: &principal { name: AdministratorAccess, account: { id: "111122223333" } }
            staging:
              <<: *admin
              principal:
                <<: *principal
                account: { id: "444455556666" }
            copy: *admin
        """);
    AtmosConfig config = loader().load(file, Map.of());
    assertThat(config.identity("staging").principal().permissionSetName()).isEqualTo("AdministratorAccess");
    assertThat(config.identity("staging").principal().accountId()).isEqualTo("444455556666");
    assertThat(config.identity("staging").viaProvider()).isEqualTo("company-sso");
    assertThat(config.identity("copy").principal().accountId()).isEqualTo("111122223333");
  }

  @Test
  void importsMergeInOrderAndTheFileItselfWins() throws IOException {
    Path provisionedFile = provisioned("company-sso", PROVISIONED);
    Path first = write("conf/a.yaml", """
        auth:
          identities:
            shared:
              kind: aws/permission-set
              via: { provider: company-sso }
              principal: { name: FromA, account: { name: a } }
        """);
    Path second = write("conf/b.yml", """
        import: [nested/c]
        auth:
          identities:
            shared:
              principal: { name: FromB }
        """);
    Path nested = write("conf/nested/c.yaml", """
        auth:
          identities:
            shared:
              principal: { name: FromC, account: { name: c } }
        """);
    Path file = write("atmos.yaml", """
        import:
          - conf/a.yaml
          - conf/b.yml
        """ + PROVIDER + """
          identities:
            shared:
              default: true
        """);
    AtmosConfig config = loader().load(file, Map.of());
    IdentityConfig shared = config.identity("shared");
    assertThat(shared.principal().permissionSetName()).isEqualTo("FromB");
    assertThat(shared.principal().accountName()).isEqualTo("c");
    assertThat(shared.isDefault()).isTrue();
    assertThat(config.importedFiles()).containsExactly(provisionedFile, first, nested, second);
  }

  @Test
  void globImportsExpandInSortedOrderAndAProviderMayComeFromAnImport() throws IOException {
    write("conf.d/20-identity.yaml", """
        auth:
          identities:
            x: { kind: aws/permission-set, via: { provider: imported-sso }, principal: { name: Second, account: { name: a } } }
        """);
    write("conf.d/10-provider.yaml", """
        auth:
          providers:
            imported-sso: { kind: aws/iam-identity-center, start_url: "https://i.awsapps.com/start", region: us-east-2 }
          identities:
            x: { kind: aws/permission-set, via: { provider: imported-sso }, principal: { name: First, account: { name: a } } }
        """);
    provisioned("imported-sso", PROVISIONED.replace("company-sso", "imported-sso"));
    Path file = write("atmos.yaml", "import: [\"conf.d/*.yaml\"]\n");
    AtmosConfig config = loader().load(file, Map.of());
    assertThat(config.identity("x").principal().permissionSetName()).isEqualTo("Second");
    assertThat(config.provider("imported-sso").region()).isEqualTo("us-east-2");
    assertThat(config.identity("dev-account/DeveloperRole").provisioned()).isTrue();
  }

  @Test
  void aCorruptProvisionedFileIsAWarningNotAFailure() throws IOException {
    provisioned("company-sso", "auth:\n  identities: [unclosed\n");
    Path file = write("atmos.yaml", PROVIDER);
    AtmosConfig config = loader().load(file, Map.of());
    assertThat(config.identities()).isEmpty();
    assertThat(config.warnings()).singleElement().asString()
        .startsWith("ignored the provisioned identities of provider company-sso: " + paths().provisionedIdentitiesFile("company-sso"))
        .contains("invalid YAML")
        .endsWith("run atmos auth login --provider company-sso to write it again")
        .doesNotContain("\n");
  }

  @Test
  void anIncompleteProvisionedEntryIsDroppedWithAWarning() throws IOException {
    provisioned("company-sso", PROVISIONED + """
              broken/Role:
                  kind: aws/permission-set
                  via: { provider: company-sso }
      """);
    AtmosConfig config = loader().load(write("atmos.yaml", PROVIDER), Map.of());
    assertThat(config.identities()).containsOnlyKeys("dev-account/DeveloperRole", "prod-account/AdminRole");
    assertThat(config.warnings()).singleElement().asString().contains("ignored 1 incomplete provisioned identity")
        .contains("broken/Role");
  }

  @Test
  void anUnreadableProvisionedFileIsAWarning() throws IOException {
    Path provisionedFile = provisioned("company-sso", PROVISIONED);
    Files.delete(provisionedFile);
    Files.createDirectory(provisionedFile);
    AtmosConfig config = loader().load(write("atmos.yaml", PROVIDER), Map.of());
    assertThat(config.identities()).isEmpty();
    assertThat(config.warnings()).hasSize(1);
  }

  @Test
  void namesWithUnicodeSpacesAndSlashesWork() throws IOException {
    Path file = write("atmos.yaml", """
        auth:
          providers:
            "sso / prod":
              kind: aws/iam-identity-center
              start_url: https://x.awsapps.com/start
              region: us-east-1
          identities:
            "Prod Account/Admin Access":
              kind: aws/permission-set
              via: { provider: "SSO / Prod" }
              principal: { name: AdminAccess, account: { name: "Prod Account" } }
            "Übung/Rôle.ñ":
              kind: aws/assume-role
              via: { identity: "prod account/admin access" }
              principal: { assume_role: "arn:aws:iam::123456789012:role/x" }
        """);
    AtmosConfig config = loader().load(file, Map.of());
    assertThat(config.identity("PROD ACCOUNT/ADMIN ACCESS").name()).isEqualTo("Prod Account/Admin Access");
    assertThat(config.chain("übung/rôle.ñ")).extracting(IdentityConfig::name)
        .containsExactly("Prod Account/Admin Access", "Übung/Rôle.ñ");
    assertThat(config.rootProvider("Übung/Rôle.ñ").name()).isEqualTo("sso / prod");
  }

  @Test
  void unknownNamesSuggestTheNearestOnes() throws IOException {
    AtmosConfig config = loader().load(write("atmos.yaml", PROVIDER + """
          identities:
            prod-admin: { kind: aws/permission-set, via: { provider: company-sso }, principal: { name: A, account: { name: p } } }
            prod-reader: { kind: aws/permission-set, via: { provider: company-sso }, principal: { name: R, account: { name: p } } }
        """), Map.of());
    assertThatThrownBy(() -> config.identity("prod-admn"))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.isNotFound()).isTrue())
        .hasMessage("no identity \"prod-admn\" in " + dir.resolve("atmos.yaml") + ": did you mean \"prod-admin\"?");
    assertThatThrownBy(() -> config.provider("company"))
        .hasMessage("no provider \"company\" in " + dir.resolve("atmos.yaml") + ": did you mean \"company-sso\"?");
    assertThatThrownBy(() -> config.identity("zzzzzzzzzzzz"))
        .hasMessageEndingWith(": the configured identities are listed by atmos auth list");
    assertThatThrownBy(config::defaultIdentity)
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.isNotFound()).isTrue())
        .hasMessage("no default identity: pass --identity or mark one `default: true` in " + dir.resolve("atmos.yaml"));
  }

  @Test
  void severalDefaultsAreRefused() throws IOException {
    AtmosConfig config = loader().load(write("atmos.yaml", PROVIDER + """
            other: { kind: aws/iam-identity-center, start_url: "https://o.awsapps.com/start", region: us-east-1 }
          identities:
            a: { kind: aws/permission-set, default: true, via: { provider: company-sso }, principal: { name: A, account: { name: p } } }
            b: { kind: aws/permission-set, default: true, via: { provider: other }, principal: { name: A, account: { name: p } } }
        """), Map.of());
    assertThatThrownBy(config::defaultIdentity)
        .hasMessage("several default identities (a, b) in " + dir.resolve("atmos.yaml") + ": keep one");
    assertThatThrownBy(config::defaultProvider).hasMessageStartingWith("several providers (company-sso, other) and none");
  }

  // ------------------------------------------------------------------------------------------ one-line errors

  @Test
  void malformedYamlNamesFileLineAndColumn() throws IOException {
    Path file = write("atmos.yaml", "auth:\n  providers:\n    x: [a, b\n  identities: {}\n");
    String message = messageOf(file);
    assertThat(message).startsWith(file + ":").contains("invalid YAML").endsWith(": fix the syntax")
        .doesNotContain("\n").matches(".*atmos\\.yaml:\\d+:\\d+: invalid YAML: .*");
  }

  @Test
  void missingFileAndMissingAuth() throws IOException {
    Path missing = dir.resolve("nope.yaml");
    assertThat(messageOf(missing)).isEqualTo("config file " + missing
        + " does not exist: pass --config or set ATMOS_CLI_CONFIG_PATH to an atmos.yaml");
    // Go's validator accepts an auth section without providers (aws/user, ambient need none).
    Path noAuth = write("atmos.yaml", "components: {}\n");
    assertThat(loader().load(noAuth, Map.of()).providers()).isEmpty();
    Path empty = write("empty.yaml", "");
    assertThat(loader().load(empty, Map.of()).identities()).isEmpty();
  }

  /** spec.discovery as the atmos PRD (docs/prd/sso-role-auto-discovery.md §6) writes it. */
  @Test
  void discoveryFiltersAndNameTemplateAreRead() throws IOException {
    Path file = write("atmos.yaml", """
        auth:
          providers:
            sso:
              kind: aws/iam-identity-center
              start_url: https://x.awsapps.com/start
              region: us-east-1
              auto_provision_identities: true
              spec:
                discovery:
                  filters:
                    accounts: ["production", "stag*"]
                    account_pattern: "^sandbox-[0-9]+$"
                    roles: ["*Admin*"]
                    role_pattern: "ReadOnly"
                  identity_name_template: "{{ .AccountName | lower }}-{{ .RoleName }}"
        """);
    ProviderConfig.ProvisioningSettings settings = loader().load(file, Map.of()).provider("sso").provisioning();

    DiscoveryFilter filter = settings.filter();
    assertThat(filter.admitsAccount("Production", "111111111111")).isTrue();
    assertThat(filter.admitsAccount("staging-eu", "222222222222")).isTrue();
    assertThat(filter.admitsAccount("sandbox-7", "333333333333")).isTrue();
    assertThat(filter.admitsAccount("sandbox-x", "444444444444")).isFalse();
    assertThat(filter.admitsAccount("dev", "555555555555")).isFalse();
    assertThat(filter.admitsRole("AdministratorAccess")).isTrue();
    assertThat(filter.admitsRole("ReadOnlyAccess")).isTrue();
    assertThat(filter.admitsRole("Billing")).isFalse();
    assertThat(settings.nameTemplate().render(new IdentityNameTemplate.Values("Prod", "1", "Admin")))
        .isEqualTo("prod-Admin");
    // Without spec.discovery: everything, named the default way.
    Path plain = write("plain.yaml", "auth:\n  providers:\n    p: { kind: aws/iam-identity-center, start_url: u,"
        + " region: r }\n");
    assertThat(loader().load(plain, Map.of()).provider("p").provisioning())
        .isEqualTo(ProviderConfig.ProvisioningSettings.DEFAULT);
  }

  @Test
  void aBadDiscoverySettingNamesItsField() throws IOException {
    Path file = dir.resolve("atmos.yaml");
    String provider = "auth:\n  providers:\n    p:\n      kind: aws/iam-identity-center\n      start_url: u\n"
        + "      region: r\n      spec:\n        discovery:\n";
    write("atmos.yaml", provider + "          filters: { account_pattern: \"prod-(\" }\n");
    assertThat(messageOf(file)).startsWith(file + ": auth.providers.p.spec.discovery.filters.account_pattern"
        + " \"prod-(\" is not a regular expression (Unclosed group");
    write("atmos.yaml", provider + "          filters: { roles: { a: b } }\n");
    assertThat(messageOf(file)).isEqualTo(file + ": auth.providers.p.spec.discovery.filters.roles must be a list of"
        + " names");
    write("atmos.yaml", provider + "          identity_name_template: \"{{ .Account }}\"\n");
    assertThat(messageOf(file)).isEqualTo(file + ": auth.providers.p.spec.discovery.identity_name_template:"
        + " \".Account\" at column 1 is not a field: use .AccountName, .AccountID or .RoleName");
  }

  @Test
  void providerErrors() throws IOException {
    Path file = dir.resolve("atmos.yaml");
    write("atmos.yaml", "auth:\n  providers:\n    p: { kind: aws/iam-identity-center, region: us-east-1 }\n");
    assertThat(messageOf(file)).isEqualTo(file + ": auth.providers.p.start_url is missing: set it to your AWS access"
        + " portal URL (https://<id>.awsapps.com/start)");
    write("atmos.yaml", "auth:\n  providers:\n    p: { kind: aws/iam-identity-center, start_url: u }\n");
    assertThat(messageOf(file)).isEqualTo(file + ": auth.providers.p.region is missing: set it to the IAM Identity"
        + " Center region (e.g. us-east-1)");
    write("atmos.yaml", "auth:\n  providers:\n    p: { kind: aws/sso, start_url: u, region: r }\n");
    assertThat(messageOf(file)).startsWith(file + ": auth.providers.p.kind: unsupported provider kind: aws/sso: use"
        + " one of atmos/pro, aws/iam-identity-center, aws/saml, azure/cli,");
    write("atmos.yaml", "auth:\n  providers:\n    p: { kind: aws/saml, region: r }\n");
    assertThat(messageOf(file)).isEqualTo(file + ": auth.providers.p.url is missing: url is required for AWS SAML"
        + " provider");
    write("atmos.yaml", "auth:\n  providers:\n    p: { kind: github/oidc }\n");
    assertThat(messageOf(file)).isEqualTo(file + ": auth.providers.p.region is missing: region is required for"
        + " GitHub OIDC provider");
    write("atmos.yaml", "auth:\n  providers:\n    p: { kind: github/oidc, auto_provision_identities: true }\n");
    assertThat(messageOf(file)).isEqualTo(file + ": auth.providers.p.auto_provision_identities needs kind"
        + " aws/iam-identity-center (this provider is github/oidc): remove it");
    write("atmos.yaml", "auth:\n  providers:\n    p: { start_url: u, region: r }\n");
    assertThat(messageOf(file)).isEqualTo(file + ": auth.providers.p.kind: provider kind is required: set kind:"
        + " aws/iam-identity-center (or another kind atmos knows)");
  }

  private String identityError(String identities) throws IOException {
    return messageOf(write("atmos.yaml", PROVIDER + "  identities:\n" + identities));
  }

  @Test
  void identityErrors() throws IOException {
    Path file = dir.resolve("atmos.yaml");
    assertThat(identityError("    i: { kind: aws/iam-user }\n")).startsWith(file + ": auth.identities.i.kind:"
        + " unsupported identity kind: aws/iam-user: use one of ambient, atmos/pro, aws/ambient,");
    assertThat(identityError("    i: { kind: aws/permission-set, via: {}, principal: { name: X, account: { name: a } } }\n"))
        .isEqualTo(file + ": auth.identities.i.via: exactly one of via.provider or via.identity must be set");
    assertThat(identityError("    i: { kind: aws/assume-role, via: { provider: company-sso, identity: j }, principal: { assume_role: arn } }\n"))
        .isEqualTo(file + ": auth.identities.i.via: via.provider and via.identity are mutually exclusive; only one"
            + " can be set");
    assertThat(identityError("    r: { kind: aws/assume-root, via: { identity: j }, principal: { target_principal: \"12\", task_policy_arn: x } }\n"))
        .isEqualTo(file + ": auth.identities.r.principal.target_principal \"12\": target_principal must be a 12-digit"
            + " AWS account ID");
    assertThat(identityError("    r: { kind: aws/assume-root, principal: { target_principal: \"123456789012\", task_policy_arn: arn:aws:iam::aws:policy/Admin } }\n"))
        .isEqualTo(file + ": auth.identities.r.principal.task_policy_arn \"arn:aws:iam::aws:policy/Admin\":"
            + " task_policy_arn must be an AWS-managed root task policy (arn:aws:iam::aws:policy/root-task/...)");
    assertThat(identityError("    i: { kind: aws/permission-set, via: { provider: company-sso }, principal: { account: { id: \"123456789012\" } } }\n"))
        .isEqualTo(file + ": auth.identities.i.principal.name is missing: set the permission set name (e.g. AdministratorAccess)");
    assertThat(identityError("    i: { kind: aws/permission-set, via: { provider: company-sso }, principal: { name: X } }\n"))
        .isEqualTo(file + ": auth.identities.i.principal.account is missing: set account.id (12 digits) or account.name");
    assertThat(identityError("    i: { kind: aws/assume-role, via: { identity: j } }\n    j: { kind: aws/permission-set, via: { provider: company-sso }, principal: { name: X, account: { name: a } } }\n"))
        .isEqualTo(file + ": auth.identities.i.principal.assume_role is missing: set the ARN of the role to assume");
    assertThat(identityError("    i: { kind: aws/permission-set, via: { provider: company-ss }, principal: { name: X, account: { name: a } } }\n"))
        .isEqualTo(file + ": auth.identities.i.via.provider \"company-ss\" is not a configured provider: did you mean \"company-sso\"?");
    assertThat(identityError("    i: { kind: aws/assume-role, via: { identity: nobody }, principal: { assume_role: arn } }\n"))
        .isEqualTo(file + ": auth.identities.i.via.identity \"nobody\" is not a configured identity: add it under"
            + " auth.identities or fix the name");
    assertThat(identityError("    i: { kind: aws/assume-role, via: { identity: j }, principal: { assume_role: arn, duration: soon } }\n    j: { kind: aws/permission-set, via: { provider: company-sso }, principal: { name: X, account: { name: a } } }\n"))
        .isEqualTo(file + ": auth.identities.i.principal.duration \"soon\" is not a duration: use e.g. 1h, 30m, 1h30m or 90s");
  }

  @Test
  void cyclesAreNamed() throws IOException {
    Path file = dir.resolve("atmos.yaml");
    assertThat(identityError("""
            a: { kind: aws/assume-role, via: { identity: b }, principal: { assume_role: arn1 } }
            b: { kind: aws/assume-role, via: { identity: A }, principal: { assume_role: arn2 } }
        """)).isEqualTo(file + ": auth.identities via.identity chain loops: a -> b -> a: point one of them at a"
            + " provider or another identity");
    assertThat(identityError("""
            self: { kind: aws/assume-role, via: { identity: self }, principal: { assume_role: arn1 } }
        """)).contains("chain loops: self -> self:");
  }

  @Test
  void errorsInAnImportedFileNameThatFile() throws IOException {
    Path imported = write("conf/ids.yaml", """
        auth:
          identities:
            i: { kind: aws/permission-set, via: { provider: company-sso }, principal: { name: X } }
        """);
    Path file = write("atmos.yaml", "import: [conf/ids.yaml]\n" + PROVIDER);
    assertThat(messageOf(file)).startsWith(imported + ": auth.identities.i.principal.account is missing");
  }

  @Test
  void anImportThatIsNotFoundIsSkippedWithAWarningAsGoSkipsIt() throws IOException {
    // Go's processImports (pkg/config/imports.go) logs a local import it cannot resolve and goes on.
    Path file = write("atmos.yaml", "import: [conf/missing.yaml]\n" + PROVIDER);

    AtmosConfig config = loader().load(file, Map.of());

    assertThat(config.provider("company-sso")).isNotNull();
    assertThat(config.warnings()).containsExactly(file + ": import \"conf/missing.yaml\" not found ("
        + dir.resolve("conf/missing.yaml") + "): fix the path or remove it from import (atmos skips it)");
  }

  @Test
  void durationsParseLikeGo() {
    assertThat(GoDurations.parse("1h")).isEqualTo(Duration.ofHours(1));
    assertThat(GoDurations.parse("30m")).isEqualTo(Duration.ofMinutes(30));
    assertThat(GoDurations.parse("12h")).isEqualTo(Duration.ofHours(12));
    assertThat(GoDurations.parse("90s")).isEqualTo(Duration.ofSeconds(90));
    assertThat(GoDurations.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(GoDurations.parse("1.5h")).isEqualTo(Duration.ofMinutes(90));
    assertThat(GoDurations.parse("3600")).isEqualTo(Duration.ofHours(1));
    assertThat(GoDurations.parse("1x")).isNull();
    assertThat(GoDurations.parse("h")).isNull();
  }
}
