package dev.atmosd.emulator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Access and refresh tokens the OIDC side issued, as the portal and the refresh grant see them. */
final class IssuedTokens {
    /** What CreateToken hands back. {@code refreshToken} is null for clients registered without scopes. */
    record Grant(String accessToken, Duration expiresIn, String refreshToken) {
    }

    private record AccessToken(String clientId, Instant expiresAt) {
    }

    /** {@code sessionExpiresAt} is fixed at sign-in: rotation renews the token, not the session behind it. */
    private record RefreshToken(String clientId, Instant sessionExpiresAt) {
    }

    private final Map<String, AccessToken> accessTokens = new ConcurrentHashMap<>();
    private final Map<String, RefreshToken> refreshTokens = new ConcurrentHashMap<>();
    private final Clock clock;
    private final Duration accessLifetime;
    private final Duration refreshLifetime;

    IssuedTokens(Clock clock, Duration accessLifetime, Duration refreshLifetime) {
        this.clock = clock;
        this.accessLifetime = accessLifetime;
        this.refreshLifetime = refreshLifetime;
    }

    /** A fresh sign-in (device code redeemed). */
    Grant signIn(RegisteredClient client) {
        Instant now = clock.instant();
        return issue(client, now.plus(refreshLifetime));
    }

    /** Refresh-token grant: the presented token is spent and a rotated one comes back. */
    Grant refresh(RegisteredClient client, String refreshToken) {
        RefreshToken presented = refreshToken == null ? null : refreshTokens.get(refreshToken);
        if (presented == null || !presented.clientId().equals(client.clientId())) {
            throw AwsError.invalidGrant("Invalid refresh token provided");
        }
        if (!refreshTokens.remove(refreshToken, presented)) {
            // Two refreshes raced with one token; only the first may win, exactly like a rotated token.
            throw AwsError.invalidGrant("Invalid refresh token provided");
        }
        if (!clock.instant().isBefore(presented.sessionExpiresAt())) {
            throw AwsError.invalidGrant("Refresh token has expired");
        }
        return issue(client, presented.sessionExpiresAt());
    }

    private Grant issue(RegisteredClient client, Instant sessionExpiresAt) {
        Instant now = clock.instant();
        String access = RandomTokens.opaque("aoa", 96);
        accessTokens.put(access, new AccessToken(client.clientId(), now.plus(accessLifetime)));
        String refresh = null;
        if (client.issuesRefreshTokens()) {
            refresh = RandomTokens.opaque("aor", 96);
            refreshTokens.put(refresh, new RefreshToken(client.clientId(), sessionExpiresAt));
        }
        return new Grant(access, accessLifetime, refresh);
    }

    /** True when the bearer token is a live access token (issued, not expired, not logged out). */
    boolean isLive(String accessToken) {
        AccessToken token = accessToken == null ? null : accessTokens.get(accessToken);
        return token != null && clock.instant().isBefore(token.expiresAt());
    }

    void logout(String accessToken) {
        accessTokens.remove(accessToken);
    }

    void revokeRefreshTokens() {
        refreshTokens.clear();
    }

    void expireAccessTokens() {
        accessTokens.clear();
    }
}
