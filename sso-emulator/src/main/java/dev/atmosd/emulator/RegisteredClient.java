package dev.atmosd.emulator;

import java.time.Instant;
import java.util.List;

/** A registered OIDC public client. Only clients registered with scopes get refresh tokens, as on AWS. */
record RegisteredClient(String clientId, String clientSecret, String clientName, List<String> scopes,
                          List<String> grantTypes, Instant issuedAt, Instant expiresAt) {
    RegisteredClient {
        scopes = List.copyOf(scopes);
        grantTypes = List.copyOf(grantTypes);
    }

    boolean issuesRefreshTokens() {
        return !scopes.isEmpty();
    }
}
