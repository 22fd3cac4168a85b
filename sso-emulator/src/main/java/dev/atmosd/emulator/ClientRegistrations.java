package dev.atmosd.emulator;

import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Issues client registrations and authenticates clients by id + secret. */
final class ClientRegistrations {
    private final Map<String, RegisteredClient> byId = new ConcurrentHashMap<>();
    private final Clock clock;
    private final Duration lifetime;

    ClientRegistrations(Clock clock, Duration lifetime) {
        this.clock = clock;
        this.lifetime = lifetime;
    }

    RegisteredClient register(String clientName, List<String> scopes, List<String> grantTypes) {
        Instant now = clock.instant();
        RegisteredClient registration = new RegisteredClient(
                RandomTokens.opaque("_emu", 24), RandomTokens.opaque("eyJraWQiOiJlbXUi", 96), clientName,
                scopes, grantTypes, now, now.plus(lifetime));
        byId.put(registration.clientId(), registration);
        return registration;
    }

    /** The registration behind id + secret, or InvalidClientException (401) for anything wrong or expired. */
    RegisteredClient authenticate(String clientId, String clientSecret) {
        if (clientId == null || clientSecret == null) {
            throw AwsError.invalidClient("Invalid client provided");
        }
        RegisteredClient registration = byId.get(clientId);
        if (registration == null || !MessageDigest.isEqual(
                registration.clientSecret().getBytes(StandardCharsets.UTF_8),
                clientSecret.getBytes(StandardCharsets.UTF_8))) {
            throw AwsError.invalidClient("Invalid client provided");
        }
        if (!clock.instant().isBefore(registration.expiresAt())) {
            throw AwsError.invalidClient("Client registration has expired");
        }
        return registration;
    }
}
