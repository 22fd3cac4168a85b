package dev.atmosd.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sso.model.SsoException;
import software.amazon.awssdk.services.sso.model.UnauthorizedException;
import software.amazon.awssdk.services.ssooidc.model.AccessDeniedException;
import software.amazon.awssdk.services.ssooidc.model.CreateTokenResponse;
import software.amazon.awssdk.services.ssooidc.model.InvalidGrantException;
import software.amazon.awssdk.services.ssooidc.model.RegisterClientResponse;
import software.amazon.awssdk.services.ssooidc.model.StartDeviceAuthorizationResponse;

/** The HTTP control API under /_emulator/ that other processes (demo, benchmarks, CLI tests) drive. */
class ControlApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private SsoEmulator emulator;
    private SdkClients aws;

    @BeforeEach
    void start() {
        emulator = SsoEmulator.builder().build().start();
        aws = new SdkClients(emulator);
    }

    @AfterEach
    void stop() {
        aws.close();
        emulator.close();
    }

    @Test
    void countersAreJson() throws Exception {
        aws.register(true);

        JsonNode counters = JSON.readTree(get("/_emulator/counters").body());

        assertThat(counters.get("RegisterClient").asLong()).isEqualTo(1);
        assertThat(post("/_emulator/reset-counters", "").statusCode()).isEqualTo(200);
        assertThat(emulator.counters()).isEmpty();
    }

    @Test
    void approvesAndDeniesDeviceCodes() throws Exception {
        RegisterClientResponse client = aws.register(true);
        StartDeviceAuthorizationResponse approved = aws.start(client);
        StartDeviceAuthorizationResponse denied = aws.start(client);

        assertThat(JSON.readTree(get("/_emulator/pending").body()).get("userCodes"))
                .extracting(JsonNode::asText).containsExactly(approved.userCode(), denied.userCode());
        assertThat(post("/_emulator/deny?user_code=" + denied.userCode(), "").statusCode()).isEqualTo(200);
        HttpResponse<String> approveAll = post("/_emulator/approve-all", "");
        assertThat(JSON.readTree(approveAll.body()).get("approved").asInt()).isEqualTo(1);

        assertThat(aws.poll(client, approved).accessToken()).isNotBlank();
        assertThatThrownBy(() -> aws.poll(client, denied)).isInstanceOf(AccessDeniedException.class);
        assertThat(post("/_emulator/deny?user_code=NOPE-NOPE", "").statusCode()).isEqualTo(400);
    }

    @Test
    void injectsAndClearsFaults() throws Exception {
        CreateTokenResponse token = aws.signIn();
        String fault = "{\"type\":\"failNext\",\"operation\":\"ListAccounts\",\"status\":503,"
                + "\"errorType\":\"ServiceUnavailableException\",\"times\":1}";
        assertThat(post("/_emulator/faults", fault).statusCode()).isEqualTo(200);

        assertThatThrownBy(() -> aws.sso.listAccounts(r -> r.accessToken(token.accessToken())))
                .isInstanceOf(SsoException.class)
                .satisfies(e -> assertThat(((SsoException) e).statusCode()).isEqualTo(503));

        post("/_emulator/faults", "{\"type\":\"rateLimit\",\"operation\":\"ListAccounts\",\"requestsPerSecond\":0.001}");
        post("/_emulator/faults", "{\"type\":\"latency\",\"operation\":\"*\",\"latency\":\"5ms\"}");
        post("/_emulator/reset-faults", "");
        for (int i = 0; i < 3; i++) {
            assertThat(aws.sso.listAccounts(r -> r.accessToken(token.accessToken())).accountList()).isEmpty();
        }
        assertThat(post("/_emulator/faults", "{\"type\":\"explode\"}").statusCode()).isEqualTo(400);
    }

    @Test
    void revokesRefreshTokensAndExpiresAccessTokens() throws Exception {
        RegisterClientResponse client = aws.register(true);
        StartDeviceAuthorizationResponse device = aws.start(client);
        emulator.approve(device.userCode());
        CreateTokenResponse token = aws.poll(client, device);

        post("/_emulator/revoke-refresh-tokens", "");
        post("/_emulator/expire-access-tokens", "");

        assertThatThrownBy(() -> aws.oidc.createToken(r -> r.clientId(client.clientId())
                .clientSecret(client.clientSecret()).grantType("refresh_token").refreshToken(token.refreshToken())))
                .isInstanceOf(InvalidGrantException.class);
        assertThatThrownBy(() -> aws.sso.listAccounts(r -> r.accessToken(token.accessToken())))
                .isInstanceOf(UnauthorizedException.class);
    }

    @Test
    void addsAccountsFromJson() throws Exception {
        String body = "{\"accounts\":[{\"accountId\":\"111111111111\",\"accountName\":\"dev\","
                + "\"email\":\"dev@example.com\",\"roles\":[\"AdministratorAccess\",\"ReadOnlyAccess\"]}],"
                + "\"generate\":{\"count\":30,\"rolesPerAccount\":3}}";
        assertThat(post("/_emulator/accounts", body).statusCode()).isEqualTo(200);

        String token = aws.signIn().accessToken();
        assertThat(aws.sso.listAccountsPaginator(r -> r.accessToken(token)).accountList().stream().count())
                .isEqualTo(31);
        assertThat(aws.sso.listAccountRoles(r -> r.accessToken(token).accountId("111111111111")).roleList())
                .hasSize(2);
    }

    @Test
    void unknownCommandsAndWrongMethodsAreRejected() throws Exception {
        assertThat(post("/_emulator/launch-missiles", "").statusCode()).isEqualTo(404);
        assertThat(get("/_emulator/approve-all").statusCode()).isEqualTo(405);
        assertThat(emulator.counters()).isEmpty();
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(emulator.endpoint().resolve(path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(emulator.endpoint().resolve(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
