package dev.atmosd.emulator;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Every credential set issued so far, by access key id. */
final class RoleSessions {
    private final Map<String, RoleSession> byAccessKeyId = new ConcurrentHashMap<>();
    private final Clock clock;

    RoleSessions(Clock clock) {
        this.clock = clock;
    }

    RoleSession remember(RoleSession session) {
        byAccessKeyId.put(session.accessKeyId(), session);
        return session;
    }

    Optional<RoleSession> find(String accessKeyId) {
        return Optional.ofNullable(accessKeyId == null ? null : byAccessKeyId.get(accessKeyId));
    }

    boolean expired(RoleSession session) {
        return !clock.instant().isBefore(session.expiresAt());
    }
}
