package dev.atmosd.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atmosd.daemon.files.DaemonPaths;
import dev.atmosd.emulator.SsoEmulator;
import dev.atmosd.v1.AuthEvent;
import dev.atmosd.v1.ClientContext;
import dev.atmosd.v1.ConfigGrpc;
import dev.atmosd.v1.IdentityInfo;
import dev.atmosd.v1.LoginRequest;
import dev.atmosd.v1.LogoutReply;
import dev.atmosd.v1.LogoutRequest;
import dev.atmosd.v1.SessionState;
import dev.atmosd.v1.SessionsGrpc;
import dev.atmosd.v1.StatusReply;
import dev.atmosd.v1.StatusRequest;
import dev.atmosd.v1.ValidateRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Login, status and logout through a real daemon, its real session engine and discovery, against the emulator. */
class AtmosdLoginTest {
  private AtmosdTestSupport test;
  private SsoEmulator emulator;
  private Path config;

  @BeforeEach
  void setUp() throws Exception {
    test = new AtmosdTestSupport();
    emulator = SsoEmulator.builder().autoApprove(true).build().start();
    emulator.addAccount("111111111111", "dev", "dev@example.com", "AdministratorAccess", "ReadOnlyAccess");
    emulator.addAccount("222222222222", "prod", "prod@example.com", "ReadOnlyAccess");
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
            dev/administratoraccess:
              default: true
        """.formatted(emulator.endpoint()));
    test.start();
  }

  @AfterEach
  void tearDown() throws Exception {
    test.close();
    emulator.close();
  }

  private ClientContext context() {
    return ClientContext.newBuilder().setConfigPath(config.toString()).setCommand("auth login").build();
  }

  private SessionsGrpc.SessionsBlockingStub sessions() {
    return SessionsGrpc.newBlockingStub(test.connect().channel()).withDeadlineAfter(Duration.ofSeconds(60));
  }

  private List<AuthEvent> login(LoginRequest request) {
    List<AuthEvent> events = new ArrayList<>();
    sessions().login(request).forEachRemaining(events::add);
    return events;
  }

  @Test
  void loginSignsInOnceStreamsDiscoveredIdentitiesAndLogoutRemovesEverything() {
    List<AuthEvent> first = login(LoginRequest.newBuilder().setContext(context()).build());

    assertThat(first).filteredOn(AuthEvent::hasDeviceAuthorization).singleElement()
        .satisfies(e -> assertThat(e.getDeviceAuthorization().getUserCode()).isNotBlank());
    AuthEvent signedIn = first.stream().filter(AuthEvent::hasSignedIn).findFirst().orElseThrow();
    assertThat(signedIn.getSignedIn().getState()).isEqualTo(SessionState.SESSION_STATE_ACTIVE);
    assertThat(signedIn.getSignedIn().getStartUrl()).isEqualTo("https://emulated.awsapps.com/start");
    List<IdentityInfo> provisioned = first.stream().filter(AuthEvent::hasIdentityProvisioned)
        .map(AuthEvent::getIdentityProvisioned).toList();
    assertThat(provisioned).extracting(IdentityInfo::getName).containsExactlyInAnyOrder(
        "dev/AdministratorAccess", "dev/ReadOnlyAccess", "prod/ReadOnlyAccess");
    assertThat(provisioned).allSatisfy(i -> {
      assertThat(i.getProvisioned()).isTrue();
      assertThat(i.getRootProvider()).isEqualTo("company-sso");
    });
    AuthEvent finished = first.get(first.size() - 1);
    assertThat(finished.hasProvisioningFinished()).isTrue();
    assertThat(finished.getProvisioningFinished().getIdentities()).isEqualTo(3);
    assertThat(finished.getProvisioningFinished().getAccounts()).isEqualTo(2);

    // The provisioned file now merges beneath atmos.yaml: the hand-written `default: true` lands on it.
    assertThat(ConfigGrpc.newBlockingStub(test.connect().channel())
        .validate(ValidateRequest.newBuilder().setContext(context()).build()).getProvisionedIdentities()).isEqualTo(3);

    // A second login reuses the session: no new device flow.
    List<AuthEvent> second = login(LoginRequest.newBuilder().setContext(context())
        .setIdentity("DEV/AdministratorAccess").build());
    assertThat(second).noneMatch(AuthEvent::hasDeviceAuthorization);
    assertThat(second).anyMatch(AuthEvent::hasSignedIn);
    assertThat(emulator.calls("StartDeviceAuthorization")).isEqualTo(1);

    StatusReply status = sessions().status(StatusRequest.newBuilder().setContext(context()).build());
    assertThat(status.getSessionsList()).singleElement()
        .satisfies(s -> assertThat(s.getState()).isEqualTo(SessionState.SESSION_STATE_ACTIVE));
    assertThat(status.getProvidersList()).singleElement()
        .satisfies(p -> assertThat(p.getProvisionedIdentities()).isEqualTo(3));

    LogoutReply logout = sessions().logout(LogoutRequest.newBuilder().setContext(context())
        .setProvider("company-sso").build());
    DaemonPaths paths = DaemonPaths.fromEnvironment(test.env);
    assertThat(logout.getSessionsRemovedList()).containsExactly(signedIn.getSignedIn().getSessionKey());
    assertThat(logout.getFilesRemovedList()).contains(paths.provisionedIdentitiesFile("company-sso").toString());
    assertThat(paths.provisionedIdentitiesFile("company-sso")).doesNotExist();
  }

  @Test
  void aFailedDiscoveryIsAWarningAndTheLoginStillSucceeds() {
    emulator.faults().failNext("ListAccounts", 403, "AccessDeniedException", 100);
    List<AuthEvent> events = login(LoginRequest.newBuilder().setContext(context()).build());
    assertThat(events).anyMatch(AuthEvent::hasSignedIn);
    assertThat(events).anyMatch(AuthEvent::hasWarning);
    assertThat(events).noneMatch(AuthEvent::hasIdentityProvisioned);
    assertThat(events).allSatisfy(e -> assertThat(e.toString()).doesNotContainIgnoringCase("accessToken"));
  }

  @Test
  void logoutAllRemovesEverySession() {
    login(LoginRequest.newBuilder().setContext(context()).build());
    LogoutReply reply = sessions().logout(LogoutRequest.newBuilder().setContext(context()).setAll(true).build());
    assertThat(reply.getSessionsRemovedList()).hasSize(1);
    StatusReply status = sessions().status(StatusRequest.newBuilder().setContext(context()).build());
    assertThat(status.getSessionsList()).allSatisfy(s -> assertThat(s.getState())
        .isIn(SessionState.SESSION_STATE_NOT_SIGNED_IN, SessionState.SESSION_STATE_NEEDS_SIGN_IN));
  }

  @Test
  void anUnknownProviderIsNotFoundWithASuggestion() {
    assertThatThrownBy(() -> login(LoginRequest.newBuilder().setContext(context()).setProvider("company").build()))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
          assertThat(e.getStatus().getDescription()).isEqualTo("no provider \"company\" in " + config
              + ": did you mean \"company-sso\"?");
        });
    assertThat(emulator.calls("StartDeviceAuthorization")).isZero();
  }
}
