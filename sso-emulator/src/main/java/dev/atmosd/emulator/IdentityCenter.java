package dev.atmosd.emulator;

import java.net.URI;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Everything the emulated service knows: directory, clients, device flows, tokens and issued credentials. */
final class IdentityCenter {
    final Clock clock;
    final Lifetimes lifetimes;
    final String userName;
    final AssignedAccounts directory = new AssignedAccounts();
    final ClientRegistrations registrations;
    final DeviceAuthorizations deviceAuthorizations;
    final IssuedTokens tokens;
    final RoleSessions roleSessions;
    final AssumeRolePolicy assumeRolePolicy = new AssumeRolePolicy();
    final CallCounters counters = new CallCounters();
    final Faults faults = new Faults();
    private volatile URI endpoint;

    IdentityCenter(Clock clock, Lifetimes lifetimes, boolean autoApprove, String userName) {
        this.clock = clock;
        this.lifetimes = lifetimes;
        this.userName = userName;
        this.registrations = new ClientRegistrations(clock, lifetimes.registration());
        this.deviceAuthorizations = new DeviceAuthorizations(clock, lifetimes.deviceCode(), lifetimes.pollInterval(),
                autoApprove);
        this.tokens = new IssuedTokens(clock, lifetimes.accessToken(), lifetimes.refreshToken());
        this.roleSessions = new RoleSessions(clock);
    }

    URI endpoint() {
        URI uri = endpoint;
        if (uri == null) {
            throw new IllegalStateException("the emulator is not started");
        }
        return uri;
    }

    void endpoint(URI uri) {
        this.endpoint = uri;
    }

    /** Per-role rules for AssumeRole: explicit denials and required external ids. */
    static final class AssumeRolePolicy {
        private final Map<String, Boolean> denied = new ConcurrentHashMap<>();
        private final Map<String, String> externalIds = new ConcurrentHashMap<>();

        void deny(String roleArn) {
            denied.put(roleArn, Boolean.TRUE);
        }

        boolean isDenied(String roleArn) {
            return denied.containsKey(roleArn);
        }

        void requireExternalId(String roleArn, String externalId) {
            externalIds.put(roleArn, externalId);
        }

        /** Null when the role does not require one. */
        String requiredExternalId(String roleArn) {
            return externalIds.get(roleArn);
        }
    }
}
