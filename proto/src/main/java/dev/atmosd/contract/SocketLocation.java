package dev.atmosd.contract;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where the daemon listens. Client and daemon resolve it the same way, so it lives with the contract:
 * {@code ATMOSD_SOCKET}, else {@code $XDG_RUNTIME_DIR/atmosd/atmosd.sock}, else {@code /tmp/atmosd-<uid>/atmosd.sock}.
 */
public final class SocketLocation {
  public static final String SOCKET_ENV = "ATMOSD_SOCKET";
  public static final String SOCKET_FILE_NAME = "atmosd.sock";

  private SocketLocation() {}

  public static Path resolve(Map<String, String> environment) {
    String explicit = environment.get(SOCKET_ENV);
    if (explicit != null && !explicit.isBlank()) {
      return Path.of(explicit).toAbsolutePath();
    }
    String runtimeDir = environment.get("XDG_RUNTIME_DIR");
    if (runtimeDir != null && !runtimeDir.isBlank()) {
      return Path.of(runtimeDir, "atmosd", SOCKET_FILE_NAME);
    }
    return Path.of("/tmp", "atmosd-" + currentUid(), SOCKET_FILE_NAME);
  }

  public static Path resolve() {
    return resolve(System.getenv());
  }

  /**
   * The longest socket path the platform's AF_UNIX {@code sun_path} holds, in bytes, without its NUL:
   * 107 on Linux, 103 on macOS and the BSDs.
   */
  public static int maxPathBytes() {
    String os = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT);
    return os.contains("linux") ? 107 : 103;
  }

  /** A one-line reason the path cannot be a socket address, or null when it can. */
  public static String problemWith(Path socketPath) {
    int length = socketPath.toString().getBytes(StandardCharsets.UTF_8).length;
    if (length > maxPathBytes()) {
      return "socket path " + socketPath + " is " + length + " bytes; AF_UNIX allows at most " + maxPathBytes()
          + " here: set " + SOCKET_ENV + " to a shorter path";
    }
    return null;
  }

  public static long currentUid() {
    return new com.sun.security.auth.module.UnixSystem().getUid();
  }
}
