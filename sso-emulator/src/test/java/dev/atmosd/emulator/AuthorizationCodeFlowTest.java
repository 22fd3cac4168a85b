package dev.atmosd.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ssooidc.model.CreateTokenResponse;
import software.amazon.awssdk.services.ssooidc.model.InvalidGrantException;
import software.amazon.awssdk.services.ssooidc.model.RegisterClientResponse;

/** The PKCE authorization-code flow AWS CLI v2 uses by default for sso-session logins. */
class AuthorizationCodeFlowTest {
    private static final String REDIRECT = "http://127.0.0.1:43210/oauth/callback";
    private static final String VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

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
    void authorizeRedirectsWithACodeThatRedeemsOnceWithTheRightVerifier() throws Exception {
        RegisterClientResponse client = aws.oidc.registerClient(r -> r.clientName("cli").clientType("public")
                .scopes("sso:account:access").grantTypes("authorization_code", "refresh_token")
                .redirectUris(REDIRECT).issuerUrl(SdkClients.START_URL));
        assertThat(client.authorizationEndpoint()).isEqualTo(emulator.endpoint() + "/authorize");

        String code = authorize(client.clientId(), AuthorizationCodes.s256(VERIFIER));
        assertThatThrownBy(() -> redeem(client, code, "wrong-verifier")).isInstanceOf(InvalidGrantException.class);

        String second = authorize(client.clientId(), AuthorizationCodes.s256(VERIFIER));
        CreateTokenResponse token = redeem(client, second, VERIFIER);
        assertThat(token.accessToken()).isNotBlank();
        assertThat(token.refreshToken()).isNotBlank();
        assertThatThrownBy(() -> redeem(client, second, VERIFIER)).isInstanceOf(InvalidGrantException.class);
    }

    private String authorize(String clientId, String challenge) throws Exception {
        String url = emulator.endpoint() + "/authorize?response_type=code&client_id=" + enc(clientId)
                + "&redirect_uri=" + enc(REDIRECT) + "&state=st-1&code_challenge_method=S256&scopes=sso%3Aaccount%3Aaccess"
                + "&code_challenge=" + enc(challenge);
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(302);
        String location = response.headers().firstValue("Location").orElseThrow();
        assertThat(location).startsWith(REDIRECT + "?code=").endsWith("&state=st-1");
        String code = location.substring((REDIRECT + "?code=").length(), location.indexOf("&state="));
        return URLDecoder.decode(code, StandardCharsets.UTF_8);
    }

    private CreateTokenResponse redeem(RegisterClientResponse client, String code, String verifier) {
        return aws.oidc.createToken(r -> r.clientId(client.clientId()).clientSecret(client.clientSecret())
                .grantType("authorization_code").code(code).redirectUri(REDIRECT).codeVerifier(verifier));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
