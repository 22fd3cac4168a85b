package dev.atmosd.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atmosd.daemon.files.DaemonPaths;
import dev.atmosd.emulator.SsoEmulator;
import dev.atmosd.v1.AuthEvent;
import dev.atmosd.v1.ClientContext;
import dev.atmosd.v1.EndpointGrant;
import dev.atmosd.v1.IdentitiesGrpc;
import dev.atmosd.v1.IdentityRequest;
import dev.atmosd.v1.LoginRequest;
import dev.atmosd.v1.LogoutReply;
import dev.atmosd.v1.LogoutRequest;
import dev.atmosd.v1.RoleCredentials;
import dev.atmosd.v1.SessionsGrpc;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code atmos auth logout IDENTITY} and {@code --dry-run} through a real daemon (session engine, credential broker,
 * container endpoint) against the emulator.
 *
 * <p>The behaviour follows the Go atmos (cloudposse/atmos): cmd/auth/logout.go (executeAuthLogoutCommand: --all,
 * then --provider, then the positional identity or --identity; performIdentityLogout checks the identity is
 * configured, ErrIdentityNotInConfig otherwise, and with --dry-run prints "Dry run mode: No credentials will be
 * removed" / "Would remove:" and returns before removing anything); pkg/auth/manager_logout.go (Logout "removes
 * credentials for the specified identity only. Provider and chain credentials are preserved for use by other
 * identities"; LogoutProvider/LogoutAll also end the provider session and its provisioned identities);
 * cmd/auth/logout_test.go (TestPerformIdentityLogout_DryRun: Logout is never called; _NotFound: ErrIdentityNotInConfig);
 * website/docs/cli/commands/auth/logout.mdx ("Other identities using the same provider are not affected and remain
 * usable"); pkg/ui/formatter.go (every message of the command goes to stderr, the UI channel); errors/exit_code.go
 * (an error with no exit code attached, as ErrIdentityNotInConfig, exits 1).
 */
class AtmosdLogoutIdentityTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private AtmosdTestSupport test;
  private SsoEmulator emulator;
  private Path config;

  @BeforeEach
  void setUp() throws Exception {
    test = new AtmosdTestSupport();
    emulator = SsoEmulator.builder().autoApprove(true).build().start();
    emulator.addAccount("111111111111", "dev", "dev@example.com", "AdministratorAccess", "ReadOnlyAccess");
    config = test.write("atmos.yaml", """
        auth:
          providers:
            company-sso:
              kind: aws/iam-identity-center
              start_url: https://emulated.awsapps.com/start
              region: us-east-1
              auto_provision_identities: true
              spec:
                endpoint_url: %s
          identities:
            dev-admin:
              kind: aws/permission-set
              default: true
              via: { provider: company-sso }
              principal: { name: AdministratorAccess, account: { name: dev } }
            dev-readonly:
              kind: aws/permission-set
              via: { provider: company-sso }
              principal: { name: ReadOnlyAccess, account: { name: dev } }
        """.formatted(emulator.endpoint()));
    test.start();
    sessions().login(LoginRequest.newBuilder().setContext(context()).build()).forEachRemaining(e -> {});
  }

  @AfterEach
  void tearDown() throws Exception {
    test.close();
    emulator.close();
  }

  @Test
  void aDryRunReportsWhatALogoutWouldRemoveAndRemovesNothing() throws Exception {
    RoleCredentials minted = credentials("dev-admin");
    EndpointGrant grant = grant("dev-admin");
    Map<String, String> before = cacheFiles();
    long roleCalls = emulator.calls("GetRoleCredentials");

    LogoutReply identity = sessions().logout(LogoutRequest.newBuilder().setContext(context())
        .setIdentity("DEV-ADMIN").setDryRun(true).build());
    assertThat(identity.getDryRun()).isTrue();
    assertThat(identity.getCredentialsRemovedList()).containsExactly("dev-admin");
    assertThat(identity.getGrantsRevoked()).isEqualTo(1);
    assertThat(identity.getSessionsRemovedList()).isEmpty();
    assertThat(identity.getFilesRemovedList()).isEmpty();

    DaemonPaths paths = DaemonPaths.fromEnvironment(test.env);
    LogoutReply portal = sessions().logout(LogoutRequest.newBuilder().setContext(context())
        .setProvider("company-sso").setDryRun(true).build());
    assertThat(portal.getDryRun()).isTrue();
    assertThat(portal.getSessionsRemovedList()).hasSize(1);
    assertThat(portal.getFilesRemovedList()).containsExactlyInAnyOrder(
        paths.sessionFile(portal.getSessionsRemoved(0)).toString(),
        paths.provisionedIdentitiesFile("company-sso").toString());
    assertThat(portal.getCredentialsRemovedList()).containsExactly("dev-admin");
    assertThat(portal.getGrantsRevoked()).isEqualTo(1);
    LogoutReply all = sessions().logout(LogoutRequest.newBuilder().setContext(context()).setAll(true)
        .setDryRun(true).build());
    assertThat(all.getSessionsRemovedList()).isEqualTo(portal.getSessionsRemovedList());
    assertThat(all.getFilesRemovedList()).isEqualTo(portal.getFilesRemovedList());

    assertThat(cacheFiles()).as("every file under the cache home, byte for byte").isEqualTo(before);
    assertThat(status(grant)).as("the grant still opens the endpoint").isEqualTo(200);
    assertThat(credentials("dev-admin").getAccessKeyId()).as("the cached credentials are still handed out")
        .isEqualTo(minted.getAccessKeyId());
    assertThat(emulator.calls("GetRoleCredentials")).isEqualTo(roleCalls);
    assertThat(emulator.calls("StartDeviceAuthorization")).isEqualTo(1);
  }

  @Test
  void anIdentityLogoutDropsItsCredentialsAndGrantsAndKeepsThePortalSessionForTheOthers() throws Exception {
    RoleCredentials admin = credentials("dev-admin");
    RoleCredentials readOnly = credentials("dev-readonly");
    EndpointGrant adminGrant = grant("dev-admin");
    EndpointGrant readOnlyGrant = grant("dev-readonly");
    DaemonPaths paths = DaemonPaths.fromEnvironment(test.env);
    Path sessionFile;
    try (Stream<Path> files = Files.list(paths.sessionFile("x").getParent())) {
      sessionFile = files.filter(f -> f.toString().endsWith(".json")).findFirst().orElseThrow();
    }
    String session = Files.readString(sessionFile);
    long roleCalls = emulator.calls("GetRoleCredentials");

    LogoutReply reply = sessions().logout(LogoutRequest.newBuilder().setContext(context())
        .setIdentity("dev-admin").build());

    assertThat(reply.getDryRun()).isFalse();
    assertThat(reply.getCredentialsRemovedList()).containsExactly("dev-admin");
    assertThat(reply.getGrantsRevoked()).isEqualTo(1);
    assertThat(reply.getSessionsRemovedList()).isEmpty();
    assertThat(reply.getFilesRemovedList()).isEmpty();
    assertThat(status(adminGrant)).as("the logged-out identity's grant").isEqualTo(403);
    assertThat(status(readOnlyGrant)).as("another identity's grant").isEqualTo(200);
    assertThat(Files.readString(sessionFile)).as("the portal session file").isEqualTo(session);
    assertThat(paths.provisionedIdentitiesFile("company-sso")).exists();

    // The other identity is still served from the cache; the logged-out one is minted anew, with no sign-in.
    assertThat(credentials("dev-readonly").getAccessKeyId()).isEqualTo(readOnly.getAccessKeyId());
    assertThat(emulator.calls("GetRoleCredentials")).isEqualTo(roleCalls);
    assertThat(credentials("dev-admin").getAccessKeyId()).isNotEqualTo(admin.getAccessKeyId());
    assertThat(emulator.calls("GetRoleCredentials")).isEqualTo(roleCalls + 1);
    assertThat(emulator.calls("StartDeviceAuthorization")).isEqualTo(1);

    LogoutReply again = sessions().logout(LogoutRequest.newBuilder().setContext(context())
        .setIdentity("dev-readonly").setDryRun(true).build());
    assertThat(again.getCredentialsRemovedList()).containsExactly("dev-readonly");
    assertThat(again.getGrantsRevoked()).isEqualTo(1);
  }

  @Test
  void anUnknownIdentityIsNotFoundNamingItAndTheNearestNames() {
    assertThatThrownBy(() -> sessions().logout(LogoutRequest.newBuilder().setContext(context())
        .setIdentity("dev-admn").setDryRun(true).build()))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
          assertThat(e.getStatus().getDescription()).contains("\"dev-admn\"").contains("did you mean \"dev-admin\"")
              .doesNotContain("\n");
        });
  }

  @Test
  void anIdentityWithAProviderOrAllIsRefused() {
    assertThatThrownBy(() -> sessions().logout(LogoutRequest.newBuilder().setContext(context())
        .setIdentity("dev-admin").setAll(true).build()))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
  }

  private ClientContext context() {
    return ClientContext.newBuilder().setConfigPath(config.toString()).setCommand("auth logout").build();
  }

  private SessionsGrpc.SessionsBlockingStub sessions() {
    return SessionsGrpc.newBlockingStub(test.connect().channel()).withDeadlineAfter(Duration.ofSeconds(60));
  }

  private IdentitiesGrpc.IdentitiesBlockingStub identities() {
    return IdentitiesGrpc.newBlockingStub(test.connect().channel()).withDeadlineAfter(Duration.ofSeconds(60));
  }

  private static AuthEvent last(Iterator<AuthEvent> events) {
    AuthEvent last = null;
    while (events.hasNext()) {
      last = events.next();
    }
    return last;
  }

  private RoleCredentials credentials(String identity) {
    return last(identities().getCredentials(IdentityRequest.newBuilder().setContext(context())
        .setIdentity(identity).build())).getCredentials();
  }

  private EndpointGrant grant(String identity) {
    return last(identities().grantEndpoint(IdentityRequest.newBuilder().setContext(context())
        .setIdentity(identity).setEndpointGrantLifetime("1h").build())).getEndpointGrant();
  }

  private static int status(EndpointGrant grant) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(grant.getFullUri()))
            .header("Authorization", grant.getAuthorizationToken()).GET().build(),
        HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  /** Every file under the daemon's cache home (sessions, provisioned identities, grants, locks) and its SHA-256. */
  private Map<String, String> cacheFiles() throws IOException {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(Path.of(test.env.get("XDG_CACHE_HOME")))) {
      for (Path file : walk.filter(Files::isRegularFile).toList()) {
        files.put(file.toString(), sha256(Files.readAllBytes(file)));
      }
    }
    assertThat(files.keySet()).anyMatch(f -> f.endsWith("endpoint-grants.json"))
        .anyMatch(f -> f.endsWith("provisioned-identities.yaml"));
    return files;
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
