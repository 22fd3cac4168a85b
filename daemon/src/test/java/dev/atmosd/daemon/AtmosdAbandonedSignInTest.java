package dev.atmosd.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.atmosd.daemon.rpc.StartupRefusedException;
import dev.atmosd.emulator.SsoEmulator;
import dev.atmosd.v1.AuthEvent;
import dev.atmosd.v1.ClientContext;
import dev.atmosd.v1.LoginRequest;
import dev.atmosd.v1.SessionState;
import dev.atmosd.v1.SessionsGrpc;
import dev.atmosd.v1.StatusReply;
import dev.atmosd.v1.StatusRequest;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 11 item 5 through the real gRPC service: a login stream whose client goes away (Ctrl-C) takes its waiter
 * off the sign-in, and after ATMOSD_SIGN_IN_GRACE the device flow stops polling. In the Go atmos the poll ends with
 * the process (cloudposse/atmos pkg/auth/providers/aws/sso.go: ctrl+c cancels the poll's context).
 */
class AtmosdAbandonedSignInTest {
  private AtmosdTestSupport test;
  private SsoEmulator emulator;
  private Path config;

  @BeforeEach
  void setUp() throws Exception {
    test = new AtmosdTestSupport();
    emulator = SsoEmulator.builder().autoApprove(false).pollInterval(Duration.ofSeconds(1)).build().start();
    config = test.write("atmos.yaml", """
        auth:
          providers:
            company-sso:
              kind: aws/iam-identity-center
              start_url: https://emulated.awsapps.com/start
              region: us-east-1
              spec:
                endpoint_url: %s
        """.formatted(emulator.endpoint()));
  }

  @AfterEach
  void tearDown() throws Exception {
    test.close();
    emulator.close();
  }

  private ClientContext context() {
    return ClientContext.newBuilder().setConfigPath(config.toString()).setCommand("auth login").build();
  }

  private SessionState state() {
    StatusReply status = SessionsGrpc.newBlockingStub(test.connect().channel()).withDeadlineAfter(Duration.ofSeconds(30))
        .status(StatusRequest.newBuilder().setContext(context()).build());
    return status.getSessionsCount() == 0 ? SessionState.SESSION_STATE_NOT_SIGNED_IN
        : status.getSessions(0).getState();
  }

  @Test
  void aLoginWhoseClientGoesAwayStopsPollingAfterTheGrace() throws Exception {
    test.env.put("ATMOSD_SIGN_IN_GRACE", "200ms");
    test.start();
    CompletableFuture<String> userCode = new CompletableFuture<>();
    CompletableFuture<Throwable> ended = new CompletableFuture<>();
    SessionsGrpc.newStub(test.connect().channel()).login(LoginRequest.newBuilder().setContext(context()).build(),
        new ClientResponseObserver<LoginRequest, AuthEvent>() {
          private ClientCallStreamObserver<LoginRequest> call;

          @Override
          public void beforeStart(ClientCallStreamObserver<LoginRequest> requestStream) {
            call = requestStream;
          }

          @Override
          public void onNext(AuthEvent event) {
            if (event.hasDeviceAuthorization()) {
              userCode.complete(event.getDeviceAuthorization().getUserCode());
              call.cancel("the user pressed Ctrl-C", null);
            }
          }

          @Override
          public void onError(Throwable failure) {
            ended.complete(failure);
          }

          @Override
          public void onCompleted() {
            ended.complete(null);
          }
        });
    String code = userCode.get(30, TimeUnit.SECONDS);
    assertThat(ended.get(30, TimeUnit.SECONDS)).as("the client's own call ended cancelled").isNotNull();

    await().atMost(Duration.ofSeconds(30)).until(() -> state() != SessionState.SESSION_STATE_SIGNING_IN);
    assertThat(state()).isEqualTo(SessionState.SESSION_STATE_NOT_SIGNED_IN);

    // Approving now signs nobody in: another full sign-in later, the abandoned code has not been polled again.
    emulator.approve(code);
    int pollsAfterApproval = emulator.tokenPolls(code);
    emulator.setAutoApprove(true);
    SessionsGrpc.newBlockingStub(test.connect().channel()).withDeadlineAfter(Duration.ofSeconds(60))
        .login(LoginRequest.newBuilder().setContext(context()).build()).forEachRemaining(event -> { });
    assertThat(state()).isEqualTo(SessionState.SESSION_STATE_ACTIVE);
    assertThat(emulator.tokenPolls(code)).isEqualTo(pollsAfterApproval);
    assertThat(emulator.calls("StartDeviceAuthorization")).isEqualTo(2);
  }

  @Test
  void aSignInGraceThatIsNoDurationIsAUsageError() {
    test.env.put("ATMOSD_SIGN_IN_GRACE", "soon");
    assertThatThrownBy(() -> test.start())
        .isInstanceOfSatisfying(StartupRefusedException.class, e -> assertThat(e.exitCode()).isEqualTo(2))
        .hasMessage("ATMOSD_SIGN_IN_GRACE \"soon\" is not a duration: use e.g. 10s, 1m, or 0s to stop a sign-in as"
            + " soon as its last client leaves");
  }
}
