package dev.atmosd.daemon.provisioning;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** How one discovery ended. {@code file} is null when nothing was written (e.g. discovery failed before any account). */
public record ProvisioningResult(
    String provider,
    int identities,
    int accounts,
    int accountsKept,
    int added,
    int removed,
    Duration duration,
    Path file,
    List<String> warnings) {}
