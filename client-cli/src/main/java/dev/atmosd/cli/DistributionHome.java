package dev.atmosd.cli;

import java.nio.file.Path;
import java.util.Map;

/**
 * The installed distribution this CLI runs from ({@code <home>/bin/atmos}, {@code <home>/lib/client/*.jar},
 * {@code <home>/lib/daemon/}, {@code <home>/libexec/}): {@code $ATMOSD_HOME}, else the directory above the
 * {@code lib/} this CLI's jar was loaded from; null when run from a build tree.
 */
final class DistributionHome {
  private DistributionHome() {}

  static Path find(Map<String, String> env) {
    String home = env.get("ATMOSD_HOME");
    if (home != null && !home.isBlank()) {
      return Path.of(home);
    }
    try {
      Path jar = Path.of(Atmos.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      // <home>/lib/x.jar or <home>/lib/<role>/x.jar; never further up (that would find /usr/lib).
      Path dir = jar.getParent();
      for (int depth = 0; depth < 2 && dir != null; depth++, dir = dir.getParent()) {
        if (dir.getFileName() != null && dir.getFileName().toString().equals("lib")) {
          return dir.getParent();
        }
      }
    } catch (Exception unknown) {
      // not loaded from a file: no distribution to find
    }
    return null;
  }
}
