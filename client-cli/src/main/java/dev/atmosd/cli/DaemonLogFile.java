package dev.atmosd.cli;

import java.nio.file.Path;
import java.util.Map;

/** Where an autostarted daemon's output goes: {@code $XDG_STATE_HOME/atmosd/atmosd.log} (the daemon's own choice). */
public final class DaemonLogFile {
  private DaemonLogFile() {}

  public static Path resolve(Map<String, String> env) {
    String state = env.get("XDG_STATE_HOME");
    Path stateHome = state != null && !state.isBlank()
        ? Path.of(state) : Path.of(System.getProperty("user.home"), ".local", "state");
    return stateHome.resolve("atmosd").resolve("atmosd.log");
  }
}
