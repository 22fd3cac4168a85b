package dev.atmosd.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the atmos.yaml files this shell means, in the order atmos merges them (cloudposse/atmos pkg/config/load.go
 * loadConfigSources, config_cli_args.go): with {@code --config} files or {@code --config-path} directories, just
 * those (files first); otherwise the system file, {@code ~/.atmos/atmos.yaml}, the nearest parent directory's and the
 * git root's (only when the working directory holds no atmos config of its own and no {@code ATMOS_CLI_CONFIG_PATH}
 * is set), {@code ./atmos.yaml}, then {@code ATMOS_CLI_CONFIG_PATH}. Only paths travel; the daemon parses them.
 */
public final class ConfigDiscovery {
  public static final String CONFIG_FILE_NAME = "atmos.yaml";
  /** Where atmos looks for the system-wide file on Linux and macOS (pkg/config/const.go SystemDirConfigFilePath). */
  public static final Path SYSTEM_DIRECTORY = Path.of("/usr/local/etc/atmos");
  /** What atmos reads from a discovered directory (viper's config name "atmos"). */
  private static final List<String> NAMES_IN_DIRECTORY = List.of("atmos.yaml", "atmos.yml");
  /** A --config-path directory may hold the hidden name instead (config_cli_args.go DotCliConfigFileName). */
  private static final List<String> NAMES_IN_CONFIG_PATH = List.of("atmos.yaml", "atmos.yml", ".atmos.yaml", ".atmos.yml");
  /** The directories atmos imports without being asked (load.go loadAtmosDFromDirectory). */
  private static final List<String> DEFAULT_IMPORT_DIRECTORIES = List.of("atmos.d", ".atmos.d");
  /** What makes a directory "have its own atmos config" (load.go hasLocalAtmosConfig). */
  private static final List<String> LOCAL_CONFIG_INDICATORS = List.of("atmos.yaml", ".atmos.yaml", ".atmos", ".atmos.d",
      "atmos.d");

  /**
   * One file found; {@code defaultImports} false where atmos reads it without the .atmos.d beside it; {@code
   * atmosDOnly} when no atmos.yaml was found at all and {@code file} is the git root, whose {@code atmos.d/} and
   * {@code .atmos.d/} are then the whole config.
   */
  public record Found(Path file, boolean defaultImports, boolean atmosDOnly) {
    public Found(Path file, boolean defaultImports) {
      this(file, defaultImports, false);
    }
  }

  private final Map<String, String> env;
  private final Path workingDirectory;
  private final Path home;
  private final Path systemDirectory;

  public ConfigDiscovery(Map<String, String> env, Path workingDirectory, Path home) {
    this(env, workingDirectory, home, SYSTEM_DIRECTORY);
  }

  ConfigDiscovery(Map<String, String> env, Path workingDirectory, Path home, Path systemDirectory) {
    this.env = env;
    this.workingDirectory = workingDirectory.toAbsolutePath().normalize();
    this.home = home;
    this.systemDirectory = systemDirectory;
  }

  /** The file of highest precedence, or empty when there is none. */
  public Optional<Path> find(String explicitConfig) {
    List<Found> found = explicitConfig == null || explicitConfig.isBlank()
        ? sources(List.of(), List.of()) : sources(List.of(explicitConfig), List.of());
    return found.isEmpty() ? Optional.empty() : Optional.of(found.get(found.size() - 1).file());
  }

