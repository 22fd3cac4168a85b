package dev.atmosd.it;

import static dev.atmosd.it.AtmosSandbox.DEV_ADMIN;
import static dev.atmosd.it.AtmosSandbox.DEV_READONLY;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * `atmos auth logout IDENTITY` and `atmos auth logout --dry-run` with the real CLI against a real daemon and the
 * emulator (issue 10 item 6).
 *
 * <p>As the Go atmos (cloudposse/atmos): cmd/auth/logout.go performIdentityLogout (the identity must be configured,
 * else ErrIdentityNotInConfig; --dry-run prints "Dry run mode: No credentials will be removed" and "Would remove:"
 * bullets, then returns before any removal) and executeAuthLogoutCommand (a positional identity wins over
 * --identity); pkg/auth/manager_logout.go Logout ("removes credentials for the specified identity only. Provider and
 * chain credentials are preserved for use by other identities"); pkg/ui/formatter.go (MarkdownMessagef and Writef
 * write to stderr, so the preview is on stderr and stdout stays empty); errors/exit_code.go (no exit code attached:
 * exit 1, which is what Go's logout of an unknown identity exits with).
 */
class LogoutIdentityTest {
  AtmosSandbox sandbox;

  @BeforeEach
  void signIn() {
    sandbox = AtmosSandbox.create();
    sandbox.writeConfig(sandbox.standardConfig().autoProvision(AtmosSandbox.PROVIDER));
    sandbox.runOk("auth", "login");
  }

  @AfterEach
  void close() {
    if (sandbox != null) { // null when the native-client run skipped the class (no native client here)
      sandbox.close();
    }
  }

  @Test
  void aDryRunShowsWhatWouldGoOnStderrAndLeavesEveryFileAndTheSessionAsTheyWere() {
    String key = accessKey(DEV_ADMIN);
    Map<String, String> grant = envGrant(DEV_ADMIN);
    Map<String, String> before = cacheFiles();
    long roleCalls = sandbox.emulator().calls("GetRoleCredentials");

    CliResult identity = sandbox.ok(sandbox.run("auth", "logout", DEV_ADMIN, "--dry-run"));
    assertThat(identity.stdout()).isEmpty();
    assertThat(identity.stderr()).startsWith("Dry run mode: No credentials will be removed\n\nWould remove:\n");
    assertThat(identity.stderr()).contains("• Credentials:  " + DEV_ADMIN + " (cached role credentials)")
        .contains("• Grants:       1 endpoint grant").doesNotContain("Session:").doesNotContain("Files:");
    assertAligned(identity.stderrLines());

    CliResult portal = sandbox.ok(sandbox.run("auth", "logout", "--dry-run"));
    assertThat(portal.stdout()).isEmpty();
    assertThat(portal.stderr()).contains("Would remove:").contains("• Session:")
        .contains(sandbox.sessionFile().toString())
        .contains(sandbox.provisionedFile(AtmosSandbox.PROVIDER).toString())
        .contains(DEV_ADMIN + " (cached role credentials)").contains("1 endpoint grant");
    assertAligned(portal.stderrLines());
    assertThat(sandbox.ok(sandbox.run("auth", "logout", "--all", "--dry-run")).stderr()).contains("• Session:");

    assertThat(cacheFiles()).as("every file under the cache home, byte for byte").isEqualTo(before);
    assertThat(EndpointGrantLifetimeTest.status(grant)).as("the grant still opens the endpoint").isEqualTo(200);
    assertThat(accessKey(DEV_ADMIN)).as("the cached credentials are still handed out").isEqualTo(key);
    assertThat(sandbox.emulator().calls("GetRoleCredentials")).isEqualTo(roleCalls);
    assertThat(sandbox.emulator().calls("StartDeviceAuthorization")).isEqualTo(1);
  }

  @Test
  void anIdentityLogoutMakesItMintAnewWhileAnotherIdentityOfThePortalKeepsWorkingWithoutASignIn() throws Exception {
    String adminKey = accessKey(DEV_ADMIN);
    String readOnlyKey = accessKey(DEV_READONLY);
    Map<String, String> adminGrant = envGrant(DEV_ADMIN);
    Map<String, String> readOnlyGrant = envGrant(DEV_READONLY);
    String session = Files.readString(sandbox.sessionFile());
    long roleCalls = sandbox.emulator().calls("GetRoleCredentials");
    int browsers = sandbox.browserInvocations().size();

    CliResult logout = sandbox.ok(sandbox.run("auth", "logout", DEV_ADMIN));
    assertThat(logout.stdoutLines()).first().asString().startsWith("✓ Logged out " + DEV_ADMIN);
    assertThat(logout.stdout()).contains("forgot   cached credentials of " + DEV_ADMIN)
        .contains("revoked  1 endpoint grant");

    assertThat(EndpointGrantLifetimeTest.status(adminGrant)).as("the logged-out identity's grant").isEqualTo(403);
    assertThat(EndpointGrantLifetimeTest.status(readOnlyGrant)).as("the other identity's grant").isEqualTo(200);
    assertThat(Files.readString(sandbox.sessionFile())).as("the portal session file").isEqualTo(session);
    assertThat(sandbox.provisionedFile(AtmosSandbox.PROVIDER)).exists();

    assertThat(accessKey(DEV_READONLY)).isEqualTo(readOnlyKey);
    assertThat(sandbox.emulator().calls("GetRoleCredentials")).as("the other identity, from the cache")
        .isEqualTo(roleCalls);
    assertThat(accessKey(DEV_ADMIN)).isNotEqualTo(adminKey);
    assertThat(sandbox.emulator().calls("GetRoleCredentials")).as("the logged-out identity, minted anew")
        .isEqualTo(roleCalls + 1);
    assertThat(sandbox.emulator().calls("StartDeviceAuthorization")).as("no new sign-in").isEqualTo(1);
    assertThat(sandbox.browserInvocations()).hasSize(browsers);

    // -i works as the positional does (Go's --identity); nothing is cached for prod-admin, so nothing goes.
    CliResult nothing = sandbox.ok(sandbox.run("auth", "logout", "-i", AtmosSandbox.PROD_ADMIN));
    assertThat(nothing.stdout()).startsWith("Nothing to remove: " + AtmosSandbox.PROD_ADMIN);
  }

  @Test
  void anUnknownIdentityIsOneLineNamingItAndExitsOneAsGoAndCombiningItWithProviderOrAllIsAUsageError() {
    CliResult unknown = sandbox.run("auth", "logout", "dev-admn");
    assertThat(unknown.exitCode()).as("%s", unknown).isEqualTo(1);
    assertThat(unknown.stdout()).isEmpty();
    assertThat(unknown.stderrLines()).singleElement().asString()
        .contains("\"dev-admn\"").contains("did you mean \"" + DEV_ADMIN + "\"");
    assertThat(sandbox.run("auth", "logout", "dev-admn", "--dry-run").exitCode()).isEqualTo(1);

    CliResult both = sandbox.run("auth", "logout", DEV_ADMIN, "--all");
    assertThat(both.exitCode()).isEqualTo(2);
    assertThat(both.stderr()).contains("IDENTITY").contains("--all");
    assertThat(sandbox.run("auth", "logout", DEV_ADMIN, "--provider", AtmosSandbox.PROVIDER).exitCode())
        .isEqualTo(2);
    assertThat(sandbox.sessionFile()).as("nothing was signed out").exists();
  }

  /** The value column of the preview's bullets starts at one column. */
  private static void assertAligned(List<String> lines) {
    List<Integer> columns = lines.stream().filter(l -> l.startsWith("  • ")).map(l -> {
      int column = l.indexOf(':') + 1;
      while (column < l.length() && l.charAt(column) == ' ') {
        column++;
      }
      return column;
    }).distinct().toList();
    assertThat(columns).as("value columns of %s", lines).hasSize(1);
  }

  private String accessKey(String identity) {
    JsonNode json = sandbox.ok(sandbox.run("auth", "credential-process", "--identity", identity)).json();
    return json.path("AccessKeyId").asText();
  }

  private Map<String, String> envGrant(String identity) {
    JsonNode json = sandbox.ok(sandbox.run("auth", "env", "--identity", identity, "--format=json")).json();
    Map<String, String> vars = new HashMap<>();
    json.properties().forEach(e -> vars.put(e.getKey(), e.getValue().asText()));
    assertThat(vars).containsKey("AWS_CONTAINER_CREDENTIALS_FULL_URI");
    return vars;
  }

  /** Every file under the cache home (sessions, provisioned identities, endpoint grants, locks) and its SHA-256. */
  private Map<String, String> cacheFiles() {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(sandbox.cacheHome())) {
      for (Path file : walk.filter(Files::isRegularFile).toList()) {
        files.put(file.toString(), HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
            .digest(Files.readAllBytes(file))));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    assertThat(files.keySet()).anyMatch(f -> f.endsWith("endpoint-grants.json"))
        .anyMatch(f -> f.endsWith("provisioned-identities.yaml"))
        .anyMatch(f -> f.startsWith(sandbox.sessionsDir().toString()));
    return files;
  }
}
