package dev.atmosd.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/** SSO OIDC: RegisterClient, StartDeviceAuthorization and CreateToken (device code, refresh token, PKCE). */
final class OidcHandler {
    static final String DEVICE_CODE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";
    static final String REFRESH_TOKEN_GRANT = "refresh_token";
    static final String AUTHORIZATION_CODE_GRANT = "authorization_code";

    private static final ObjectMapper JSON = new ObjectMapper();
    private final IdentityCenter center;
    private final AuthorizationCodes authorizationCodes;

    OidcHandler(IdentityCenter center, AuthorizationCodes authorizationCodes) {
        this.center = center;
        this.authorizationCodes = authorizationCodes;
    }

    EmulatorResponse handle(String operation, EmulatorRequest request) {
        JsonNode body = request.jsonBody();
        return switch (operation) {
            case Operation.REGISTER_CLIENT -> registerClient(body);
            case Operation.START_DEVICE_AUTHORIZATION -> startDeviceAuthorization(body);
            case Operation.CREATE_TOKEN -> createToken(body);
            default -> throw new IllegalArgumentException(operation);
        };
    }

    private EmulatorResponse registerClient(JsonNode body) {
        String clientName = text(body, "clientName");
        String clientType = text(body, "clientType");
        if (clientName == null || clientName.isBlank()) {
            throw AwsError.invalidRequest("clientName is required");
        }
        if (!"public".equals(clientType)) {
            throw AwsError.invalidClientMetadata("Invalid client type: only 'public' clients are supported");
        }
        List<String> grantTypes = strings(body, "grantTypes");
        RegisteredClient registration = center.registrations.register(clientName, strings(body, "scopes"),
                grantTypes);
        ObjectNode out = JSON.createObjectNode()
                .put("clientId", registration.clientId())
                .put("clientSecret", registration.clientSecret())
                .put("clientIdIssuedAt", registration.issuedAt().getEpochSecond())
                .put("clientSecretExpiresAt", registration.expiresAt().getEpochSecond());
        if (grantTypes.contains(AUTHORIZATION_CODE_GRANT)) {
            out.put("authorizationEndpoint", center.endpoint() + "/authorize");
            out.put("tokenEndpoint", center.endpoint() + "/token");
        }
        return EmulatorResponse.json(out.toString());
    }

    private EmulatorResponse startDeviceAuthorization(JsonNode body) {
        RegisteredClient client = center.registrations.authenticate(text(body, "clientId"),
                text(body, "clientSecret"));
        String startUrl = text(body, "startUrl");
        if (startUrl == null || startUrl.isBlank()) {
            throw AwsError.invalidRequest("startUrl is required");
        }
        DeviceAuthorization authorization = center.deviceAuthorizations.start(client.clientId(), startUrl);
        String verificationUri = center.endpoint() + "/device";
        ObjectNode out = JSON.createObjectNode()
                .put("deviceCode", authorization.deviceCode)
                .put("userCode", authorization.userCode)
                .put("verificationUri", verificationUri)
                .put("verificationUriComplete", verificationUri + "?user_code=" + authorization.userCode)
                .put("expiresIn", seconds(center.deviceAuthorizations.lifetime()))
                .put("interval", seconds(center.deviceAuthorizations.interval()));
        return EmulatorResponse.json(out.toString());
    }

    private EmulatorResponse createToken(JsonNode body) {
        RegisteredClient client = center.registrations.authenticate(text(body, "clientId"),
                text(body, "clientSecret"));
        String grantType = text(body, "grantType");
        if (grantType == null || grantType.isBlank()) {
            throw AwsError.invalidRequest("grantType is required");
        }
        IssuedTokens.Grant grant = switch (grantType) {
            case DEVICE_CODE_GRANT -> {
                center.deviceAuthorizations.redeem(text(body, "deviceCode"), client.clientId());
                yield center.tokens.signIn(client);
            }
            case REFRESH_TOKEN_GRANT -> center.tokens.refresh(client, text(body, "refreshToken"));
            case AUTHORIZATION_CODE_GRANT -> {
                authorizationCodes.redeem(text(body, "code"), client.clientId(), text(body, "redirectUri"),
                        text(body, "codeVerifier"));
                yield center.tokens.signIn(client);
            }
            default -> throw AwsError.unsupportedGrantType(grantType);
        };
        ObjectNode out = JSON.createObjectNode()
                .put("accessToken", grant.accessToken())
                .put("tokenType", "Bearer")
                .put("expiresIn", seconds(grant.expiresIn()));
        if (grant.refreshToken() != null) {
            out.put("refreshToken", grant.refreshToken());
        }
        return EmulatorResponse.json(out.toString());
    }

    private static int seconds(java.time.Duration duration) {
        return (int) Math.min(Integer.MAX_VALUE, duration.getSeconds());
    }

    static String text(JsonNode body, String field) {
        JsonNode node = body.get(field);
        return node == null || node.isNull() ? null : node.asText();
    }

    private static List<String> strings(JsonNode body, String field) {
        List<String> values = new ArrayList<>();
        JsonNode node = body.get(field);
        if (node != null && node.isArray()) {
            node.forEach(n -> values.add(n.asText()));
        }
        return values;
    }
}
