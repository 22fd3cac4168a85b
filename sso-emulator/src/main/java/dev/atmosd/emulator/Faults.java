package dev.atmosd.emulator;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The fault plan: failures, dropped connections, latency and rate limits to inject per operation.
 * An operation name of {@code "*"} means every AWS operation; a plan for a named operation wins over "*".
 * Faulted calls still count in {@link SsoEmulator#calls(String)}.
 */
public final class Faults {
    /** Every AWS operation (not the control API). */
    public static final String ALL = "*";

    private final Map<String, Deque<ScriptedFault>> scripted = new ConcurrentHashMap<>();
    private final Map<String, Duration> latencies = new ConcurrentHashMap<>();
    private final Map<String, RateLimiter> rateLimits = new ConcurrentHashMap<>();

    Faults() {
    }

    /** The next {@code times} calls of {@code operation} answer {@code httpStatus} with error type {@code errorType}. */
    public Faults failNext(String operation, int httpStatus, String errorType, int times) {
        Objects.requireNonNull(errorType, "errorType");
        if (httpStatus < 400 || httpStatus > 599) {
            throw new IllegalArgumentException("httpStatus must be a 4xx or 5xx status, was " + httpStatus);
        }
        return script(operation, new ScriptedFault(httpStatus, errorType, times));
    }

    /** The next {@code times} calls of {@code operation} get their connection closed without any response. */
    public Faults resetConnectionNext(String operation, int times) {
        return script(operation, new ScriptedFault(0, null, times));
    }

    /** Every response of {@code operation} is held back by {@code delay} (scheduled, never blocking a thread). */
    public Faults latency(String operation, Duration delay) {
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("latency must not be negative");
        }
        latencies.put(name(operation), delay);
        return this;
    }

    /**
     * Calls of {@code operation} beyond {@code requestsPerSecond} (token bucket, burst of one second's worth)
     * answer 429 TooManyRequestsException (STS answers 400 Throttling, as the real STS does).
     * Measured in real time, not the injected clock: throughput is a wall-clock matter.
     */
    public Faults rateLimit(String operation, double requestsPerSecond) {
        if (!(requestsPerSecond > 0)) {
            throw new IllegalArgumentException("requestsPerSecond must be > 0");
        }
        rateLimits.put(name(operation), new RateLimiter(requestsPerSecond));
        return this;
    }

    /** Removes every fault, latency and rate limit. */
    public void clear() {
        scripted.clear();
        latencies.clear();
        rateLimits.clear();
    }

    /** Decides what happens to one call; consumes a scripted fault if one applies. */
    FaultVerdict decide(String operation) {
        Duration delay = latencies.getOrDefault(operation, latencies.getOrDefault(ALL, Duration.ZERO));
        ScriptedFault fault = take(operation);
        if (fault == null) {
            fault = take(ALL);
        }
        if (fault != null) {
            return fault.isReset() ? FaultVerdict.reset() : FaultVerdict.fail(fault.status, fault.errorType, delay);
        }
        RateLimiter limiter = rateLimits.getOrDefault(operation, rateLimits.get(ALL));
        if (limiter != null && !limiter.tryAcquire()) {
            return FaultVerdict.throttle(delay);
        }
        return FaultVerdict.proceed(delay);
    }

    private Faults script(String operation, ScriptedFault fault) {
        if (fault.remaining <= 0) {
            throw new IllegalArgumentException("times must be > 0");
        }
        Deque<ScriptedFault> queue = scripted.computeIfAbsent(name(operation), k -> new ArrayDeque<>());
        synchronized (queue) {
            queue.addLast(fault);
        }
        return this;
    }

    private ScriptedFault take(String operation) {
        Deque<ScriptedFault> queue = scripted.get(operation);
        if (queue == null) {
            return null;
        }
        synchronized (queue) {
            ScriptedFault head = queue.peekFirst();
            if (head == null) {
                return null;
            }
            if (--head.remaining <= 0) {
                queue.removeFirst();
            }
            return head;
        }
    }

    private static String name(String operation) {
        Objects.requireNonNull(operation, "operation");
        if (operation.isBlank()) {
            throw new IllegalArgumentException("operation must not be blank");
        }
        return operation;
    }

    /** One scripted failure (status 0 = drop the connection) with how many more calls it applies to. */
    private static final class ScriptedFault {
        final int status;
        final String errorType;
        int remaining;

        ScriptedFault(int status, String errorType, int times) {
            this.status = status;
            this.errorType = errorType;
            this.remaining = times;
        }

        boolean isReset() {
            return status == 0;
        }
    }
}
