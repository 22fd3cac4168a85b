package dev.atmosd.emulator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The device-flow state machine: start, the user's decision (approve/deny/expire) and token redemption. */
final class DeviceAuthorizations {
    private final Map<String, DeviceAuthorization> byDeviceCode = new ConcurrentHashMap<>();
    /** Insertion-ordered so pendingUserCodes() lists codes in the order the flows started. */
    private final Map<String, DeviceAuthorization> byUserCode = new LinkedHashMap<>();
    private final Clock clock;
    private final Duration lifetime;
    private final Duration interval;
    private volatile boolean autoApprove;

    DeviceAuthorizations(Clock clock, Duration lifetime, Duration interval, boolean autoApprove) {
        this.clock = clock;
        this.lifetime = lifetime;
        this.interval = interval;
        this.autoApprove = autoApprove;
    }

    DeviceAuthorization start(String clientId, String startUrl) {
        Instant now = clock.instant();
        DeviceAuthorization authorization;
        synchronized (byUserCode) {
            String userCode;
            do {
                userCode = RandomTokens.userCode();
            } while (byUserCode.containsKey(userCode));
            authorization = new DeviceAuthorization(RandomTokens.opaque("dc-", 48), userCode, clientId, startUrl,
                    now.plus(lifetime), interval);
            byUserCode.put(userCode, authorization);
        }
        byDeviceCode.put(authorization.deviceCode, authorization);
        if (autoApprove) {
            authorization.settle(DeviceAuthorization.State.APPROVED, now);
        }
        return authorization;
    }

    Duration lifetime() {
        return lifetime;
    }

    Duration interval() {
        return interval;
    }

    /** Switching auto-approve on also approves the flows already waiting, so nobody waits for a click that never comes. */
    void setAutoApprove(boolean enabled) {
        autoApprove = enabled;
        if (enabled) {
            approveAllPending();
        }
    }

    /** Settles a user code; the outcome says whether the code existed and was still open. */
    Decision decide(String userCode, DeviceAuthorization.State next) {
        DeviceAuthorization authorization;
        synchronized (byUserCode) {
            authorization = userCode == null ? null : byUserCode.get(userCode.trim().toUpperCase());
        }
        if (authorization == null) {
            return Decision.UNKNOWN;
        }
        return authorization.settle(next, clock.instant()) ? Decision.DONE : Decision.NOT_OPEN;
    }

    enum Decision { DONE, UNKNOWN, NOT_OPEN }

    int approveAllPending() {
        int approved = 0;
        Instant now = clock.instant();
        for (DeviceAuthorization authorization : snapshot()) {
            if (authorization.state(now) == DeviceAuthorization.State.PENDING
                    && authorization.settle(DeviceAuthorization.State.APPROVED, now)) {
                approved++;
            }
        }
        return approved;
    }

    /** CreateToken calls made with the device code behind {@code userCode}; -1 for an unknown code. */
    int tokenPolls(String userCode) {
        DeviceAuthorization authorization;
        synchronized (byUserCode) {
            authorization = userCode == null ? null : byUserCode.get(userCode.trim().toUpperCase());
        }
        return authorization == null ? -1 : authorization.tokenPolls();
    }

    List<String> pendingUserCodes() {
        Instant now = clock.instant();
        List<String> pending = new ArrayList<>();
        for (DeviceAuthorization authorization : snapshot()) {
            if (authorization.state(now) == DeviceAuthorization.State.PENDING) {
                pending.add(authorization.userCode);
            }
        }
        return pending;
    }

    /**
     * One CreateToken poll with a device code. Returns the authorization when the user approved it (after which
     * the code is spent); otherwise throws the OIDC error a real client must handle.
     */
    DeviceAuthorization redeem(String deviceCode, String clientId) {
        DeviceAuthorization authorization = deviceCode == null ? null : byDeviceCode.get(deviceCode);
        if (authorization == null || !authorization.clientId.equals(clientId)) {
            throw AwsError.invalidGrant("Invalid device code provided");
        }
        Instant now = clock.instant();
        synchronized (authorization) {
            authorization.polled();
            switch (authorization.state(now)) {
                case APPROVED:
                    authorization.redeemed();
                    return authorization;
                case PENDING:
                    throw authorization.pollTooSoon(now) ? AwsError.slowDown() : AwsError.authorizationPending();
                case DENIED:
                    throw AwsError.accessDenied("The user denied the authorization request");
                case EXPIRED:
                    throw AwsError.expiredToken("Device code has expired");
                case REDEEMED:
                default:
                    throw AwsError.invalidGrant("Device code has already been used");
            }
        }
    }

    private List<DeviceAuthorization> snapshot() {
        synchronized (byUserCode) {
            return new ArrayList<>(byUserCode.values());
        }
    }
}
