package dev.atmosd.daemon.endpoint;

import static dev.atmosd.daemon.credentials.BrokerFixture.DEV_ACCOUNT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.atmosd.daemon.aws.AwsEndpoints;
import dev.atmosd.daemon.config.ConfigLoader;
import dev.atmosd.daemon.credentials.BrokerFixture;
import dev.atmosd.daemon.session.SignInObserver;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * Real peer clients against the endpoint: the AWS SDK for Java's ContainerCredentialsProvider and botocore's
 * container provider fetch a grant's credentials, and the emulator's STS accepts what they sign with them.
 */
class EndpointWithRealClientsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private BrokerFixture fixture;
  private ContainerCredentialsEndpoint endpoint;
  private Path atmosYaml;

  @BeforeEach
  void start() throws IOException {
    fixture = new BrokerFixture(dir);
    atmosYaml = dir.resolve("atmos.yaml");
    writeConfig("AdministratorAccess");
    endpoint = ContainerCredentialsEndpoint.start(fixture.broker, new ConfigLoader(fixture.paths, Map.of()), 0, java.time.Clock.systemUTC());
  }

  @AfterEach
  void stop() throws Exception {
    endpoint.close();
    fixture.close();
  }

  @Test
  void theJavaSdkFetchesCredentialsThatStsAccepts() {
    IssuedGrant grant = signInAndGrant();

    AwsCredentials credentials = ContainerCredentialsEndpointTest.withContainerProperties(grant,
        () -> ContainerCredentialsProvider.builder().build().resolveCredentials());

    assertThat(callerArn(credentials)).contains(":assumed-role/AWSReservedSSO_AdministratorAccess")
        .contains(DEV_ACCOUNT);
    assertThat(fixture.emulator.calls("GetRoleCredentials")).as("the grant's first fetch is a cache hit").isEqualTo(1);
  }

  @Test
  void anEditedIdentityIsReResolvedOnTheNextFetch() throws IOException {
    IssuedGrant grant = signInAndGrant();
    writeConfig("ReadOnlyAccess");

    AwsCredentials credentials = ContainerCredentialsEndpointTest.withContainerProperties(grant,
        () -> ContainerCredentialsProvider.builder().build().resolveCredentials());

    assertThat(callerArn(credentials)).contains("ReadOnlyAccess");
  }

  @Test
  void botocoresContainerProviderFetchesCredentialsThatStsAccepts() throws Exception {
    assumeTrue(hasBotocore(), "python3 with botocore is not installed");
    IssuedGrant grant = signInAndGrant();
    String script = String.join("\n",
        "import json, os, botocore.session",
        "session = botocore.session.get_session()",
        "credentials = session.get_credentials()",
        "sts = session.create_client('sts', region_name='us-east-1', endpoint_url=os.environ['EMULATOR'])",
        "answer = sts.get_caller_identity()",
        "print(json.dumps({'method': credentials.method, 'arn': answer['Arn'], 'account': answer['Account']}))");
    ProcessBuilder python = new ProcessBuilder("python3", "-c", script).redirectErrorStream(true);
    Map<String, String> env = python.environment();
    env.keySet().removeIf(name -> name.startsWith("AWS_"));
    env.put("HOME", dir.toString());
    env.put("AWS_CONFIG_FILE", dir.resolve("no-config").toString());
    env.put("AWS_SHARED_CREDENTIALS_FILE", dir.resolve("no-credentials").toString());
    env.put("AWS_EC2_METADATA_DISABLED", "true");
    env.put("AWS_CONTAINER_CREDENTIALS_FULL_URI", grant.fullUri());
    env.put("AWS_CONTAINER_AUTHORIZATION_TOKEN", grant.authorizationToken());
    env.put("EMULATOR", fixture.emulator.endpoint().toString());

    Process process = python.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();

    assertThat(process.exitValue()).as(output).isZero();
    JsonNode answer = JSON.readTree(output.substring(output.lastIndexOf('\n') + 1));
    assertThat(answer.get("method").asText()).isEqualTo("container-role");
    assertThat(answer.get("account").asText()).isEqualTo(DEV_ACCOUNT);
    assertThat(answer.get("arn").asText()).contains("AdministratorAccess");
  }

  private IssuedGrant signInAndGrant() {
    ConfigLoader loader = new ConfigLoader(fixture.paths, Map.of());
    fixture.broker.credentials(loader.load(atmosYaml, Map.of()), "dev-admin", SignInObserver.NOBODY).join();
    return endpoint.grant(atmosYaml, Map.of(), "dev-admin");
  }

  private String callerArn(AwsCredentials credentials) {
    try (StsClient sts = fixture.aws.sts(new AwsEndpoints(null, null, fixture.emulator.endpoint()), "us-east-1",
        StaticCredentialsProvider.create(credentials))) {
      return sts.getCallerIdentity().arn();
    }
  }

  private void writeConfig(String permissionSet) throws IOException {
    Files.writeString(atmosYaml, String.join("\n",
        "auth:",
        "  providers:",
        "    company-sso:",
        "      kind: aws/iam-identity-center",
        "      start_url: https://d-1234567890.awsapps.com/start",
        "      region: us-east-1",
        "      spec:",
        "        endpoint_url: " + fixture.emulator.endpoint(),
        "  identities:",
        "    dev-admin:",
        "      kind: aws/permission-set",
        "      via:",
        "        provider: company-sso",
        "      principal:",
        "        name: " + permissionSet,
        "        account:",
        "          id: \"" + DEV_ACCOUNT + "\"",
        ""));
  }

  private static boolean hasBotocore() {
    try {
      Process probe = new ProcessBuilder("python3", "-c", "import botocore").redirectErrorStream(true).start();
      probe.getInputStream().readAllBytes();
      return probe.waitFor(60, TimeUnit.SECONDS) && probe.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
