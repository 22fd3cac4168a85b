package dev.atmosd.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Finds atmos.yaml the way atmos does, so the daemon is told which file this shell means: {@code --config} >
 * {@code ATMOS_CLI_CONFIG_PATH} (a directory holding atmos.yaml, or the file) > {@code ./atmos.yaml} >
 * {@code ~/.atmos/atmos.yaml}. Only the path travels; the daemon parses it.
 */
public final class ConfigDiscovery {
  public static final String CONFIG_FILE_NAME = "atmos.yaml";

  private final Map<String, String> env;
  private final Path workingDirectory;
  private final Path home;

  public ConfigDiscovery(Map<String, String> env, Path workingDirectory, Path home) {
    this.env = env;
    this.workingDirectory = workingDirectory;
    this.home = home;
  }

  public static ConfigDiscovery forThisProcess() {
    return new ConfigDiscovery(System.getenv(), Path.of("").toAbsolutePath(), Path.of(System.getProperty("user.home")));
  }

  /**
   * The config this invocation means, or empty when there is none. An explicit {@code --config} or
   * {@code ATMOS_CLI_CONFIG_PATH} that points nowhere is a usage error, not a silent fall-through.
   */
  public Optional<Path> find(String explicitConfig) {
    if (explicitConfig != null && !explicitConfig.isBlank()) {
      return Optional.of(existing(resolve(explicitConfig), "--config " + explicitConfig));
    }
    String fromEnv = env.get("ATMOS_CLI_CONFIG_PATH");
    if (fromEnv != null && !fromEnv.isBlank()) {
      return Optional.of(existing(resolve(fromEnv), "ATMOS_CLI_CONFIG_PATH=" + fromEnv));
    }
    Path inCwd = workingDirectory.resolve(CONFIG_FILE_NAME);
    if (Files.isRegularFile(inCwd)) {
      return Optional.of(inCwd.toAbsolutePath().normalize());
    }
    Path inHome = home.resolve(".atmos").resolve(CONFIG_FILE_NAME);
    if (Files.isRegularFile(inHome)) {
      return Optional.of(inHome.toAbsolutePath().normalize());
    }
    return Optional.empty();
  }

  private Path resolve(String given) {
    String expanded = given.equals("~") || given.startsWith("~/") ? home + given.substring(1) : given;
    return workingDirectory.resolve(expanded).toAbsolutePath().normalize();
  }

  private static Path existing(Path path, String source) {
    if (Files.isDirectory(path)) {
      Path inside = path.resolve(CONFIG_FILE_NAME);
      if (Files.isRegularFile(inside)) {
        return inside;
      }
      throw new UserError(source + ": no " + CONFIG_FILE_NAME + " in directory " + path);
    }
    if (Files.isRegularFile(path)) {
      return path;
    }
    throw new UserError(source + ": " + path + " does not exist");
  }
}
