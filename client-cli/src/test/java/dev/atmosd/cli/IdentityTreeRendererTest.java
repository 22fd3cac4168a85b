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

  /**
   * Go's shape (cmd/auth/list.go renderJSON; tests/snapshots/TestCLICommands_atmos_auth_list_--format_json.stdout.golden):
   * maps keyed by name, sorted, echoing kind/via/principal/default; atmosd's live state under "atmosd" only.
   */
  @Test
  void listingAsYamlAndJsonHasGosShapeWithTheLiveStateBeside() {
    String yaml = StructuredOutput.yaml(ReplyDocuments.identities(reply()));
    assertThat(yaml).startsWith("identities:\n  deployer:\n    kind: aws/assume-role\n    via:\n"
        + "      identity: prod/Admin\n    principal:\n      assume_role: \"arn:aws:iam::123456789012:role/deployer\"\n");
    assertThat(yaml).contains("  prod/Admin:\n    kind: aws/permission-set\n    default: true\n    via:\n"
        + "      provider: company-sso\n    principal:\n      account:\n        name: prod\n"
        + "        id: \"123456789012\"\n      name: Admin\n    atmosd:\n      provider: company-sso\n",
        "      credentials: valid\n", "      credentials_expire_at: \"2026-11-24T09:05:00Z\"\n",
        "providers:\n  company-sso:\n    kind: aws/iam-identity-center\n"
        + "    start_url: https://company.awsapps.com/start\n    region: us-east-1\n    default: true\n");
    assertThat(yaml).endsWith("atmosd:\n  config_path: /work/atmos.yaml\n");
    String json = StructuredOutput.json(ReplyDocuments.identities(reply()));
    assertThat(json).contains("\"credentials\" : \"expiring\"");
  }

  @Test
  void theDefinitionTheDaemonSendsIsEchoedAsIs() {
    com.google.protobuf.Struct definition = com.google.protobuf.Struct.newBuilder()
        .putFields("kind", com.google.protobuf.Value.newBuilder().setStringValue("aws/user").build())
        .putFields("session", com.google.protobuf.Value.newBuilder().setStructValue(com.google.protobuf.Struct.newBuilder()
            .putFields("duration", com.google.protobuf.Value.newBuilder().setStringValue("1h").build())).build())
        .build();
    ListIdentitiesReply reply = ListIdentitiesReply.newBuilder().addIdentities(IdentityInfo.newBuilder()
        .setName("superuser").setKind("aws/user").setDefinition(definition)
        .setNotRunReason("atmosd does not run aws/user")).build();
    assertThat(StructuredOutput.yaml(ReplyDocuments.identities(reply))).isEqualTo("identities:\n  superuser:\n"
        + "    kind: aws/user\n    session:\n      duration: \"1h\"\n    atmosd:\n      default: false\n"
        + "      provisioned: false\n      credentials: unknown\n      not_run_reason: \"atmosd does not run aws/user\"\n");
  }

  /** pkg/auth/list/graph.go RenderGraphviz / RenderMermaid / RenderMarkdown, line for line. */
  @Test
  void graphvizMermaidAndMarkdownAsGoDrawsThem() {
    ListIdentitiesReply reply = ListIdentitiesReply.newBuilder()
        .addProviders(reply().getProviders(0))
        .addIdentities(reply().getIdentities(0)).addIdentities(reply().getIdentities(1)).build();
    assertThat(IdentityGraphRenderer.graphviz(reply)).isEqualTo(String.join("\n",
        "digraph AuthConfig {",
        "  rankdir=LR;",
        "  node [shape=box, style=rounded];",
        "",
        "  \"company-sso\" [label=\"company-sso\\n(aws/iam-identity-center)\", style=\"rounded,filled\", fillcolor=lightblue];",
        "",
        "  \"deployer\" [label=\"deployer\\n(aws/assume-role)\"];",
        "  \"prod/Admin\" -> \"deployer\";",
        "  \"prod/Admin\" [label=\"prod/Admin\\n(aws/permission-set)\", style=\"rounded,filled\", fillcolor=lightgreen];",
        "  \"company-sso\" -> \"prod/Admin\";",
        "}", ""));
    String mermaid = IdentityGraphRenderer.mermaid(reply);
    assertThat(mermaid).startsWith(String.join("\n",
        "graph LR",
        "  company_sso[\"company-sso<br/>aws/iam-identity-center\"]:::provider:::default",
        "  deployer[\"deployer<br/>aws/assume-role\"]:::identity",
        "  prod_Admin --> deployer",
        "  prod_Admin[\"prod/Admin<br/>aws/permission-set\"]:::identity:::default",
        "  company_sso --> prod_Admin",
        "",
        "  classDef provider fill:#e3f2fd,stroke:#1976d2,stroke-width:2px", ""));
    assertThat(IdentityGraphRenderer.markdown(reply))
        .isEqualTo("# Authentication Configuration\n\n```mermaid\n" + mermaid + "```\n");
    assertThat(IdentityGraphRenderer.graphviz(ListIdentitiesReply.getDefaultInstance()))
        .isEqualTo("digraph AuthConfig {\n  // No providers or identities configured\n}\n");
  }

  /** pkg/auth/list/formatter_table.go: PROVIDERS and IDENTITIES tables, "-" for empty cells. */
  @Test
  void tableAsGoLaysItOut() {
    String table = new IdentityTableRenderer(Terminal.plain(), NOW).render(reply());
    assertThat(table).startsWith(String.join("\n",
        "PROVIDERS",
        "NAME         KIND                     REGION     START URL / URL                    DEFAULT",
        "company-sso  aws/iam-identity-center  us-east-1  https://company.awsapps.com/start  ✓",
        "",
        "IDENTITIES",
        "   NAME          KIND                VIA PROVIDER  VIA IDENTITY  DEFAULT  ALIAS  EXPIRES",
        "●  deployer      aws/assume-role     -             prod/Admin             -      10m",
        "○  dev/ReadOnly  aws/permission-set  company-sso   -                      -      expired",
        ""));
  }

  /** cmd/auth/list.go parseFilterFlags/applyFilters. */
  @Test
  void filtersAsGoAppliesThem() {
    assertThat(new ListSelection("", null, null).apply(reply()).getIdentitiesCount()).isZero();
    assertThat(new ListSelection("", null, null).apply(reply()).getProvidersCount()).isEqualTo(1);
    ListIdentitiesReply two = new ListSelection(null, "deployer, orphan", null).apply(reply());
    assertThat(two.getProvidersCount()).isZero();
    assertThat(two.getIdentitiesList()).extracting(IdentityInfo::getName).containsExactly("deployer", "orphan");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ListSelection(null, "nope", null).apply(reply()))
        .isInstanceOf(UserError.class).hasMessageContaining("identity not found: \"nope\"");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ListSelection("", "", null))
        .isInstanceOf(UserError.class).hasMessageContaining("mutually exclusive flags provided");
    ListIdentitiesReply tagged = reply().toBuilder()
        .setIdentities(1, reply().getIdentities(1).toBuilder().addTags("prod")).build();
    ListIdentitiesReply byTag = new ListSelection(null, null, "prod,admin").apply(tagged);
    assertThat(byTag.getIdentitiesList()).extracting(IdentityInfo::getName).containsExactly("deployer");
    assertThat(byTag.getProvidersCount()).as("the provider has no tag").isZero();
  }
}
