package dev.atmosd.daemon.files;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where the daemon keeps its files. Every root is overridable through the environment, so tests use temp dirs:
 * cache {@code ATMOS_XDG_CACHE_HOME} > {@code XDG_CACHE_HOME} > {@code ~/.cache};
 * state (logs) {@code XDG_STATE_HOME} > {@code ~/.local/state}.
 */
public record DaemonPaths(Path cacheHome, Path stateHome) {

  public static DaemonPaths fromEnvironment(Map<String, String> env) {
    Path home = Path.of(System.getProperty("user.home"));
    return new DaemonPaths(
        firstSet(env, home.resolve(".cache"), "ATMOS_XDG_CACHE_HOME", "XDG_CACHE_HOME"),
        firstSet(env, home.resolve(".local/state"), "XDG_STATE_HOME"));
  }

  /** {@code <cache>/atmos}: the root of the tree the daemon writes into (checked as a whole by PrivateFiles). */
  public Path ownCacheDir() {
    return cacheHome.resolve("atmos");
  }

  /** {@code <cache>/atmos/aws-sso/sessions}: one {@code <sha1>.json} per portal session, AWS-SDK compatible. */
  public Path sessionsDir() {
    return ownCacheDir().resolve("aws-sso").resolve("sessions");
  }

  public Path sessionFile(String sessionKey) {
    return sessionsDir().resolve(sessionKey + ".json");
  }

  /** {@code <cache>/atmos/auth/<safe provider>/provisioned-identities.yaml}, written and read through the same name. */
  public Path provisionedIdentitiesFile(String providerName) {
    return ownCacheDir().resolve("auth").resolve(safeDirectoryName(providerName))
        .resolve("provisioned-identities.yaml");
  }

  /** {@code <cache>/atmos/atmosd/endpoint-grants.json}: the container endpoint's port and grants (token hashes). */
  public Path endpointGrantsFile() {
    return ownCacheDir().resolve("atmosd").resolve("endpoint-grants.json");
  }

  public Path logFile() {
    return stateHome.resolve("atmosd").resolve("atmosd.log");
  }

  /**
   * A provider name made safe as one path segment: trimmed, path separators become {@code _}, and names that
   * would mean "here" or "parent" (empty, {@code .}, {@code ..}) are prefixed with {@code _}.
   */
  public static String safeDirectoryName(String name) {
    String safe = name.strip().replace('/', '_').replace('\\', '_').replace('\0', '_');
    if (safe.isEmpty() || safe.equals(".") || safe.equals("..")) {
      return "_" + safe;
    }
    return safe;
  }

  private static Path firstSet(Map<String, String> env, Path fallback, String... names) {
    for (String name : names) {
      String value = env.get(name);
      if (value != null && !value.isBlank()) {
        return Path.of(value);
      }
    }
    return fallback;
  }
}
