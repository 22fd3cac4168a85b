package dev.atmosd.daemon.config;

import dev.atmosd.daemon.files.DaemonPaths;
import java.nio.file.Path;
import java.util.Map;

/**
 * Reads an atmos.yaml's {@code auth} section as atmos does: each provider's provisioned-identities file first, then
 * the file's {@code import:} list, then the file itself, deep-merged in that order.
 */
public final class ConfigLoader {
  private final DaemonPaths paths;
  private final Map<String, String> daemonEnv;

  public ConfigLoader(DaemonPaths paths, Map<String, String> daemonEnv) {
    this.paths = paths;
    this.daemonEnv = Map.copyOf(daemonEnv);
  }

  /**
   * @param configFile the atmos.yaml the client found
   * @param clientEnv the client's forwarded environment (endpoint overrides)
   * @throws ConfigException with a one-line message naming the file and field
   */
  public AtmosConfig load(Path configFile, Map<String, String> clientEnv) {
    throw new UnsupportedOperationException("being written: see the config package owner");
  }
}
