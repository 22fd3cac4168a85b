package dev.atmosd.daemon.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The {@code auth} section of an atmos.yaml after imports: provisioned identity files first, then the file's own
 * {@code import:} list, then the file itself deep-merged over them. Maps keep the order of the file.
 */
public record AtmosConfig(
    Path source,
    Map<String, ProviderConfig> providers,
    Map<String, IdentityConfig> identities,
    List<Path> importedFiles,
    List<String> warnings) {}
