package dev.atmosd.emulator;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** How many times each operation was called, faulted calls included (so tests can count SDK retries). */
final class CallCounters {
    private final ConcurrentHashMap<String, LongAdder> counts = new ConcurrentHashMap<>();

    void increment(String operation) {
        counts.computeIfAbsent(operation, k -> new LongAdder()).increment();
    }

    long get(String operation) {
        LongAdder adder = counts.get(operation);
        return adder == null ? 0 : adder.sum();
    }

    Map<String, Long> snapshot() {
        Map<String, Long> copy = new TreeMap<>();
        counts.forEach((op, adder) -> copy.put(op, adder.sum()));
        return copy;
    }

    void reset() {
        counts.clear();
    }
}
