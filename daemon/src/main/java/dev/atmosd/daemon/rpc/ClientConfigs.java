package dev.atmosd.daemon.rpc;

import dev.atmosd.daemon.config.AtmosConfig;
import dev.atmosd.daemon.config.ConfigException;
import dev.atmosd.daemon.config.ConfigLoader;
import dev.atmosd.daemon.config.ConfigRequest;
import dev.atmosd.daemon.session.PortalSessions;
import dev.atmosd.v1.ClientContext;
import dev.atmosd.v1.ConfigSource;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
    ConfigRequest request = request(context).orElseThrow(() -> noConfig(context));
    return loadRecognised(request, context);
  }

  private static ConfigException noConfig(ClientContext context) {
    if (!context.getWorkingDirectory().isBlank()) {
      Path directory = path(context.getWorkingDirectory(), context);
      for (String name : List.of("atmos.d", ".atmos.d")) {
        if (java.nio.file.Files.isDirectory(directory.resolve(name))) {
          // Go reads an atmos.d/ without atmos.yaml only at the git root (load.go LoadConfig's default-config branch).
          return new ConfigException("no atmos.yaml found, and " + directory.resolve(name) + " is read without one only"
              + " at the root of a git repository: add an atmos.yaml beside it, or pass --config-path " + directory);
        }
      }
    }
    return new ConfigException("no atmos.yaml found: pass --config, set ATMOS_CLI_CONFIG_PATH, or run from the"
        + " directory that holds atmos.yaml");
  }

  /** The client's config, or empty when it sent none or its main file does not exist (for status). */
  public Optional<AtmosConfig> loadIfPresent(ClientContext context) {
    Optional<ConfigRequest> request = request(context);
    if (request.isEmpty() || !ConfigLoader.exists(request.get().mainFile())) {
      return Optional.empty();
    }
    return Optional.of(loadRecognised(request.get(), context));
  }

  /** Loads with the client's steering variables and its environment for YAML functions; tells the engine its portals. */
  private AtmosConfig loadRecognised(ConfigRequest request, ClientContext context) {
    AtmosConfig config = loader.load(request, ClientEnvironment.of(context), ClientEnvironment.forFunctions(context));
    if (sessions != null) {
      config.providers().values().forEach(sessions::recognise);
    }
    return config;
  }

  /** What the client found: its list of files (an older client sends the one config_path), profiles, directory. */
  public static Optional<ConfigRequest> request(ClientContext context) {
    List<ConfigRequest.Source> sources = new ArrayList<>();
    for (ConfigSource source : context.getConfigSourcesList()) {
      sources.add(source.getAtmosDOnly() ? ConfigRequest.Source.atmosDOnly(path(source.getPath(), context))
          : new ConfigRequest.Source(path(source.getPath(), context), !source.getWithoutDefaultImports()));
    }
    if (sources.isEmpty() && !context.getConfigPath().isBlank()) {
      sources.add(new ConfigRequest.Source(path(context.getConfigPath(), context), true));
    }
    if (sources.isEmpty()) {
      return Optional.empty();
    }
    Path workingDirectory = context.getWorkingDirectory().isBlank() ? null : path(context.getWorkingDirectory(), context);
    return Optional.of(new ConfigRequest(sources, context.getProfilesList(), workingDirectory));
  }

  private static Path path(String given, ClientContext context) {
    Path path;
    try {
      path = Path.of(given);
    } catch (java.nio.file.InvalidPathException e) {
      throw new ConfigException("the config path the client sent is not a valid path (" + e.getReason()
          + "): pass --config with the path of an atmos.yaml");
    }
    if (!path.isAbsolute() && !context.getWorkingDirectory().isBlank()) {
      path = Path.of(context.getWorkingDirectory()).resolve(path);
    }
    return path.toAbsolutePath().normalize();
  }
}
