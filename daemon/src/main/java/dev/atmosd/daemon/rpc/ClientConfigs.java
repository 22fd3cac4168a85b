package dev.atmosd.daemon.rpc;

import dev.atmosd.daemon.config.AtmosConfig;
import dev.atmosd.daemon.config.ConfigException;
import dev.atmosd.daemon.config.ConfigLoader;
import dev.atmosd.daemon.session.PortalSessions;
import dev.atmosd.v1.ClientContext;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Loads the atmos.yaml a client found, with the client's own environment steering endpoint overrides. Every call
 * sees the files as they are now (a daemon lives for days while the user edits atmos.yaml); {@link ConfigLoader}
 * re-uses its last result while a stat shows them unchanged. Each portal a loaded config names is made known to the
 * session engine, which picks up its saved session.
 */
public final class ClientConfigs {
  private final ConfigLoader loader;
  private final PortalSessions sessions;

  /** @param sessions the engine to tell about the portals configs name; null when there is none (tests) */
  public ClientConfigs(ConfigLoader loader, PortalSessions sessions) {
    this.loader = loader;
    this.sessions = sessions;
  }

  /** The client's config; none given is a usage error naming how to give one. */
  public AtmosConfig load(ClientContext context) {
    Path path = path(context).orElseThrow(() -> new ConfigException("no atmos.yaml found: pass --config, set"
        + " ATMOS_CLI_CONFIG_PATH, or run from the directory that holds atmos.yaml"));
    return recognised(loader.load(path, ClientEnvironment.of(context), ClientEnvironment.forFunctions(context)));
  }

  /** The client's config, or empty when it sent none or the file does not exist (for status). */
  public Optional<AtmosConfig> loadIfPresent(ClientContext context) {
    Optional<Path> path = path(context);
    if (path.isEmpty() || !ConfigLoader.exists(path.get())) {
      return Optional.empty();
    }
    return Optional.of(recognised(loader.load(path.get(), ClientEnvironment.of(context), ClientEnvironment.forFunctions(context))));
  }

  private AtmosConfig recognised(AtmosConfig config) {
    if (sessions != null) {
      config.providers().values().forEach(sessions::recognise);
    }
    return config;
  }

  private static Optional<Path> path(ClientContext context) {
    String configPath = context.getConfigPath();
    if (configPath.isBlank()) {
      return Optional.empty();
    }
    Path path;
    try {
      path = Path.of(configPath);
    } catch (java.nio.file.InvalidPathException e) {
      throw new ConfigException("the config path the client sent is not a valid path (" + e.getReason()
          + "): pass --config with the path of an atmos.yaml");
    }
    if (!path.isAbsolute() && !context.getWorkingDirectory().isBlank()) {
      path = Path.of(context.getWorkingDirectory()).resolve(path);
    }
    return Optional.of(path.toAbsolutePath().normalize());
  }
}
