package dev.atmosd.it;

import static dev.atmosd.it.AtmosSandbox.DEV_ACCOUNT;
import static dev.atmosd.it.AtmosSandbox.DEV_ADMIN;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * aws/ambient (issue 12 item 2, standalone): the credentials already in the caller's environment, passed through as the
 * Go atmos's pkg/auth/identities/aws/ambient.go PrepareEnvironment does: no AWS_* variable cleared, no config files or
 * instance metadata switched off, only AWS_REGION/AWS_DEFAULT_REGION (when principal.region is set) and the
 * identity's env added. The child here is real botocore, signing with keys the emulator issued.
 */
class AmbientIdentityTest {
  static final String AMBIENT = "ci-ambient";

  AtmosSandbox sandbox;
  Map<String, String> callerKeys;

  @BeforeEach
  void setUp() {
    sandbox = AtmosSandbox.create();
    sandbox.writeConfig(sandbox.standardConfig().identity(AMBIENT, Map.of("kind", "aws/ambient",
        "principal", Map.of("region", "eu-west-1"), "env", Map.of("TEAM", "platform"))));
    sandbox.runOk("auth", "login");
    // The caller's own ambient keys (as a CI runner would have them): real emulator credentials.
    JsonNode keys = sandbox.ok(sandbox.run("auth", "credential-process", "--identity", DEV_ADMIN)).json();
    callerKeys = new HashMap<>(Map.of(
        "AWS_ACCESS_KEY_ID", keys.path("AccessKeyId").asText(),
        "AWS_SECRET_ACCESS_KEY", keys.path("SecretAccessKey").asText(),
        "AWS_SESSION_TOKEN", keys.path("SessionToken").asText(),
        "IT_STS_ENDPOINT", sandbox.endpoint()));
  }

  @AfterEach
  void close() {
    AtmosSandbox.closeIfCreated(sandbox);
  }

  @Test
  void execPassesTheCallersOwnCredentialsThroughWithTheRegionAndEnv() {
    Path script = AtmosSandbox.write(sandbox.binDir().resolve("ambient.py"), """
        import json, os
        import botocore.session
        session = botocore.session.Session()
        client = session.create_client('sts', endpoint_url=os.environ['IT_STS_ENDPOINT'])
        identity = client.get_caller_identity()
        print(json.dumps({'Account': identity['Account'], 'Method': session.get_credentials().method,
            'region': os.environ.get('AWS_REGION'), 'default_region': os.environ.get('AWS_DEFAULT_REGION'),
            'team': os.environ.get('TEAM'), 'identity': os.environ.get('ATMOS_IDENTITY'),
            'container': os.environ.get('AWS_CONTAINER_CREDENTIALS_FULL_URI'),
            'metadata_disabled': os.environ.get('AWS_EC2_METADATA_DISABLED')}))
        """);
    // The sandbox keeps AWS_EC2_METADATA_DISABLED=true for every process: it must reach the child as it was.
    CliResult result = sandbox.ok(sandbox.run(callerKeys, "auth", "exec", "--identity", AMBIENT, "--",
        AtmosSandbox.python(), script.toString()));

    JsonNode child = CliResult.parse(result.stdoutLines().get(result.stdoutLines().size() - 1));
    assertThat(child.path("Account").asText()).isEqualTo(DEV_ACCOUNT);
    assertThat(child.path("Method").asText()).isEqualTo("env");
    assertThat(child.path("region").asText()).isEqualTo("eu-west-1");
    assertThat(child.path("default_region").asText()).isEqualTo("eu-west-1");
    assertThat(child.path("team").asText()).isEqualTo("platform");
    assertThat(child.path("identity").asText()).isEqualTo(AMBIENT);
    assertThat(child.path("container").isNull()).as("no endpoint for an ambient identity: %s", child).isTrue();
    assertThat(child.path("metadata_disabled").asText()).isEqualTo("true");
  }

  @Test
  void envPrintsOnlyTheRegionAndTheIdentitysEnvAndUnsetsNothing() {
    CliResult env = sandbox.ok(sandbox.run(callerKeys, "auth", "env", "--identity", AMBIENT));

    assertThat(env.stdout()).contains("export AWS_REGION=", "eu-west-1", "export AWS_DEFAULT_REGION=",
        "export TEAM=");
    assertThat(env.stdout()).doesNotContain("unset").doesNotContain("AWS_CONTAINER")
        .doesNotContain(callerKeys.get("AWS_ACCESS_KEY_ID"));
  }

  @Test
  void credentialProcessSaysWhatAnAmbientIdentityIsForInOneLine() {
    CliResult refused = sandbox.run(callerKeys, "auth", "credential-process", "--identity", AMBIENT);

    assertThat(refused.exitCode()).as("%s", refused).isEqualTo(2);
    assertThat(refused.stderr().strip().lines()).hasSize(1);
    assertThat(refused.stderr()).contains("identity kind aws/ambient is the credentials already in your environment")
        .contains("`atmos auth exec`");
    assertThat(refused.stdout()).isEmpty();
  }
}
