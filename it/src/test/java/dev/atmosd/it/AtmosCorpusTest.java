package dev.atmosd.it;

import static dev.atmosd.it.AtmosSandbox.DEV_ACCOUNT;
import static dev.atmosd.it.AtmosSandbox.DEV_ADMIN;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

/**
 * The packaged CLI and daemon over atmos.yaml files taken from the Go atmos project (each file names its origin; the
 * manifest atmos-corpus/CORPUS.tsv holds the verdict Go gives and what each file declares). Verdicts follow
 * cloudposse/atmos pkg/auth/validation/validator.go and tests/test-cases/auth-validation.yaml.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AtmosCorpusTest {
  AtmosSandbox sandbox;

  @BeforeAll
  void start() {
    sandbox = AtmosSandbox.create();
  }

  @AfterAll
  void close() {
    sandbox.close();
  }

  record Entry(String file, boolean valid, String phrase, List<String> providers, List<String> identities,
      List<String> notRun) {}

  static Path corpus() {
    try {
      return Path.of(AtmosCorpusTest.class.getResource("/atmos-corpus/CORPUS.tsv").toURI()).getParent();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static List<Entry> entries() throws IOException {
    List<Entry> entries = new ArrayList<>();
    for (String line : Files.readAllLines(corpus().resolve("CORPUS.tsv"))) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] f = line.split("\t");
      entries.add(new Entry(f[0], f[1].equals("valid"), f[2], names(f[3]), names(f[4]), names(f[5])));
    }
    return entries;
  }

  private static List<String> names(String field) {
    return field.equals("-") ? List.of() : Arrays.asList(field.split(","));
  }

  @Test
  void everyCorpusFileIsInTheManifest() throws IOException {
    try (Stream<Path> files = Files.list(corpus())) {
      assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml")).sorted())
          .containsExactlyInAnyOrderElementsOf(entries().stream().map(Entry::file).toList());
    }
  }

  @TestFactory
  Stream<DynamicTest> validateAndListGiveGosVerdict() throws IOException {
    return entries().stream().map(entry -> DynamicTest.dynamicTest(entry.file(), () -> check(entry)));
  }

  private void check(Entry entry) throws IOException {
    sandbox.writeConfig(Files.readString(corpus().resolve(entry.file())));
    CliResult validate = sandbox.run("auth", "validate");
    if (!entry.valid()) {
      assertThat(validate.exitCode()).as("%s", validate).isNotZero();
      assertThat(validate.stderr()).as("%s", validate).contains(entry.phrase());
      assertThat(validate.stderrLines()).as("one line: %s", validate).hasSize(1);
      return;
    }
    assertThat(validate.exitCode()).as("%s", validate).isZero();
    List<String> notes = validate.stderrLines().stream().filter(l -> l.startsWith("note: ")).toList();
    if (entry.notRun().isEmpty()) {
      assertThat(notes).as("%s", validate).isEmpty();
    } else {
      assertThat(notes).as("%s", validate).hasSize(1);
      entry.notRun().forEach(name -> assertThat(notes.get(0)).contains(" " + name + " ("));
    }

    CliResult list = sandbox.run("auth", "list", "--format", "json");
    assertThat(list.exitCode()).as("%s", list).isZero();
    Map<String, JsonNode> providers = byName(list.json().path("providers"));
    Map<String, JsonNode> identities = byName(list.json().path("identities"));
    assertThat(providers.keySet()).containsExactlyInAnyOrderElementsOf(entry.providers());
    assertThat(identities.keySet()).containsExactlyInAnyOrderElementsOf(entry.identities());
    Map<String, JsonNode> all = new LinkedHashMap<>(providers);
    all.putAll(identities);
    all.forEach((name, node) -> {
      boolean notRun = !node.path("atmosd").path("not_run_reason").asText().isEmpty();
      assertThat(notRun).as("%s not run by atmosd", name).isEqualTo(entry.notRun().contains(name));
      assertThat(node.path("kind").asText()).as("%s kind", name).isNotEmpty();
    });
    assertThat(list.stdout()).as("secrets never echoed").doesNotContain("EXAMPLESECRETACCESSKEY");
  }

  /** Go's shape (a map keyed by name) or atmosd's list of objects with a name. */
  private static Map<String, JsonNode> byName(JsonNode section) {
    Map<String, JsonNode> byName = new LinkedHashMap<>();
    if (section.isArray()) {
      section.forEach(node -> byName.put(node.path("name").asText(), node));
    } else {
      section.fields().forEachRemaining(e -> byName.put(e.getKey(), e.getValue()));
    }
    return byName;
  }

  @Test
  void anSsoIdentityWorksBesideKindsAtmosdDoesNotRun() {
    sandbox.writeConfig(sandbox.standardConfig()
        .provider("github", Map.of("kind", "github/oidc", "region", "us-east-1",
            "spec", Map.of("audience", "sts.amazonaws.com")))
        .provider("azure", Map.of("kind", "azure/cli", "spec", Map.of("tenant_id", "t")))
        .identity("ci", Map.of("kind", "aws/assume-role", "via", Map.of("provider", "github"),
            "principal", Map.of("assume_role", "arn:aws:iam::" + DEV_ACCOUNT + ":role/ci")))
        .identity("breakglass", Map.of("kind", "aws/user",
            "credentials", Map.of("access_key_id", "AKIAEXAMPLE", "secret_access_key", "s3cr3t")))
        .render());

    CliResult validate = sandbox.run("auth", "validate");
    assertThat(validate.exitCode()).as("%s", validate).isZero();
    assertThat(validate.stderrLines()).as("%s", validate).hasSize(2).first().isEqualTo("note: atmosd accepts but"
        + " does not run provider github (github/oidc), provider azure (azure/cli), identity breakglass (aws/user):"
        + " commands using them fail; use the Go atmos for those, every other entry works here");
    assertThat(validate.stderrLines().get(1)).as("Go's verdict on stderr").startsWith(
        "✓ Authentication configuration is valid");

    sandbox.runOk("auth", "login");
    CliResult whoami = sandbox.runOk("auth", "whoami", "--identity", DEV_ADMIN);
    assertThat(whoami.stdout()).contains(DEV_ACCOUNT);

    CliResult user = sandbox.run("auth", "whoami", "--identity", "breakglass");
    assertThat(user.exitCode()).as("%s", user).isNotZero();
    assertThat(user.stderrLines()).as("%s", user).hasSize(1);
    assertThat(user.stderr()).contains("identity 'breakglass'").contains("aws/user").contains("use the Go atmos")
        .doesNotContain("s3cr3t");
    CliResult oidc = sandbox.run("auth", "login", "--provider", "github");
    assertThat(oidc.exitCode()).as("%s", oidc).isNotZero();
    assertThat(oidc.stderr()).contains("provider 'github'").contains("github/oidc");
    CliResult ci = sandbox.run("auth", "env", "--identity", "ci");
    assertThat(ci.exitCode()).as("%s", ci).isNotZero();
    assertThat(ci.stderr()).contains("provider 'github'").contains("github/oidc");

    // Every other command on the SSO side of the same file.
    assertThat(sandbox.runOk("auth", "env", "--identity", DEV_ADMIN).stdout()).contains("AWS_");
    sandbox.runOk("auth", "credential-process", "--identity", AtmosSandbox.DEPLOYER);
    sandbox.runOk("auth", "list");
    sandbox.runOk("auth", "status");
    sandbox.runOk("auth", "logout", "--all");
    assertThat(sandbox.sessionFile()).doesNotExist();
  }
}
