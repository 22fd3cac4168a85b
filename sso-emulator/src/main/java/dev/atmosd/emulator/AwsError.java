package dev.atmosd.emulator;

/**
 * An error the emulated service answers with. The HTTP status and error type are what SDKs key on;
 * the protocol of the failing operation decides the body shape, so handlers only say what went wrong.
 */
final class AwsError extends RuntimeException {
    private final int status;
    private final String type;

    AwsError(int status, String type, String message) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
    }

    int status() {
        return status;
    }

    String type() {
        return type;
    }

    // --- OIDC (error codes per the sso-oidc model; AccessDenied is 400 there, not 403) ---
    static AwsError authorizationPending() {
        return new AwsError(400, "AuthorizationPendingException", "Authorization is still pending");
    }

    static AwsError slowDown() {
        return new AwsError(400, "SlowDownException", "Client is polling too fast; slow down");
    }

    static AwsError expiredToken(String message) {
        return new AwsError(400, "ExpiredTokenException", message);
    }

    static AwsError accessDenied(String message) {
        return new AwsError(400, "AccessDeniedException", message);
    }

    static AwsError invalidGrant(String message) {
        return new AwsError(400, "InvalidGrantException", message);
    }

    static AwsError invalidClient(String message) {
        return new AwsError(401, "InvalidClientException", message);
    }

    static AwsError invalidRequest(String message) {
        return new AwsError(400, "InvalidRequestException", message);
    }

    static AwsError invalidClientMetadata(String message) {
        return new AwsError(400, "InvalidClientMetadataException", message);
    }

    static AwsError unsupportedGrantType(String grantType) {
        return new AwsError(400, "UnsupportedGrantTypeException", "Unsupported grant type: " + grantType);
    }

    // --- Portal ---
    static AwsError unauthorized() {
        return new AwsError(401, "UnauthorizedException", "Session token not found or invalid");
    }

    static AwsError forbidden() {
        return new AwsError(403, "ForbiddenException", "No access");
    }

    static AwsError resourceNotFound(String message) {
        return new AwsError(404, "ResourceNotFoundException", message);
    }

    static AwsError tooManyRequests() {
        return new AwsError(429, "TooManyRequestsException", "Rate exceeded");
    }

    static AwsError unknownOperation(String method, String path) {
        return new AwsError(404, "UnknownOperationException", "No operation at " + method + " " + path);
    }
}
