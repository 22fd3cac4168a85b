package dev.atmosd.daemon.config;

import java.nio.file.Path;
import java.util.List;

/**
 * Everything a client's config is made of, and so everything the loaded result depends on besides file contents and
 * the environment: the atmos.yaml files found, lowest precedence first, the profiles asked for, and the directory
 * the client runs in (whose git root contributes its {@code .atmos.d}).
 *
 * @param sources deep-merged in this order, each over the ones before
 * @param profiles {@code --profile} / {@code ATMOS_PROFILE} names in order; empty uses {@code profiles.default}
 * @param workingDirectory the client's directory; null when unknown (no git root is looked for)
 */
public record ConfigRequest(List<Source> sources, List<String> profiles, Path workingDirectory) {
  /**
   * One atmos.yaml. {@code defaultImports} is false for a file named by {@code --config} and the system file, which
   * atmos reads without the {@code .atmos.d} beside them (pkg/config/config_cli_args.go mergeFiles,
   * load.go readSystemConfig).
   */
  public record Source(Path file, boolean defaultImports, boolean atmosDOnly) {
    public Source {
      file = file.toAbsolutePath().normalize();
    }

    public Source(Path file, boolean defaultImports) {
      this(file, defaultImports, false);
    }

    /**
     * No atmos.yaml anywhere: {@code gitRoot}'s {@code atmos.d/} and {@code .atmos.d/} are the config, read as atmos
     * reads them in that case (load.go LoadConfig: mergeDefaultImports on the git root over the built-in defaults; no
     * {@code import:} list and no provisioned identities are merged, since only mergeImports brings those).
     */
    public static Source atmosDOnly(Path gitRoot) {
      return new Source(gitRoot, false, true);
    }
  }

  public ConfigRequest {
    sources = List.copyOf(sources);
    profiles = List.copyOf(profiles);
    workingDirectory = workingDirectory == null ? null : workingDirectory.toAbsolutePath().normalize();
  }

  /** One atmos.yaml with its {@code .atmos.d}, no profiles: what an older client's single config path means. */
  public static ConfigRequest of(Path configFile) {
    return new ConfigRequest(List.of(new Source(configFile, true)), List.of(), null);
  }

  /** The file of highest precedence, named in messages; the git root when only its {@code .atmos.d} is the config. */
  public Path mainFile() {
    return sources.get(sources.size() - 1).file();
  }

  /**
   * Where profiles are looked for: the main file's directory (Go's CliConfigPath); with no atmos.yaml at all,
   * CliConfigPath is empty in Go and its relative profile locations are relative to the working directory.
   */
  public Path profileDirectory() {
    Source main = sources.get(sources.size() - 1);
    if (main.atmosDOnly()) {
      return workingDirectory != null ? workingDirectory : main.file();
    }
    return main.file().getParent();
  }
}
