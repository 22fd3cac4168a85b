package dev.atmosd.emulator;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * What a browser does with the URLs the daemon hands out: a GET of the device verification URL approves
 * that user code (so {@code BROWSER="curl -fsS"} signs in), and {@code /authorize} redirects straight back
 * with a code (the PKCE flow).
 */
final class BrowserHandler {
    private final IdentityCenter center;
    private final AuthorizationCodes authorizationCodes;

    BrowserHandler(IdentityCenter center, AuthorizationCodes authorizationCodes) {
        this.center = center;
        this.authorizationCodes = authorizationCodes;
    }

    EmulatorResponse handle(String operation, EmulatorRequest request) {
        return Operation.AUTHORIZE.equals(operation) ? authorize(request) : approve(request);
    }

    private EmulatorResponse approve(EmulatorRequest request) {
        String userCode = request.queryParam("user_code");
        if (userCode == null || userCode.isBlank()) {
            throw new AwsError(400, "InvalidRequestException", "Missing user_code: open the verificationUriComplete URL");
        }
        return switch (center.deviceAuthorizations.decide(userCode, DeviceAuthorization.State.APPROVED)) {
            case DONE -> EmulatorResponse.html(200, DevicePage.message("Request approved",
                    "Code " + userCode + " approved. You can close this window."));
            case UNKNOWN -> throw new AwsError(404, "ResourceNotFoundException", "Unknown code " + userCode);
            case NOT_OPEN -> throw new AwsError(410, "ExpiredTokenException",
                    "Code " + userCode + " is no longer waiting for approval");
        };
    }

    private EmulatorResponse authorize(EmulatorRequest request) {
        String clientId = request.queryParam("client_id");
        String redirectUri = request.queryParam("redirect_uri");
        String state = request.queryParam("state");
        if (clientId == null || redirectUri == null || !"code".equals(request.queryParam("response_type"))) {
            throw new AwsError(400, "InvalidRequestException",
                    "client_id, redirect_uri and response_type=code are required");
        }
        String code = authorizationCodes.issue(clientId, redirectUri, request.queryParam("code_challenge"));
        String location = redirectUri + (redirectUri.contains("?") ? "&" : "?") + "code=" + encode(code)
                + (state == null ? "" : "&state=" + encode(state));
        return EmulatorResponse.html(302, DevicePage.message("Redirecting", "Signed in."))
                .withHeader("Location", location);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
