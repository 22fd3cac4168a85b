package dev.atmosd.daemon.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atmosd.daemon.files.DaemonPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every kind the Go atmos accepts loads into a typed record (cloudposse/atmos pkg/auth/factory/factory.go,
 * pkg/auth/types/constants.go, pkg/auth/validation/validator.go), and a kind atmosd does not run is marked, not
 * refused.
 */
class AuthKindsParsingTest {
  @TempDir Path dir;

  private final DaemonPaths paths() {
    return new DaemonPaths(dir.resolve("cache"), dir.resolve("state"));
  }

  private AtmosConfig load(String yaml) throws IOException {
    Path file = dir.resolve("atmos.yaml");
    Files.writeString(file, yaml);
    return new ConfigLoader(paths(), Map.of()).load(file, Map.of());
  }

  private static final String EVERY_KIND = """
      auth:
        providers:
          company-sso:
            kind: aws/iam-identity-center
            start_url: https://company.awsapps.com/start
            region: us-east-1
            session: { duration: 8h }
            console: { session_duration: 2h }
          okta:
            kind: aws/saml
            url: https://company.okta.com/app/amazon_aws/abc/sso/saml
            region: us-east-1
            username: me
            password: hunter2
          github:
            kind: github/oidc
            region: us-west-2
            spec: { audience: sts.amazonaws.com }
          azure: { kind: azure/cli, spec: { tenant_id: t } }
          gcp: { kind: gcp/adc, spec: { project_id: p } }
          mock: { kind: mock }
        identities:
          dev:
            kind: aws/permission-set
            via: { provider: company-sso }
            principal: { name: Dev, account: { name: dev } }
            alias: developer
            tags: [dev, team-a]
            required: true
            default: true
            unknown_key_go_ignores: 1
          deploy:
            kind: aws/assume-role
            via: { identity: dev }
            principal: { assume_role: "arn:aws:iam::123456789012:role/Deploy" }
            session: { duration: 2h }
          root:
            kind: aws/assume-root
            via: { identity: dev }
            principal:
              target_principal: "123456789012"
              task_policy_arn: arn:aws:iam::aws:policy/root-task/IAMDeleteRootUserCredentials
              duration: 15m
          me:
            kind: aws/user
            credentials:
              access_key_id: AKIAEXAMPLE
              secret_access_key: very-secret
              region: eu-west-1
              mfa_arn: arn:aws:iam::123456789012:mfa/me
            session: { duration: 12h }
          pod: { kind: aws/ambient, principal: { region: us-east-2 } }
          anything: { kind: ambient }
          sub: { kind: azure/subscription, via: { provider: azure }, principal: { subscription_id: s } }
          sa: { kind: gcp/service-account, via: { provider: gcp }, principal: { service_account_email: a@b } }
          ci: { kind: aws/assume-role, via: { provider: github }, principal: { assume_role: "arn:aws:iam::1:role/Ci" } }
          fake: { kind: mock, via: { provider: mock } }
      """;

  @Test
  void everyGoKindLoadsTyped() throws IOException {
    AtmosConfig config = load(EVERY_KIND);

    ProviderConfig sso = config.provider("company-sso");
    assertThat(sso.runByAtmosd()).isTrue();
    assertThat(sso.sessionDuration()).isEqualTo(Duration.ofHours(8));
    assertThat(sso.consoleSessionDuration()).isEqualTo(Duration.ofHours(2));
    ProviderConfig okta = config.provider("okta");
    assertThat(okta.startUrl()).isEqualTo("https://company.okta.com/app/amazon_aws/abc/sso/saml");
    assertThat(okta.definition()).containsKey("username").doesNotContainKey("password");
    assertThat(okta.notRunReason()).isEqualTo("atmosd accepts provider kind aws/saml but does not run it: use the Go"
        + " atmos for it, or an aws/iam-identity-center provider");
    ProviderConfig github = config.provider("github");
    assertThat(github.region()).isEqualTo("us-west-2");
    assertThat(github.audience()).isEqualTo("sts.amazonaws.com");
    assertThat(github.spec()).containsEntry("audience", "sts.amazonaws.com");
    assertThat(config.provider("azure").runByAtmosd()).isFalse();

    IdentityConfig dev = config.identity("dev");
    assertThat(dev.alias()).isEqualTo("developer");
    assertThat(dev.tags()).containsExactly("dev", "team-a");
    assertThat(dev.required()).isTrue();
    assertThat(dev.isDefault()).isTrue();
    assertThat(dev.runByAtmosd()).isTrue();
    assertThat(dev.definition()).containsEntry("alias", "developer").containsKey("unknown_key_go_ignores");

    assertThat(config.identity("deploy").sessionDuration()).isEqualTo(Duration.ofHours(2));

    IdentityConfig root = config.identity("root");
    assertThat(root.rootPrincipal()).isEqualTo(new IdentityConfig.AssumeRootPrincipal("123456789012",
        "arn:aws:iam::aws:policy/root-task/IAMDeleteRootUserCredentials", Duration.ofMinutes(15), null));
    assertThat(root.runByAtmosd()).isTrue();

    IdentityConfig me = config.identity("me");
    assertThat(me.credentials()).isEqualTo(new IdentityConfig.UserCredentials("AKIAEXAMPLE", "very-secret",
        "eu-west-1", "arn:aws:iam::123456789012:mfa/me"));
    assertThat(me.credentials().toString()).doesNotContain("very-secret").doesNotContain("AKIAEXAMPLE");
    assertThat(me.sessionDuration()).isEqualTo(Duration.ofHours(12));
    assertThat(me.definition().toString()).doesNotContain("very-secret").doesNotContain("AKIAEXAMPLE");
    assertThat(me.viaProvider()).isNull();

    assertThat(config.identity("pod").principalRegion()).isEqualTo("us-east-2");
    assertThat(config.identity("anything").kind()).isEqualTo("ambient");
    assertThat(config.identities().keySet()).containsExactly("dev", "deploy", "root", "me", "pod", "anything", "sub",
        "sa", "ci", "fake");
  }

