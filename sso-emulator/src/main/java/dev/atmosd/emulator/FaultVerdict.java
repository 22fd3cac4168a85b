package dev.atmosd.emulator;

import java.time.Duration;

/** What the fault plan says to do with one call, and how long to hold its response back. */
record FaultVerdict(Kind kind, int status, String errorType, Duration delay) {
    enum Kind { PROCEED, FAIL, THROTTLE, RESET }

    static FaultVerdict proceed(Duration delay) {
        return new FaultVerdict(Kind.PROCEED, 0, null, delay);
    }

    static FaultVerdict fail(int status, String errorType, Duration delay) {
        return new FaultVerdict(Kind.FAIL, status, errorType, delay);
    }

    static FaultVerdict throttle(Duration delay) {
        return new FaultVerdict(Kind.THROTTLE, 429, "TooManyRequestsException", delay);
    }

    static FaultVerdict reset() {
        return new FaultVerdict(Kind.RESET, 0, null, Duration.ZERO);
    }
}
