package dev.atmosd.emulator;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Authorization codes for the PKCE flow the AWS CLI v2 uses by default ({@code GET /authorize} then
 * CreateToken with {@code grantType=authorization_code}). The "browser" that follows /authorize is taken
 * to have approved, like a GET of the device verification URL.
 */
final class AuthorizationCodes {
    private record PendingCode(String clientId, String redirectUri, String codeChallenge, Instant expiresAt) {
    }

    private final Map<String, PendingCode> codes = new ConcurrentHashMap<>();
    private final Clock clock;
    private final Duration lifetime;

    AuthorizationCodes(Clock clock, Duration lifetime) {
        this.clock = clock;
        this.lifetime = lifetime;
    }

    String issue(String clientId, String redirectUri, String codeChallenge) {
        String code = RandomTokens.opaque("ac-", 32);
        codes.put(code, new PendingCode(clientId, redirectUri, codeChallenge, clock.instant().plus(lifetime)));
        return code;
    }

    /** Spends the code; InvalidGrantException when it is unknown, used, expired or does not match. */
    void redeem(String code, String clientId, String redirectUri, String codeVerifier) {
        PendingCode pending = code == null ? null : codes.remove(code);
        if (pending == null || !pending.clientId().equals(clientId)) {
            throw AwsError.invalidGrant("Invalid authorization code provided");
        }
        if (!clock.instant().isBefore(pending.expiresAt())) {
            throw AwsError.invalidGrant("Authorization code has expired");
        }
        if (pending.redirectUri() != null && !pending.redirectUri().equals(redirectUri)) {
            throw AwsError.invalidGrant("redirectUri does not match the authorization request");
        }
        if (pending.codeChallenge() != null && (codeVerifier == null
                || !pending.codeChallenge().equals(s256(codeVerifier)))) {
            throw AwsError.invalidGrant("codeVerifier does not match the code challenge");
        }
    }

    static String s256(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
