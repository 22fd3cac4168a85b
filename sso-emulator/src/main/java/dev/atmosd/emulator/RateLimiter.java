package dev.atmosd.emulator;

/** A token bucket holding one second's worth of requests (at least one), refilled continuously. */
final class RateLimiter {
    private final double perNano;
    private final double capacity;
    private double tokens;
    private long lastRefill;

    RateLimiter(double requestsPerSecond) {
        this.perNano = requestsPerSecond / 1_000_000_000d;
        this.capacity = Math.max(1d, requestsPerSecond);
        this.tokens = capacity;
        this.lastRefill = System.nanoTime();
    }

    synchronized boolean tryAcquire() {
        long now = System.nanoTime();
        tokens = Math.min(capacity, tokens + (now - lastRefill) * perNano);
        lastRefill = now;
        if (tokens >= 1d) {
            tokens -= 1d;
            return true;
        }
        return false;
    }
}
