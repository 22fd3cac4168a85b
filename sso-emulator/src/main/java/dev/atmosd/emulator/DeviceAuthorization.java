package dev.atmosd.emulator;

import java.time.Duration;
import java.time.Instant;

/** One device-authorization request (RFC 8628) and where the user is with it. Guarded by its own monitor. */
final class DeviceAuthorization {
    enum State { PENDING, APPROVED, DENIED, EXPIRED, REDEEMED }

    final String deviceCode;
    final String userCode;
    final String clientId;
    final String startUrl;
    final Instant expiresAt;
    final Duration interval;
    private State state = State.PENDING;
    private Instant lastPolledAt;
    private int tokenPolls;

    DeviceAuthorization(String deviceCode, String userCode, String clientId, String startUrl,
                        Instant expiresAt, Duration interval) {
        this.deviceCode = deviceCode;
        this.userCode = userCode;
        this.clientId = clientId;
        this.startUrl = startUrl;
        this.expiresAt = expiresAt;
        this.interval = interval;
    }

    synchronized State state(Instant now) {
        if ((state == State.PENDING || state == State.APPROVED) && !now.isBefore(expiresAt)) {
            state = State.EXPIRED;
        }
        return state;
    }

    /**
     * Moves a still-open request to {@code next}; returns false if it was settled otherwise or expired.
     * Repeating a decision is fine (a browser may open the approval URL twice, or after auto-approval).
     */
    synchronized boolean settle(State next, Instant now) {
        State current = state(now);
        if (current == next || (next == State.APPROVED && current == State.REDEEMED)) {
            return true;
        }
        if (current != State.PENDING && !(current == State.APPROVED && next == State.EXPIRED)) {
            return false;
        }
        state = next;
        return true;
    }

    /**
     * Records a token poll and says whether it came too soon after the previous one. A fifth of the interval
     * is forgiven: a client that waits exactly {@code interval} between polls must not be told to slow down
     * because its two requests took different times to arrive.
     */
    synchronized boolean pollTooSoon(Instant now) {
        Instant previous = lastPolledAt;
        lastPolledAt = now;
        if (previous == null) {
            return false;
        }
        Duration minimum = interval.minus(interval.dividedBy(5));
        return Duration.between(previous, now).compareTo(minimum) < 0;
    }

    /** Counts a CreateToken call with this device code, whatever it answered. */
    synchronized void polled() {
        tokenPolls++;
    }

    synchronized int tokenPolls() {
        return tokenPolls;
    }

    synchronized void redeemed() {
        state = State.REDEEMED;
    }
}
