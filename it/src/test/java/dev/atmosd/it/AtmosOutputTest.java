package dev.atmosd.it;

import static dev.atmosd.it.AtmosSandbox.DEPLOYER;
import static dev.atmosd.it.AtmosSandbox.DEV_ADMIN;
import static dev.atmosd.it.AtmosSandbox.DEV_READONLY;
import static dev.atmosd.it.AtmosSandbox.PROD_ADMIN;
import static dev.atmosd.it.AtmosSandbox.PROVIDER;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The packaged CLI against a real daemon, held to the Go atmos's output shapes, messages and exit codes (its golden
 * snapshots under tests/snapshots and its CLI cases tests/test-cases/auth-*.yaml, cited per test).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AtmosOutputTest {

  /** atmosd's documented exit code (README) for a bad flag or a name that is not configured. */
  private static final int USAGE_EXIT = 2;

  AtmosSandbox sandbox;

  @BeforeAll
  void start() {
    sandbox = AtmosSandbox.create();
  }

  @AfterAll
  void close() {
    sandbox.close();
  }

  /**
   * tests/snapshots/TestCLICommands_atmos_auth_validate.stderr.golden: "✓ Authentication configuration is valid" on
   * stderr, nothing on stdout, exit 0 (tests/test-cases/auth-cli.yaml "atmos auth validate").
   */
  @Test
  void validateSaysValidOnStderr() {
    CliResult validate = sandbox.run("auth", "validate");
    assertThat(validate.exitCode()).as("%s", validate).isZero();
    assertThat(validate.stdout()).isEmpty();
    assertThat(validate.stderr()).contains("✓ Authentication configuration is valid")
        .contains("1 provider, 4 identities");
  }

  /** tests/test-cases/auth-validation.yaml "atmos auth validate --verbose": says what it validates first. */
  @Test
  void validateVerbose() {
    CliResult validate = sandbox.run("auth", "validate", "-v");
    assertThat(validate.exitCode()).as("%s", validate).isZero();
    assertThat(validate.stderrLines().get(0)).isEqualTo("Validating authentication configuration...");
    assertThat(validate.stderr()).contains("Authentication configuration is valid");
  }

  /**
   * tests/test-cases/auth-validation.yaml "atmos auth validate (invalid config)": exit 1, stderr has "invalid auth
   * config" and "Authentication configuration validation failed"; here on one line that names the field.
   */
  @Test
  void validateAnInvalidConfigExitsOneWithGosPhrases() {
    java.nio.file.Path bad = AtmosSandbox.write(sandbox.root().resolve("bad/atmos.yaml"), ConfigYaml.create()
        .ssoProvider(PROVIDER, null, AtmosSandbox.REGION, sandbox.endpoint())
        .permissionSet(DEV_ADMIN, PROVIDER, "Admin", "dev").render());
    CliResult validate = sandbox.run("--config", bad.toString(), "auth", "validate");
    assertThat(validate.exitCode()).as("%s", validate).isEqualTo(1);
    assertThat(validate.stdout()).isEmpty();
    assertThat(validate.stderrLines().stream().filter(l -> !l.startsWith("starting atmosd")))
        .as("one line (besides the autostart notice) %s", validate).hasSize(1);
    assertThat(validate.stderr()).contains("Authentication configuration validation failed")
        .contains("invalid auth config").contains("start_url");
  }

  /**
   * cmd/auth/list.go renderJSON/renderYAML (tests/snapshots/TestCLICommands_atmos_auth_list_--format_json.stdout.golden):
   * {@code providers} and {@code identities} maps keyed by name echoing atmos.yaml (kind, via, principal, default), so
   * a jq path written for Go ({@code .identities["dev-admin"].via.provider}) reads the same here; atmosd's live state
   * sits under each entry's {@code atmosd} key only. YAML is the same document.
   */
  @Test
  void listJsonAndYamlHaveGosShape() throws Exception {
    JsonNode json = sandbox.ok(sandbox.run("auth", "list", "--format", "json")).json();
    assertThat(iterable(json.fieldNames())).as("%s", json).containsExactly("identities", "providers", "atmosd");
    JsonNode admin = json.path("identities").path(DEV_ADMIN);
    assertThat(admin.path("kind").asText()).isEqualTo("aws/permission-set");
    assertThat(admin.path("default").asBoolean()).as("%s", admin).isTrue();
    assertThat(admin.path("via").path("provider").asText()).isEqualTo(PROVIDER);
    assertThat(admin.path("principal").path("name").asText()).isEqualTo("Admin");
    assertThat(admin.path("principal").path("account").path("name").asText()).isEqualTo("dev");
    assertThat(admin.path("atmosd").path("credentials").asText()).isNotEmpty();
    assertThat(admin.path("atmosd").path("provider").asText()).isEqualTo(PROVIDER);
    JsonNode deployer = json.path("identities").path(DEPLOYER);
    assertThat(deployer.path("via").path("identity").asText()).isEqualTo(DEV_ADMIN);
    assertThat(deployer.path("principal").path("assume_role").asText()).isEqualTo(AtmosSandbox.DEPLOYER_ROLE_ARN);
    assertThat(deployer.has("default")).as("Go leaves false out").isFalse();
    assertThat(iterable(json.path("identities").fieldNames())).as("sorted by name")
        .containsExactly(DEV_ADMIN, DEPLOYER, DEV_READONLY, PROD_ADMIN);
    JsonNode provider = json.path("providers").path(PROVIDER);
    assertThat(provider.path("kind").asText()).isEqualTo("aws/iam-identity-center");
    assertThat(provider.path("start_url").asText()).isEqualTo(AtmosSandbox.START_URL);
    assertThat(provider.path("region").asText()).isEqualTo(AtmosSandbox.REGION);

    CliResult yaml = sandbox.ok(sandbox.run("auth", "list", "--format", "yaml"));
    assertThat(new YAMLMapper().readTree(yaml.stdout())).isEqualTo(json);
  }

  /** pkg/auth/list/formatter.go RenderTable: PROVIDERS then IDENTITIES, Go's columns, "-" for an empty cell. */
  @Test
  void listTable() {
    CliResult table = sandbox.ok(sandbox.run("auth", "list", "--format", "table"));
    List<String> lines = table.stdoutLines();
    assertThat(lines.get(0)).isEqualTo("PROVIDERS");
    assertThat(lines.get(1)).containsSubsequence("NAME", "KIND", "REGION", "START URL / URL", "DEFAULT");
    assertThat(lines.get(2)).containsSubsequence(PROVIDER, "aws/iam-identity-center", AtmosSandbox.REGION,
        AtmosSandbox.START_URL);
    assertThat(lines).contains("IDENTITIES");
    assertThat(table.stdout()).containsPattern("(?m)^.*" + DEPLOYER + " +aws/assume-role +- +" + DEV_ADMIN + " ")
        .containsPattern("(?m)^.*" + DEV_ADMIN + " +aws/permission-set +" + PROVIDER + " +- +✓")
        .doesNotContain("\u001b[");
  }

  /** pkg/auth/list/graph.go RenderGraphviz / RenderMermaid / RenderMarkdown; "dot" and "md" are Go's aliases. */
  @Test
  void listGraphvizMermaidMarkdown() {
    String dot = sandbox.ok(sandbox.run("auth", "list", "--format", "graphviz")).stdout();
    assertThat(dot).startsWith("digraph AuthConfig {\n  rankdir=LR;\n  node [shape=box, style=rounded];\n\n")
        .contains("  \"" + PROVIDER + "\" [label=\"" + PROVIDER + "\\n(aws/iam-identity-center)\"];\n")
        .contains("  \"" + DEV_ADMIN + "\" [label=\"" + DEV_ADMIN
            + "\\n(aws/permission-set)\", style=\"rounded,filled\", fillcolor=lightgreen];\n")
        .contains("  \"" + PROVIDER + "\" -> \"" + DEV_ADMIN + "\";\n")
        .contains("  \"" + DEV_ADMIN + "\" -> \"" + DEPLOYER + "\";\n").endsWith("}\n");
    assertThat(sandbox.ok(sandbox.run("auth", "list", "--format", "dot")).stdout()).isEqualTo(dot);

    String mermaid = sandbox.ok(sandbox.run("auth", "list", "--format", "mermaid")).stdout();
    assertThat(mermaid).startsWith("graph LR\n")
        .contains("  dev_admin[\"dev-admin<br/>aws/permission-set\"]:::identity:::default\n")
        .contains("  p --> dev_admin\n").contains("  dev_admin --> dev_deployer\n")
        .endsWith("  classDef default stroke:#ff9800,stroke-width:3px\n");
    String markdown = sandbox.ok(sandbox.run("auth", "list", "--format", "markdown")).stdout();
    assertThat(markdown).isEqualTo("# Authentication Configuration\n\n```mermaid\n" + mermaid + "```\n");
    assertThat(sandbox.ok(sandbox.run("auth", "list", "--format", "md")).stdout()).isEqualTo(markdown);
    assertThat(sandbox.ok(sandbox.run("auth", "list")).stdout()).as("tree is the default")
        .contains("Authentication Configuration").contains(DEV_ADMIN);
  }

  /**
   * cmd/auth/list.go parseFilterFlags/applyFilters: --providers[=a,b] and --identities[=x,y] show that section only
   * and exclude each other; a name that is not there fails; --tags (or ATMOS_AUTH_TAGS) keeps entries carrying any tag.
   */
  @Test
  void listFilters() {
    JsonNode providersOnly = sandbox.ok(sandbox.run("auth", "list", "--providers", "--format", "json")).json();
    assertThat(providersOnly.has("identities")).as("%s", providersOnly).isFalse();
    assertThat(iterable(providersOnly.path("providers").fieldNames())).containsExactly(PROVIDER);
    JsonNode named = sandbox.ok(sandbox.run("auth", "list", "--providers=" + PROVIDER, "-f", "json")).json();
    assertThat(iterable(named.path("providers").fieldNames())).containsExactly(PROVIDER);

    JsonNode two = sandbox.ok(sandbox.run("auth", "list", "--identities=" + PROD_ADMIN + "," + DEV_READONLY,
        "--format", "json")).json();
    assertThat(two.has("providers")).isFalse();
    assertThat(iterable(two.path("identities").fieldNames())).containsExactly(DEV_READONLY, PROD_ADMIN);
    JsonNode allIdentities = sandbox.ok(sandbox.run("auth", "list", "--identities", "--format", "json")).json();
    assertThat(iterable(allIdentities.path("identities").fieldNames())).hasSize(4);

    CliResult missing = sandbox.run("auth", "list", "--identities=nope");
    assertThat(missing.exitCode()).as("%s", missing).isEqualTo(USAGE_EXIT);
    assertThat(missing.lastStderrLine()).isEqualTo(
        "atmos: identity not found: \"nope\"; run atmos auth list --identities to see them");
    CliResult both = sandbox.run("auth", "list", "--providers", "--identities");
    assertThat(both.exitCode()).as("%s", both).isEqualTo(USAGE_EXIT);
    assertThat(both.stderr()).contains("mutually exclusive flags provided");

    Path tagged = AtmosSandbox.write(sandbox.root().resolve("tagged/atmos.yaml"), sandbox.standardConfig()
        .providerField(PROVIDER, "tags", List.of("production"))
        .identity("tagged", Map.of("kind", "aws/permission-set", "via", Map.of("provider", PROVIDER),
            "principal", Map.of("name", "Admin", "account", Map.of("name", "prod")),
            "tags", List.of("production", "admin")))
        .render());
    JsonNode byTag = sandbox.ok(sandbox.run("--config", tagged.toString(), "auth", "list", "--tags=admin,nope",
        "--format", "json")).json();
    assertThat(iterable(byTag.path("identities").fieldNames())).containsExactly("tagged");
    assertThat(byTag.has("providers")).as("the provider is tagged production only").isFalse();
    assertThat(byTag.path("identities").path("tagged").path("tags").toString()).isEqualTo("[\"production\",\"admin\"]");
    JsonNode byEnv = sandbox.ok(sandbox.run(Map.of("ATMOS_AUTH_TAGS", "production"), "--config", tagged.toString(),
        "auth", "list", "--providers", "--format", "json")).json();
    assertThat(iterable(byEnv.path("providers").fieldNames())).containsExactly(PROVIDER);
  }

  @Test
  void listRefusesAnUnknownFormatNamingTheValidOnes() {
    CliResult bad = sandbox.run("auth", "list", "--format", "xml");
    assertThat(bad.exitCode()).as("%s", bad).isEqualTo(USAGE_EXIT);
    assertThat(bad.stderr()).contains("--format xml").contains("graphviz").contains("mermaid");
  }

  private static List<String> iterable(java.util.Iterator<String> names) {
    List<String> out = new java.util.ArrayList<>();
    names.forEachRemaining(out::add);
    return out;
  }
}
