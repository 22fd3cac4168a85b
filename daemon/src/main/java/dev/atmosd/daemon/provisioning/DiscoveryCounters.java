package dev.atmosd.daemon.provisioning;

/**
 * What discovery has cost the portal since the daemon started, for status output and the benchmark.
 *
 * @param calls     portal requests sent, retries included
 * @param throttled of which answered 429 TooManyRequests
 * @param retried   requests that were a retry of a failed one
 * @param discoveries discoveries actually run (joined callers do not count)
 */
public record DiscoveryCounters(long calls, long throttled, long retried, long discoveries) {}
