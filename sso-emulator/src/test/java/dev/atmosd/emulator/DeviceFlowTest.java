package dev.atmosd.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ssooidc.model.AccessDeniedException;
import software.amazon.awssdk.services.ssooidc.model.AuthorizationPendingException;
import software.amazon.awssdk.services.ssooidc.model.CreateTokenResponse;
import software.amazon.awssdk.services.ssooidc.model.ExpiredTokenException;
import software.amazon.awssdk.services.ssooidc.model.InvalidClientException;
import software.amazon.awssdk.services.ssooidc.model.InvalidGrantException;
import software.amazon.awssdk.services.ssooidc.model.RegisterClientResponse;
import software.amazon.awssdk.services.ssooidc.model.SlowDownException;
import software.amazon.awssdk.services.ssooidc.model.StartDeviceAuthorizationResponse;

/** The device-code and refresh-token grants as the real AWS SDK for Java v2 sees them. */
class DeviceFlowTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private SsoEmulator emulator;
    private SdkClients aws;

    @BeforeEach
    void start() {
        emulator = SsoEmulator.builder().clock(clock).accessTokenLifetime(Duration.ofMinutes(30)).build().start();
        aws = new SdkClients(emulator);
    }

    @AfterEach
    void stop() {
        aws.close();
        emulator.close();
    }

    @Test
    void registersAPublicClientWithEpochSecondExpiry() {
        RegisterClientResponse client = aws.register(true);

        assertThat(client.clientId()).isNotBlank();
        assertThat(client.clientSecret()).isNotBlank();
        assertThat(client.clientIdIssuedAt()).isEqualTo(clock.instant().getEpochSecond());
        assertThat(client.clientSecretExpiresAt()).isEqualTo(clock.instant().plus(Duration.ofDays(90)).getEpochSecond());
        assertThat(emulator.calls("RegisterClient")).isEqualTo(1);
    }

    @Test
    void deviceAuthorizationPointsTheBrowserAtTheEmulator() {
        StartDeviceAuthorizationResponse device = aws.start(aws.register(true));

        assertThat(device.userCode()).matches("[A-Z]{4}-[A-Z]{4}");
        assertThat(device.verificationUri()).isEqualTo(emulator.endpoint() + "/device");
        assertThat(device.verificationUriComplete())
                .isEqualTo(emulator.endpoint() + "/device?user_code=" + device.userCode());
        assertThat(device.expiresIn()).isEqualTo(600);
        assertThat(device.interval()).isEqualTo(1);
        assertThat(emulator.pendingUserCodes()).containsExactly(device.userCode());
    }

    @Test
    void pendingThenSlowDownThenApprovedByBrowserGet() throws Exception {
        RegisterClientResponse client = aws.register(true);
        StartDeviceAuthorizationResponse device = aws.start(client);

        assertThatThrownBy(() -> aws.poll(client, device)).isInstanceOf(AuthorizationPendingException.class);
        assertThatThrownBy(() -> aws.poll(client, device)).isInstanceOf(SlowDownException.class);
        clock.advance(Duration.ofSeconds(1));
        assertThatThrownBy(() -> aws.poll(client, device)).isInstanceOf(AuthorizationPendingException.class);

        HttpResponse<String> page = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(device.verificationUriComplete())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("approved");
        assertThat(emulator.calls("Approve")).isEqualTo(1);

        clock.advance(Duration.ofSeconds(1));
        CreateTokenResponse token = aws.poll(client, device);
        assertThat(token.accessToken()).isNotBlank();
        assertThat(token.tokenType()).isEqualTo("Bearer");
        assertThat(token.expiresIn()).isEqualTo(1800);
        assertThat(token.refreshToken()).isNotBlank();
        assertThat(emulator.calls("CreateToken")).isEqualTo(4);

        // The device code is single-use.
        clock.advance(Duration.ofSeconds(1));
        assertThatThrownBy(() -> aws.poll(client, device)).isInstanceOf(InvalidGrantException.class);
    }

    @Test
    void tokenPollsAreCountedPerUserCode() {
        RegisterClientResponse client = aws.register(true);
        StartDeviceAuthorizationResponse polled = aws.start(client);
        StartDeviceAuthorizationResponse other = aws.start(client);

        assertThatThrownBy(() -> aws.poll(client, polled)).isInstanceOf(AuthorizationPendingException.class);
        assertThatThrownBy(() -> aws.poll(client, polled)).isInstanceOf(SlowDownException.class);
        emulator.approve(polled.userCode());
        clock.advance(Duration.ofSeconds(1));
        aws.poll(client, polled);

        assertThat(emulator.tokenPolls(polled.userCode())).as("pending, slow_down and the redeeming poll").isEqualTo(3);
        assertThat(emulator.tokenPolls(other.userCode())).isZero();
        assertThatThrownBy(() -> emulator.tokenPolls("BCDF-GHJK")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void clientsRegisteredWithoutScopesGetNoRefreshToken() {
        RegisterClientResponse client = aws.register(false);
        StartDeviceAuthorizationResponse device = aws.start(client);
        emulator.approve(device.userCode());

        assertThat(aws.poll(client, device).refreshToken()).isNull();
    }

    @Test
    void expiresWhenTheDeviceCodeLifetimePasses() {
        RegisterClientResponse client = aws.register(true);
        StartDeviceAuthorizationResponse device = aws.start(client);
        clock.advance(Duration.ofMinutes(10));

        assertThatThrownBy(() -> aws.poll(client, device)).isInstanceOf(ExpiredTokenException.class);
        assertThat(emulator.pendingUserCodes()).isEmpty();
    }

    @Test
    void expireAndDenyEndTheFlow() {
        RegisterClientResponse client = aws.register(true);
        StartDeviceAuthorizationResponse expired = aws.start(client);
        StartDeviceAuthorizationResponse denied = aws.start(client);

        emulator.expire(expired.userCode());
        emulator.deny(denied.userCode());

        assertThatThrownBy(() -> aws.poll(client, expired)).isInstanceOf(ExpiredTokenException.class);
        assertThatThrownBy(() -> aws.poll(client, denied))
                .isInstanceOf(AccessDeniedException.class)
                .satisfies(e -> assertThat(((AccessDeniedException) e).statusCode()).isEqualTo(400));
    }

    @Test
    void autoApproveSignsInOnTheFirstPoll() {
        emulator.setAutoApprove(true);
        RegisterClientResponse client = aws.register(true);

        assertThat(aws.poll(client, aws.start(client)).accessToken()).isNotBlank();
    }

    @Test
    void approveAllPendingApprovesEveryWaitingCode() {
        RegisterClientResponse client = aws.register(true);
        StartDeviceAuthorizationResponse first = aws.start(client);
        StartDeviceAuthorizationResponse second = aws.start(client);

        emulator.approveAllPending();

        assertThat(emulator.pendingUserCodes()).isEmpty();
        assertThat(aws.poll(client, first).accessToken()).isNotBlank();
        assertThat(aws.poll(client, second).accessToken()).isNotBlank();
    }

    @Test
    void wrongSecretOrExpiredRegistrationIsInvalidClient() {
        RegisterClientResponse client = aws.register(true);

        assertThatThrownBy(() -> aws.oidc.startDeviceAuthorization(r -> r.clientId(client.clientId())
                .clientSecret("wrong").startUrl(SdkClients.START_URL)))
                .isInstanceOf(InvalidClientException.class)
                .satisfies(e -> assertThat(((InvalidClientException) e).statusCode()).isEqualTo(401));

        clock.advance(Duration.ofDays(90));
        assertThatThrownBy(() -> aws.start(client)).isInstanceOf(InvalidClientException.class);
    }

    @Test
    void unknownDeviceCodeOrAnotherClientsCodeIsInvalidGrant() {
        RegisterClientResponse owner = aws.register(true);
        RegisterClientResponse other = aws.register(true);
        StartDeviceAuthorizationResponse device = aws.start(owner);
        emulator.approve(device.userCode());

        assertThatThrownBy(() -> aws.poll(other, device)).isInstanceOf(InvalidGrantException.class);
        assertThatThrownBy(() -> aws.oidc.createToken(r -> r.clientId(owner.clientId())
                .clientSecret(owner.clientSecret()).grantType(SdkClients.DEVICE_GRANT).deviceCode("nope")))
                .isInstanceOf(InvalidGrantException.class);
    }

    @Test
    void refreshRotatesTheRefreshToken() {
        RegisterClientResponse client = aws.register(true);
        StartDeviceAuthorizationResponse device = aws.start(client);
        emulator.approve(device.userCode());
        CreateTokenResponse first = aws.poll(client, device);

        CreateTokenResponse second = refresh(client, first.refreshToken());

        assertThat(second.accessToken()).isNotEqualTo(first.accessToken());
        assertThat(second.refreshToken()).isNotBlank().isNotEqualTo(first.refreshToken());
        assertThatThrownBy(() -> refresh(client, first.refreshToken())).isInstanceOf(InvalidGrantException.class);
        assertThat(refresh(client, second.refreshToken()).accessToken()).isNotBlank();
    }

    @Test
    void revokedOrExpiredRefreshTokensAreInvalidGrant() {
        RegisterClientResponse client = aws.register(true);
        StartDeviceAuthorizationResponse device = aws.start(client);
        emulator.approve(device.userCode());
        CreateTokenResponse token = aws.poll(client, device);

        emulator.revokeRefreshTokens();

        assertThatThrownBy(() -> refresh(client, token.refreshToken())).isInstanceOf(InvalidGrantException.class);
    }

    private CreateTokenResponse refresh(RegisterClientResponse client, String refreshToken) {
        return aws.oidc.createToken(r -> r.clientId(client.clientId()).clientSecret(client.clientSecret())
                .grantType("refresh_token").refreshToken(refreshToken));
    }

    @Test
    void theApprovalPageIsIdempotentAndRejectsUnknownCodes() throws Exception {
        emulator.setAutoApprove(true);
        StartDeviceAuthorizationResponse device = aws.start(aws.register(true));
        HttpClient browser = HttpClient.newHttpClient();

        // With auto-approval the code is approved before any browser opens it; opening it must still succeed.
        assertThat(open(browser, device.verificationUriComplete()).statusCode()).isEqualTo(200);
        assertThat(open(browser, device.verificationUriComplete()).statusCode()).isEqualTo(200);
        assertThat(open(browser, emulator.endpoint() + "/device?user_code=BCDF-GHJK").statusCode()).isEqualTo(404);
        assertThat(open(browser, emulator.endpoint() + "/device").statusCode()).isEqualTo(400);
        assertThat(emulator.calls("Approve")).isEqualTo(4);
    }

    @Test
    void approvingAnUnknownOrSettledCodeFromJavaSaysWhy() {
        RegisterClientResponse client = aws.register(true);
        StartDeviceAuthorizationResponse device = aws.start(client);
        emulator.deny(device.userCode());

        assertThatThrownBy(() -> emulator.approve("BCDF-GHJK")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> emulator.approve(device.userCode())).isInstanceOf(IllegalStateException.class);
    }

    private static HttpResponse<String> open(HttpClient browser, String url) throws Exception {
        return browser.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
