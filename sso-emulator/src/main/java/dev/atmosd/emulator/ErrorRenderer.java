package dev.atmosd.emulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * Renders an {@link AwsError} the way the real service would for the failing operation's protocol.
 * SDKs take the error code from {@code x-amzn-ErrorType} (rest-json) or {@code Error/Code} (query XML).
 */
final class ErrorRenderer {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** OAuth error values per the sso-oidc model; anything else is derived from the type name. */
    private static final Map<String, String> OAUTH_ERRORS = Map.ofEntries(
            Map.entry("AuthorizationPendingException", "authorization_pending"),
            Map.entry("SlowDownException", "slow_down"),
            Map.entry("ExpiredTokenException", "expired_token"),
            Map.entry("AccessDeniedException", "access_denied"),
            Map.entry("InvalidGrantException", "invalid_grant"),
            Map.entry("InvalidClientException", "invalid_client"),
            Map.entry("UnauthorizedClientException", "unauthorized_client"),
            Map.entry("InvalidRequestException", "invalid_request"),
            Map.entry("InvalidScopeException", "invalid_scope"),
            Map.entry("UnsupportedGrantTypeException", "unsupported_grant_type"),
            Map.entry("InvalidClientMetadataException", "invalid_client_metadata"),
            Map.entry("InvalidRedirectUriException", "invalid_redirect_uri"),
            Map.entry("InternalServerException", "server_error"));

    private ErrorRenderer() {
    }

    static EmulatorResponse render(AwsError error, Protocol protocol, String requestId) {
        EmulatorResponse response = switch (protocol) {
            case OIDC -> json(error.status(), oidcBody(error));
            case PORTAL -> json(error.status(), JSON.createObjectNode().put("message", error.getMessage()));
            case STS -> EmulatorResponse.of(error.status(), EmulatorResponse.XML, StsXml.error(error, requestId));
            case PAGE -> EmulatorResponse.html(error.status(), DevicePage.message("Sign-in", error.getMessage()));
            case CONTROL -> json(error.status(),
                    JSON.createObjectNode().put("error", error.type()).put("message", error.getMessage()));
        };
        if (protocol != Protocol.STS) {
            response.withHeader("x-amzn-ErrorType", error.type());
        }
        return response;
    }

    private static ObjectNode oidcBody(AwsError error) {
        return JSON.createObjectNode()
                .put("error", OAUTH_ERRORS.getOrDefault(error.type(), snakeCase(error.type())))
                .put("error_description", error.getMessage());
    }

    static String snakeCase(String type) {
        String base = type.endsWith("Exception") ? type.substring(0, type.length() - "Exception".length()) : type;
        return base.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase();
    }

    private static EmulatorResponse json(int status, ObjectNode body) {
        return EmulatorResponse.of(status, EmulatorResponse.JSON, body.toString());
    }
}
