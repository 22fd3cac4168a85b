package dev.atmosd.daemon.config;

/**
 * A problem with the user's configuration or request: one line naming the file, field or flag and what to do.
 * Maps to INVALID_ARGUMENT / NOT_FOUND (CLI exit 2). Never carries a secret.
 */
public class ConfigException extends RuntimeException {
  private final boolean notFound;

  public ConfigException(String message) {
    this(message, false);
  }

  private ConfigException(String message, boolean notFound) {
    super(message, null, false, false);
    this.notFound = notFound;
  }

  /** An unknown provider or identity name. */
  public static ConfigException notFound(String message) {
    return new ConfigException(message, true);
  }

  public boolean isNotFound() {
    return notFound;
  }
}
