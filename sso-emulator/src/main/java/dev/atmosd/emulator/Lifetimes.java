package dev.atmosd.emulator;

import java.time.Duration;

/** How long each thing the emulator issues stays valid; fixed at build time. */
record Lifetimes(
        Duration accessToken,
        Duration refreshToken,
        Duration registration,
        Duration deviceCode,
        Duration pollInterval,
        Duration roleCredentials) {

    static Lifetimes defaults() {
        return new Lifetimes(Duration.ofHours(1), Duration.ofDays(90), Duration.ofDays(90),
                Duration.ofMinutes(10), Duration.ofSeconds(1), Duration.ofHours(1));
    }
}
