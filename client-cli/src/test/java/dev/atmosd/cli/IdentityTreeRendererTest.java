package dev.atmosd.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Timestamp;
import dev.atmosd.v1.CredentialState;
import dev.atmosd.v1.IdentityInfo;
import dev.atmosd.v1.ListIdentitiesReply;
import dev.atmosd.v1.PortalSession;
import dev.atmosd.v1.ProviderInfo;
import dev.atmosd.v1.SessionState;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class IdentityTreeRendererTest {
  private static final Instant NOW = Instant.parse("2026-11-24T07:00:00Z");

  static Timestamp in(Duration duration) {
    return Timestamp.newBuilder().setSeconds(NOW.plus(duration).getEpochSecond()).build();
  }

  static ListIdentitiesReply reply() {
    return ListIdentitiesReply.newBuilder()
        .setConfigPath("/work/atmos.yaml")
        .addProviders(ProviderInfo.newBuilder().setName("company-sso").setKind("aws/iam-identity-center")
            .setStartUrl("https://company.awsapps.com/start").setRegion("us-east-1").setIsDefault(true)
            .setSession(PortalSession.newBuilder().setState(SessionState.SESSION_STATE_ACTIVE)
                .setAccessTokenExpiresAt(in(Duration.ofMinutes(479)))))
        .addIdentities(IdentityInfo.newBuilder().setName("prod/Admin").setKind("aws/permission-set")
            .setRootProvider("company-sso").setViaProvider("company-sso").setAccountId("123456789012")
            .setAccountName("prod").setPermissionSet("Admin").setIsDefault(true)
            .setCredentialState(CredentialState.CREDENTIAL_STATE_VALID).setCredentialsExpireAt(in(Duration.ofMinutes(125))))
        .addIdentities(IdentityInfo.newBuilder().setName("deployer").setKind("aws/assume-role")
            .setRootProvider("company-sso").setViaIdentity("prod/Admin")
            .setRoleArn("arn:aws:iam::123456789012:role/deployer")
            .setCredentialState(CredentialState.CREDENTIAL_STATE_EXPIRING).setCredentialsExpireAt(in(Duration.ofMinutes(10))))
        .addIdentities(IdentityInfo.newBuilder().setName("dev/ReadOnly").setKind("aws/permission-set")
            .setRootProvider("company-sso").setViaProvider("company-sso").setAccountId("210987654321")
            .setPermissionSet("ReadOnly").setCredentialState(CredentialState.CREDENTIAL_STATE_EXPIRED))
        .addIdentities(IdentityInfo.newBuilder().setName("sandbox/Dev").setKind("aws/permission-set")
            .setRootProvider("company-sso").setViaProvider("company-sso").setAccountId("333333333333")
            .setPermissionSet("Dev"))
        .addIdentities(IdentityInfo.newBuilder().setName("orphan").setKind("aws/assume-role")
            .setViaProvider("gone").setRoleArn("arn:aws:iam::1:role/x"))
        .build();
  }

  @Test
  void drawsProvidersWithTheirIdentitiesChainedUnderTheirParentAndStandaloneLast() {
    String tree = new IdentityTreeRenderer(Terminal.plain(), NOW).render(reply());
    assertThat(tree).isEqualTo(String.join("\n",
        "Authentication Configuration",
        "├── company-sso (aws/iam-identity-center) [DEFAULT]",
        "│   ├── Region: us-east-1",
        "│   ├── Start URL: https://company.awsapps.com/start",
        "│   ├── Session: active, expires in 7h59m",
        "│   └── Identities",
        "│       ├── ● prod/Admin (aws/permission-set) [DEFAULT] 2h5m",
        "│       │   ├── account 123456789012 (prod), permission set Admin",
        "│       │   └── ● deployer (aws/assume-role) 10m",
        "│       │       └── role arn:aws:iam::123456789012:role/deployer",
        "│       ├── ○ dev/ReadOnly (aws/permission-set) expired",
        "│       │   └── account 210987654321, permission set ReadOnly",
        "│       └──   sandbox/Dev (aws/permission-set)",
        "│           └── account 333333333333, permission set Dev",
        "└── Standalone Identities",
        "    └──   orphan (aws/assume-role)",
        "        └── role arn:aws:iam::1:role/x",
        ""));
  }

  @Test
  void coloursTheDotByCredentialStateOnlyWhenAskedTo() {
    String tree = new IdentityTreeRenderer(new Terminal(true, true), NOW).render(reply());
    assertThat(tree).contains("\u001b[32m●\u001b[0m prod/Admin", "\u001b[33m●\u001b[0m deployer",
        "\u001b[31m●\u001b[0m dev/ReadOnly");
    assertThat(new IdentityTreeRenderer(Terminal.plain(), NOW).render(reply())).doesNotContain("\u001b[");
  }

  @Test
  void listingAsYamlAndJsonCarriesTheSameFields() {
    String yaml = StructuredOutput.yaml(ReplyDocuments.identities(reply()));
    assertThat(yaml).startsWith("config_path: /work/atmos.yaml\nproviders:\n  - name: company-sso\n"
        + "    kind: aws/iam-identity-center\n    start_url: https://company.awsapps.com/start\n");
    assertThat(yaml).contains("  - name: prod/Admin\n    kind: aws/permission-set\n    provider: company-sso\n",
        "    account_id: \"123456789012\"\n", "    credentials: valid\n",
        "    credentials_expire_at: \"2026-11-24T09:05:00Z\"\n", "    default: true\n");
    String json = StructuredOutput.json(ReplyDocuments.identities(reply()));
    assertThat(json).contains("\"account_id\" : \"123456789012\"", "\"credentials\" : \"expiring\"");
  }
}