  /**
   * Every file this invocation means, lowest precedence first. An explicit {@code --config}, {@code --config-path}
   * or {@code ATMOS_CLI_CONFIG_PATH} that points nowhere is a usage error, not a silent fall-through.
   *
   * @param configFiles {@code --config} values (a directory is taken as {@code --config-path}, as atmosd always did)
   * @param configDirectories {@code --config-path} values
   */
  public List<Found> sources(List<String> configFiles, List<String> configDirectories) {
    List<Found> found = new ArrayList<>();
    if (!configFiles.isEmpty() || !configDirectories.isEmpty()) {
      List<Found> fromDirectories = new ArrayList<>();
      for (String given : configFiles) {
        Path path = resolve(given, "--config");
        if (Files.isDirectory(path)) {
          fromDirectories.add(new Found(inDirectory(path, "--config " + given), true));
        } else if (Files.isRegularFile(path)) {
          found.add(new Found(path, false));
        } else {
          throw new UserError("--config " + given + ": " + path + " does not exist");
        }
      }
      for (String given : configDirectories) {
        Path path = resolve(given, "--config-path");
        if (!Files.isDirectory(path)) {
          throw new UserError("--config-path " + given + ": " + path + (Files.exists(path)
              ? " is a file, not a directory: pass it with --config" : " does not exist"));
        }
        fromDirectories.add(new Found(inDirectory(path, "--config-path " + given), true));
      }
      found.addAll(fromDirectories);
      return withoutRepeats(found);
    }
    fileIn(systemDirectory).ifPresent(file -> found.add(new Found(file, false)));
    fileIn(home.resolve(".atmos")).ifPresent(file -> found.add(new Found(file, true)));
    String fromEnv = env.get("ATMOS_CLI_CONFIG_PATH");
    boolean envSet = fromEnv != null && !fromEnv.isBlank();
    if (!envSet && !hasLocalConfig(workingDirectory)) {
      parentWithConfig().flatMap(ConfigDiscovery::fileIn).ifPresent(file -> found.add(new Found(file, true)));
      if (!"false".equals(env.get("ATMOS_GIT_ROOT_BASEPATH"))) {
        Path gitRoot = gitRoot();
        if (gitRoot != null && !gitRoot.equals(workingDirectory)) {
          fileIn(gitRoot).ifPresent(file -> found.add(new Found(file, true)));
        }
      }
    }
    fileIn(workingDirectory).ifPresent(file -> found.add(new Found(file, true)));
    if (envSet) {
      Path path = resolve(fromEnv, "ATMOS_CLI_CONFIG_PATH");
      String source = "ATMOS_CLI_CONFIG_PATH=" + fromEnv;
      if (Files.isDirectory(path)) {
        found.add(new Found(inDirectory(path, source), true));
      } else if (Files.isRegularFile(path)) {
        found.add(new Found(path, true));
      } else {
        throw new UserError(source + ": " + path + " does not exist");
      }
    }
    if (found.isEmpty()) {
      return gitRootAtmosD();
    }
    return withoutRepeats(found);
  }

  /**
   * With no atmos.yaml anywhere, atmos falls back to its built-in defaults and still reads the git root's
   * {@code atmos.d/} and {@code .atmos.d/} (load.go LoadConfig, "Also search git root for .atmos.d even with default
   * config": mergeDefaultImports on ProcessTagGitRoot's answer, only inside a git repository). Not the working
   * directory's own {@code .atmos.d} when that is below the root, and not {@code ATMOS_GIT_ROOT_BASEPATH}-gated.
   */
  private List<Found> gitRootAtmosD() {
    Path gitRoot = gitRoot();
    if (gitRoot != null && DEFAULT_IMPORT_DIRECTORIES.stream().anyMatch(name -> Files.isDirectory(gitRoot.resolve(name)))) {
      return List.of(new Found(gitRoot, false, true));
    }
    return List.of();
  }

  private Path resolve(String given, String source) {
    if (given.isBlank()) {
      throw new UserError(source + " needs a path");
    }
    String expanded = given.equals("~") || given.startsWith("~/") ? home + given.substring(1) : given;
    return workingDirectory.resolve(expanded).toAbsolutePath().normalize();
  }

  /** atmos.yaml (or atmos.yml) in a directory, if there is one. */
  private static Optional<Path> fileIn(Path directory) {
    return fileIn(directory, NAMES_IN_DIRECTORY);
  }

  private static Optional<Path> fileIn(Path directory, List<String> names) {
    for (String name : names) {
      Path file = directory.resolve(name);
      if (Files.isRegularFile(file)) {
        return Optional.of(file.toAbsolutePath().normalize());
      }
    }
    return Optional.empty();
  }

  private static Path inDirectory(Path directory, String source) {
    return fileIn(directory, NAMES_IN_CONFIG_PATH).orElseThrow(() -> new UserError(source + ": no " + CONFIG_FILE_NAME + " in directory "
        + directory));
  }

  private static boolean hasLocalConfig(Path directory) {
    return LOCAL_CONFIG_INDICATORS.stream().anyMatch(name -> Files.exists(directory.resolve(name)));
  }

  /** The nearest directory above the working directory with atmos.yaml or .atmos.yaml (findAtmosConfigInParentDirs). */
  private Optional<Path> parentWithConfig() {
    for (Path at = workingDirectory.getParent(); at != null; at = at.getParent()) {
      if (Files.exists(at.resolve("atmos.yaml")) || Files.exists(at.resolve(".atmos.yaml"))) {
        return Optional.of(at);
      }
    }
    return Optional.empty();
  }

  /** The nearest directory at or above the working directory holding .git, as atmos's !repo-root finds it. */
  private Path gitRoot() {
    for (Path at = workingDirectory; at != null; at = at.getParent()) {
      if (Files.exists(at.resolve(".git"))) {
        return at;
      }
    }
    return null;
  }

  /** A file found twice (the parent directory is the git root) merges once, at its later place. */
  private static List<Found> withoutRepeats(List<Found> found) {
    List<Found> kept = new ArrayList<>();
    for (int i = 0; i < found.size(); i++) {
      Path file = found.get(i).file();
      boolean later = found.subList(i + 1, found.size()).stream().anyMatch(other -> other.file().equals(file));
      if (!later) {
        kept.add(found.get(i));
      }
    }
    return List.copyOf(kept);
  }
}
