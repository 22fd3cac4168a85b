package dev.atmosd.it;

import static dev.atmosd.it.AtmosSandbox.DEPLOYER;
import static dev.atmosd.it.AtmosSandbox.DEV_ACCOUNT;
import static dev.atmosd.it.AtmosSandbox.DEV_ADMIN;
import static dev.atmosd.it.AtmosSandbox.DEV_READONLY;
import static dev.atmosd.it.AtmosSandbox.PROD_ACCOUNT;
import static dev.atmosd.it.AtmosSandbox.PROD_ADMIN;
import static dev.atmosd.it.AtmosSandbox.PROVIDER;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProcessCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;

/**
 * Identities handed to real tools: credential_process JSON, botocore and the AWS SDK for Java through both
 * credential_process and the container endpoint, exec/terraform child processes. One sign-in for the whole class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CredentialHandOffTest {

  AtmosSandbox sandbox;

  @BeforeAll
  void signIn() {
    sandbox = AtmosSandbox.create();
    sandbox.runOk("auth", "login");
  }

  @AfterAll
  void close() {
    AtmosSandbox.closeIfCreated(sandbox);
  }

  @Test
  void credentialProcessPrintsExactlyTheVersion1Document() {
    CliResult result = sandbox.ok(sandbox.run("auth", "credential-process", "--identity", DEV_ADMIN));

    String out = result.stdout().strip();
    assertThat(out).as("stdout is one JSON object and nothing else").startsWith("{").endsWith("}");
    JsonNode json = result.json();
    Set<String> fields = new TreeSet<>();
    json.fieldNames().forEachRemaining(fields::add);
    assertThat(fields).containsAll(List.of("Version", "AccessKeyId", "SecretAccessKey", "SessionToken", "Expiration"));
    assertThat(fields).isSubsetOf("Version", "AccessKeyId", "SecretAccessKey", "SessionToken", "Expiration",
        "AccountId");
    assertThat(json.get("Version").isInt()).as("Version is the number 1").isTrue();
    assertThat(json.get("Version").asInt()).isEqualTo(1);
    assertThat(Instant.parse(json.get("Expiration").asText())).isAfter(Instant.now());
    if (json.has("AccountId")) {
      assertThat(json.get("AccountId").asText()).isEqualTo(DEV_ACCOUNT);
    }
  }

  @Test
  void botocoreUsesACredentialProcessProfile() {
    Path awsConfig = AtmosSandbox.write(sandbox.root().resolve("aws-cp/config"), "[profile atmos]\n"
        + "credential_process = " + AtmosSandbox.atmosBinary() + " auth credential-process --identity " + DEV_READONLY
        + "\nregion = us-east-1\n");

    JsonNode who = Botocore.whoami(sandbox, Map.of("AWS_CONFIG_FILE", awsConfig.toString(), "IT_PROFILE", "atmos"));

    assertThat(who.path("Method").asText()).isEqualTo("custom-process");
    assertThat(who.path("Account").asText()).isEqualTo(DEV_ACCOUNT);
    assertThat(who.path("Arn").asText()).contains("ReadOnly");
  }

  @Test
  void botocoreUsesTheContainerEndpointEvenWithADefaultProfileInTheShell() throws Exception {
    Map<String, String> vars = envJson(DEV_ADMIN);
    assertThat(vars).containsKeys("AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_CONTAINER_AUTHORIZATION_TOKEN")
        .doesNotContainKey("AWS_SECRET_ACCESS_KEY");

    // The user's shell: ~/.aws files with a [default] profile that every SDK asks before the container provider.
    Path credentials = Files.writeString(sandbox.workDir().resolve("user-credentials"),
        "[default]\naws_access_key_id = AKIAUSERSDEFAULT0000\naws_secret_access_key = not-a-real-secret\n");
    Path config = Files.writeString(sandbox.workDir().resolve("user-config"), "[default]\nregion = us-east-1\n");
    Map<String, String> env = new HashMap<>(Map.of("AWS_SHARED_CREDENTIALS_FILE", credentials.toString(),
        "AWS_CONFIG_FILE", config.toString()));
    env.putAll(vars); // eval "$(atmos auth env)"
    JsonNode who = Botocore.whoami(sandbox, env);

    assertThat(who.path("Method").asText()).isEqualTo("container-role");
    assertThat(who.path("Account").asText()).isEqualTo(DEV_ACCOUNT);
    assertThat(who.path("Arn").asText()).contains("Admin");
  }

  @Test
  void aContainerEndpointTokenGrantsOnlyItsOwnIdentity() throws Exception {
    Map<String, String> vars = envJson(DEV_ADMIN);
    var client = java.net.http.HttpClient.newHttpClient();
    var wrongToken = java.net.http.HttpRequest.newBuilder(URI.create(vars.get("AWS_CONTAINER_CREDENTIALS_FULL_URI")))
        .header("Authorization", "not-the-token").GET().build();
    int status = client.send(wrongToken, java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
    assertThat(status).as("a wrong Authorization header").isBetween(400, 499);
  }

  @Test
  void javaSdkProcessCredentialsProvider() {
    // The SDK runs the command with the test JVM's environment; env(1) gives the CLI the sandbox's instead.
    List<String> command = new ArrayList<>(List.of("/usr/bin/env", "-i", "--chdir=" + sandbox.workDir()));
    sandbox.environment().forEach((k, v) -> command.add(k + "=" + v));
    command.addAll(List.of(AtmosSandbox.atmosBinary().toString(), "auth", "credential-process", "--identity", PROD_ADMIN));

    try (ProcessCredentialsProvider provider = ProcessCredentialsProvider.builder().command(command).build()) {
      GetCallerIdentityResponse who = sts(provider);
      assertThat(who.account()).isEqualTo(PROD_ACCOUNT);
      assertThat(who.arn()).contains("Admin");
    }
  }

  @Test
  void javaSdkContainerCredentialsProvider() {
    Map<String, String> vars = envJson(DEV_READONLY);
    System.setProperty("aws.containerCredentialsFullUri", vars.get("AWS_CONTAINER_CREDENTIALS_FULL_URI"));
    System.setProperty("aws.containerAuthorizationToken", vars.get("AWS_CONTAINER_AUTHORIZATION_TOKEN"));
    try (ContainerCredentialsProvider provider = ContainerCredentialsProvider.builder().build()) {
      GetCallerIdentityResponse who = sts(provider);
      assertThat(who.account()).isEqualTo(DEV_ACCOUNT);
      assertThat(who.arn()).contains("ReadOnly");
    } finally {
      System.clearProperty("aws.containerCredentialsFullUri");
      System.clearProperty("aws.containerAuthorizationToken");
    }
  }

  @Test
  void execPassesTheExitCodeThrough() {
    CliResult seven = sandbox.run("auth", "exec", "--identity", DEV_ADMIN, "--", "sh", "-c", "exit 7");
    assertThat(seven.exitCode()).as("%s", seven).isEqualTo(7);
    CliResult zero = sandbox.run("auth", "exec", "--identity", DEV_ADMIN, "--", "sh", "-c", "echo hello");
    assertThat(zero.exitCode()).as("%s", zero).isZero();
    assertThat(zero.stdout()).isEqualTo("hello\n");
  }

  @Test
  void execNeutralisesInheritedCredentials() {
    Path script = AtmosSandbox.write(sandbox.binDir().resolve("whoami.py"), Botocore.WHOAMI);
    Map<String, String> inherited = Map.of(
        "AWS_ACCESS_KEY_ID", "AKIAINHERITEDINHERIT",
        "AWS_SECRET_ACCESS_KEY", "inherited-secret",
        "AWS_PROFILE", "inherited",
        "IT_STS_ENDPOINT", sandbox.endpoint());

    CliResult result = sandbox.ok(sandbox.run(inherited, "auth", "exec", "--identity", DEV_ADMIN, "--",
        AtmosSandbox.python(), script.toString()));

    JsonNode who = CliResult.parse(result.stdoutLines().get(result.stdoutLines().size() - 1));
    assertThat(who.path("AWS_PROFILE").asText()).isNotEqualTo("inherited");
    assertThat(who.path("AWS_ACCESS_KEY_ID").asText()).isNotEqualTo("AKIAINHERITEDINHERIT");
    assertThat(who.path("Account").asText()).isEqualTo(DEV_ACCOUNT);
    assertThat(who.path("Arn").asText()).contains("Admin");
  }

  @Test
  void terraformRunsTheConfiguredBinaryWithTheIdentity() throws Exception {
    Path record = sandbox.root().resolve("terraform-record.json");
    Path fakeTerraform = AtmosSandbox.writeScript(sandbox.binDir().resolve("fake-terraform"),
        "#!" + AtmosSandbox.python() + "\n" + """
        import json, os, sys
        import botocore.session
        session = botocore.session.Session()
        client = session.create_client('sts', endpoint_url=os.environ['IT_STS_ENDPOINT'], region_name='us-east-1')
        out = {
            'argv': sys.argv[1:],
            'aws_env': sorted(k for k in os.environ if k.startswith('AWS_')),
            'AWS_PROFILE': os.environ.get('AWS_PROFILE'),
            'cwd': os.getcwd(),
            'arn': client.get_caller_identity()['Arn'],
            'method': session.get_credentials().method,
        }
        with open(os.environ['IT_RECORD'], 'w') as f:
            json.dump(out, f)
        sys.exit(int(os.environ.get('IT_EXIT', '0')))
        """);
    Map<String, String> env = Map.of("ATMOS_TERRAFORM_BINARY", fakeTerraform.toString(),
        "IT_STS_ENDPOINT", sandbox.endpoint(), "IT_RECORD", record.toString(),
        "AWS_PROFILE", "inherited", "AWS_ACCESS_KEY_ID", "AKIAINHERITEDINHERIT");

    CliResult plan = sandbox.ok(sandbox.run(env, "terraform", "plan", "-input=false", "--identity", DEV_READONLY));

    JsonNode recorded = CliResult.parse(Files.readString(record));
    List<String> argv = new ArrayList<>();
    recorded.path("argv").forEach(a -> argv.add(a.asText()));
    assertThat(argv).as("%s", plan).contains("plan", "-input=false").doesNotContain("--identity", DEV_READONLY);
    assertThat(recorded.path("arn").asText()).contains(DEV_ACCOUNT).contains("ReadOnly");
    assertThat(recorded.path("AWS_PROFILE").asText()).isNotEqualTo("inherited");

    CliResult failing = sandbox.run(Map.of("ATMOS_TERRAFORM_BINARY", fakeTerraform.toString(),
        "IT_STS_ENDPOINT", sandbox.endpoint(), "IT_RECORD", record.toString(), "IT_EXIT", "3"),
        "terraform", "apply", "-i", DEV_READONLY, "-auto-approve");
    assertThat(failing.exitCode()).as("terraform's exit code passes through: %s", failing).isEqualTo(3);
    // -i is atmos's, as for auth exec (terraform has none): taken as the identity, not passed on.
    List<String> applyArgv = new ArrayList<>();
    CliResult.parse(Files.readString(record)).path("argv").forEach(a -> applyArgv.add(a.asText()));
    assertThat(applyArgv).as("%s", failing).containsExactly("apply", "-auto-approve");
  }

  @Test
  void anUnknownIdentityIsAUsageErrorWithASuggestion() {
    CliResult result = sandbox.run("auth", "credential-process", "--identity", "dev-admn");
    assertThat(result.exitCode()).as("%s", result).isEqualTo(2);
    assertThat(result.stdout()).isEmpty();
    assertThat(result.stderrLines()).as("%s", result).hasSize(1);
    assertThat(result.stderr()).contains("dev-admn").contains(DEV_ADMIN).doesNotContain("Exception");
  }

  @Test
  void whoamiJson() {
    JsonNode who = sandbox.ok(sandbox.run("auth", "whoami", "--identity", DEV_ADMIN, "--format", "json")).json();
    assertThat(Json.at(who, "account").asText()).as("%s", who).isEqualTo(DEV_ACCOUNT);
    assertThat(Json.at(who, "arn").asText()).as("%s", who).contains("Admin");
    assertThat(Json.at(who, "identity").asText()).as("%s", who).isEqualTo(DEV_ADMIN);
    assertThat(who.toString()).as("no secrets in whoami").doesNotContainIgnoringCase("secret");
  }

  @Test
  void whoamiThroughAnAssumeRoleChain() {
    JsonNode who = sandbox.ok(sandbox.run("auth", "whoami", "--identity", DEPLOYER, "--format", "json")).json();
    assertThat(Json.at(who, "account").asText()).as("%s", who).isEqualTo(DEV_ACCOUNT);
    assertThat(Json.at(who, "arn").asText()).as("%s", who).contains("deployer");
  }

  @Test
  void whoamiUsesTheDefaultIdentityOrAtmosIdentity() {
    JsonNode byDefault = sandbox.ok(sandbox.run("auth", "whoami", "--format", "json")).json();
    assertThat(Json.at(byDefault, "identity").asText()).isEqualTo(DEV_ADMIN);
    JsonNode byEnv = sandbox.ok(sandbox.run(Map.of("ATMOS_IDENTITY", PROD_ADMIN), "auth", "whoami", "--format", "json"))
        .json();
    assertThat(Json.at(byEnv, "identity").asText()).isEqualTo(PROD_ADMIN);
    assertThat(Json.at(byEnv, "account").asText()).isEqualTo(PROD_ACCOUNT);
  }

  @Test
  void listJson() {
    JsonNode list = sandbox.ok(sandbox.run("auth", "list", "--format", "json")).json();
    Map<String, JsonNode> identities = byName(Json.at(list, "identities"));
    assertThat(identities).as("%s", list).containsOnlyKeys(DEV_ADMIN, DEV_READONLY, PROD_ADMIN, DEPLOYER);
    assertThat(Json.at(identities.get(DEV_ADMIN), "kind").asText()).isEqualTo("aws/permission-set");
    assertThat(Json.at(identities.get(DEV_ADMIN), "default").asBoolean()).as("%s", list).isTrue();
    assertThat(Json.at(identities.get(DEPLOYER), "kind").asText()).isEqualTo("aws/assume-role");
    assertThat(Json.at(identities.get(DEPLOYER), "via", "identity").asText()).isEqualTo(DEV_ADMIN);
    assertThat(Json.at(identities.get(DEPLOYER), "atmosd", "provider").asText()).isEqualTo(PROVIDER);
    Map<String, JsonNode> providers = byName(Json.at(list, "providers"));
    assertThat(providers).as("%s", list).containsOnlyKeys(PROVIDER);
    assertThat(Json.at(providers.get(PROVIDER), "start_url").asText()).isEqualTo(AtmosSandbox.START_URL);
  }

  @Test
  void envFormats() {
    CliResult bash = sandbox.ok(sandbox.run("auth", "env", "--identity", DEV_ADMIN, "--format", "bash"));
    assertThat(bash.stdout()).contains("export AWS_CONTAINER_CREDENTIALS_FULL_URI=")
        .contains("export AWS_CONTAINER_AUTHORIZATION_TOKEN=");
    CliResult staticDotenv = sandbox.ok(sandbox.run("auth", "env", "--identity", DEV_ADMIN, "--format", "dotenv",
        "--static"));
    assertThat(staticDotenv.stdout()).containsPattern("(?m)^AWS_ACCESS_KEY_ID=")
        .containsPattern("(?m)^AWS_SECRET_ACCESS_KEY=").containsPattern("(?m)^AWS_SESSION_TOKEN=");
    Map<String, String> staticJson = new HashMap<>();
    sandbox.ok(sandbox.run("auth", "env", "--identity", DEV_ADMIN, "--format", "json", "--static")).json()
        .properties().forEach(e -> staticJson.put(e.getKey(), e.getValue().asText()));
    JsonNode who = Botocore.whoami(sandbox, Map.of(
        "AWS_ACCESS_KEY_ID", staticJson.get("AWS_ACCESS_KEY_ID"),
        "AWS_SECRET_ACCESS_KEY", staticJson.get("AWS_SECRET_ACCESS_KEY"),
        "AWS_SESSION_TOKEN", staticJson.get("AWS_SESSION_TOKEN")));
    assertThat(who.path("Method").asText()).isEqualTo("env");
    assertThat(who.path("Account").asText()).isEqualTo(DEV_ACCOUNT);
  }

  // ------------------------------------------------------------------------------------------

  Map<String, String> envJson(String identity) {
    JsonNode json = sandbox.ok(sandbox.run("auth", "env", "--identity", identity, "--format", "json")).json();
    Map<String, String> vars = new HashMap<>();
    json.properties().forEach(e -> vars.put(e.getKey(), e.getValue().asText()));
    return vars;
  }

  @SuppressWarnings("deprecation") // the brief's apache-client; apache5-client is its successor
  GetCallerIdentityResponse sts(AwsCredentialsProvider provider) {
    try (StsClient sts = StsClient.builder()
        .endpointOverride(URI.create(sandbox.endpoint()))
        .region(Region.US_EAST_1)
        .credentialsProvider(provider)
        .httpClient(ApacheHttpClient.create())
        .build()) {
      return sts.getCallerIdentity();
    }
  }

  /** Entries of a JSON list (or map) of named things, keyed by their name. */
  static Map<String, JsonNode> byName(JsonNode node) {
    Map<String, JsonNode> out = new java.util.LinkedHashMap<>();
    if (node.isArray()) {
      node.forEach(n -> out.put(Json.at(n, "name").asText(), n));
    } else if (node.isObject()) {
      node.properties().forEach(e -> out.put(e.getKey(), e.getValue()));
    }
    return out;
  }
}
