package dev.atmosd.it;

import static dev.atmosd.it.AtmosSandbox.DEV_ADMIN;
import static dev.atmosd.it.AtmosSandbox.PROD_ACCOUNT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * aws/assume-root run by the daemon (issue 12 item 2): sts:AssumeRoot of a member account with an AWS-managed
 * root-task policy, signed with the credentials of its via.identity, as the Go atmos's
 * pkg/auth/identities/aws/assume_root.go does it (duration capped at 900 s with a warning; an STS refusal exits 1
 * with Go's hints). The emulator verifies the call's SigV4 signature and its parameters as AWS documents them.
 */
class AssumeRootTest {
  static final String ROOT = "prod-root";
  static final String AUDIT = "arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials";

  AtmosSandbox sandbox;

  @BeforeEach
  void signIn() {
    sandbox = AtmosSandbox.create();
    sandbox.writeConfig(sandbox.standardConfig()
        .identity(ROOT, root(PROD_ACCOUNT, "1h"))
        .identity("nowhere-root", root("333333333333", null)));
    sandbox.runOk("auth", "login");
  }

  @AfterEach
  void close() {
    AtmosSandbox.closeIfCreated(sandbox);
  }

  static Map<String, Object> root(String target, String duration) {
    Map<String, Object> principal = new LinkedHashMap<>();
    principal.put("target_principal", target);
    principal.put("task_policy_arn", AUDIT);
    if (duration != null) {
      principal.put("duration", duration);
    }
    return Map.of("kind", "aws/assume-root", "via", Map.of("identity", DEV_ADMIN), "principal", principal);
  }

  @Test
  void whoamiIsTheMemberAccountsRootUser() {
    JsonNode who = sandbox.ok(sandbox.run("auth", "whoami", "--identity", ROOT, "--format", "json")).json();

    assertThat(Json.at(who, "account").asText()).as("%s", who).isEqualTo(PROD_ACCOUNT);
    assertThat(Json.at(who, "arn").asText()).as("%s", who).isEqualTo("arn:aws:iam::" + PROD_ACCOUNT + ":root");
  }

  @Test
  void aRootSessionLastsAtMostFifteenMinutesAndIsServedFromTheCacheWithinThem() {
    Instant before = Instant.now();
    JsonNode first = sandbox.ok(sandbox.run("auth", "credential-process", "--identity", ROOT)).json();
    JsonNode second = sandbox.ok(sandbox.run("auth", "credential-process", "--identity", ROOT)).json();

    Instant expiration = Instant.parse(first.path("Expiration").asText());
    assertThat(Duration.between(before, expiration)).isLessThanOrEqualTo(Duration.ofMinutes(15).plusSeconds(5))
        .isGreaterThan(Duration.ofMinutes(14));
    assertThat(second.path("AccessKeyId").asText()).isEqualTo(first.path("AccessKeyId").asText());
    assertThat(sandbox.emulator().calls("AssumeRoot")).isEqualTo(1);
    assertThat(sandbox.daemonLog()).contains("identity 'prod-root': duration PT1H exceeds AssumeRoot's maximum of"
        + " 900s; asking for 900s");
  }

  @Test
  void execGivesTheChildTheRootSessionThroughTheEndpoint() {
    Path script = AtmosSandbox.write(sandbox.binDir().resolve("whoami.py"), Botocore.WHOAMI);

    CliResult result = sandbox.ok(sandbox.run(Map.of("IT_STS_ENDPOINT", sandbox.endpoint()), "auth", "exec",
        "--identity", ROOT, "--", AtmosSandbox.python(), script.toString()));

    JsonNode who = CliResult.parse(result.stdoutLines().get(result.stdoutLines().size() - 1));
    assertThat(who.path("Arn").asText()).isEqualTo("arn:aws:iam::" + PROD_ACCOUNT + ":root");
  }

  @Test
  void anAccountOutsideTheOrganizationIsAnAwsRefusalExitOne() {
    CliResult refused = sandbox.run("auth", "credential-process", "--identity", "nowhere-root");

    assertThat(refused.exitCode()).as("%s", refused).isEqualTo(1);
    assertThat(refused.stderr().strip().lines()).hasSize(1);
    assertThat(refused.stderr()).contains("AWS STS refused AssumeRoot for 'nowhere-root' (333333333333, " + AUDIT
        + "): AccessDenied").contains("centralized root access");
    assertThat(refused.stdout()).isEmpty();
  }
}