  @Test
  void identitiesWithoutProvidersAndPermissionSetsWithoutViaAreValidAsInGo() throws IOException {
    // validator.go: validateViaConfiguration returns nil when via is absent.
    AtmosConfig config = load("""
        auth:
          identities:
            me: { kind: aws/user }
            ps: { kind: aws/permission-set, principal: { name: X, account: { id: "123456789012" } } }
        """);
    assertThat(config.providers()).isEmpty();
    assertThat(config.identity("ps").viaProvider()).isNull();
    // aws/user may even carry a via block Go does not look at.
    assertThat(load("auth:\n  identities:\n    me: { kind: aws/user, via: {} }\n").identity("me").kind())
        .isEqualTo("aws/user");
  }

  @Test
  void goRejectionsStayRejections() throws IOException {
    assertThatThrownBy(() -> load("auth:\n  providers:\n    p: { kind: aws/sso }\n"))
        .hasMessageContaining("unsupported provider kind: aws/sso");
    assertThatThrownBy(() -> load("auth:\n  identities:\n    i: { kind: aws/role }\n"))
        .hasMessageContaining("unsupported identity kind: aws/role");
    assertThatThrownBy(() -> load("auth:\n  logs: { level: debug }\n"))
        .hasMessageEndingWith("auth.logs.level: invalid log level \"debug\", must be one of: Debug, Info, Warn, Error");
    assertThat(load("auth:\n  logs: { level: Warn }\n").providers()).isEmpty();
    assertThatThrownBy(() -> load("auth:\n  identities:\n    r: { kind: aws/assume-root }\n"))
        .hasMessageEndingWith("auth.identities.r.principal is missing: add principal with target_principal and"
            + " task_policy_arn");
    assertThatThrownBy(() -> load("auth:\n  identities:\n    i: { kind: aws/permission-set, via: { provider: nope },"
        + " principal: { name: X, account: { name: a } } }\n"))
        .hasMessageContaining("auth.identities.i.via.provider \"nope\" is not a configured provider");
  }

  @Test
  void assumeRoleOnAProvisionedNameIsAWarningUntilDiscoveryHasRun() throws IOException {
    // Issue 11 item 8: after logout removed the provisioned file, the config still loads so login can run.
    String yaml = """
        auth:
          providers:
            company-sso:
              kind: aws/iam-identity-center
              start_url: https://company.awsapps.com/start
              region: us-east-1
              auto_provision_identities: true
          identities:
            deploy:
              kind: aws/assume-role
              via: { identity: dev-account/DeveloperRole }
              principal: { assume_role: "arn:aws:iam::123456789012:role/Deploy" }
        """;
    AtmosConfig before = load(yaml);
    assertThat(before.identity("deploy").viaIdentity()).isEqualTo("dev-account/DeveloperRole");
    assertThat(before.warnings()).containsExactly(dir.resolve("atmos.yaml") + ": auth.identities.deploy.via.identity"
        + " \"dev-account/DeveloperRole\" is not configured yet; it may be provisioned by company-sso: run atmos auth"
        + " login --provider company-sso to discover it");
    assertThatThrownBy(() -> before.chain("deploy")).hasMessageContaining("no identity \"dev-account/DeveloperRole\"");

    // Once discovery has run, a name it did not find is an error again.
    Path provisioned = paths().provisionedIdentitiesFile("company-sso");
    Files.createDirectories(provisioned.getParent());
    Files.writeString(provisioned, """
        auth:
          identities:
            dev-account/OtherRole:
              kind: aws/permission-set
              via: { provider: company-sso }
              principal: { name: OtherRole, account: { id: "987654321098", name: dev-account } }
        """);
    assertThatThrownBy(() -> load(yaml)).hasMessageContaining("via.identity \"dev-account/DeveloperRole\" is not a"
        + " configured identity");

    // Without auto-provisioning it was never a warning.
    assertThatThrownBy(() -> load(yaml.replace("auto_provision_identities: true", "auto_provision_identities: false")))
        .hasMessageContaining("is not a configured identity");
  }

  @Test
  void atmosProAndItsIntegrationsSectionLoad() throws IOException {
    // The Atmos Pro shape from the atmos docs: auth.integrations is Go's, not atmosd's, and is ignored.
    AtmosConfig config = load("""
        auth:
          providers:
            atmos-pro: { kind: atmos/pro, spec: { workspace_id: ws } }
          identities:
            atmos-pro: { kind: atmos/pro, via: { provider: atmos-pro } }
          integrations:
            github-sts: { kind: github/sts, via: { provider: atmos-pro }, spec: { auto_provision: true } }
        """);
    assertThat(config.provider("atmos-pro").runByAtmosd()).isFalse();
    assertThat(config.identity("atmos-pro").notRunReason()).contains("identity kind atmos/pro");
  }

  @Test
  void listsOfKindsMatchGo() {
    assertThat(AuthKinds.GO_PROVIDER_KINDS).contains("aws/iam-identity-center", "aws/saml", "github/oidc",
        "azure/oidc", "gcp/workload-identity-federation");
    assertThat(List.copyOf(AuthKinds.RUN_IDENTITY_KINDS)).allMatch(AuthKinds.GO_IDENTITY_KINDS::contains);
  }
}
