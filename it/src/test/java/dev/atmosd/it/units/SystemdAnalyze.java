package dev.atmosd.it.units;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code systemd-analyze verify} over atmosd.socket + atmosd.service in a directory (and the service's drop-ins). */
final class SystemdAnalyze {
  private SystemdAnalyze() {}

  /** Runs verify on the units in dir and returns everything it printed; scratch holds a runtime dir it needs. */
  static String verify(Path units, Path scratch) throws IOException {
    Optional<Path> analyze = Shell.which("systemd-analyze");
    assumeTrue(analyze.isPresent(), "systemd-analyze is not installed (Debian: apt-get install systemd); skipping");
    Path runtime = Files.createDirectories(scratch.resolve("xdg-runtime"));
    Files.setPosixFilePermissions(runtime, PosixFilePermissions.fromString("rwx------"));
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PATH", "/usr/bin:/bin:/usr/sbin:/sbin");
    env.put("HOME", scratch.toString());
    // A user manager needs a runtime dir even to only load units (no systemd has to be running).
    env.put("XDG_RUNTIME_DIR", runtime.toString());
    env.put("SYSTEMD_LOG_COLOR", "0");
    List<String> files = List.of(units.resolve("atmosd.socket").toString(), units.resolve("atmosd.service").toString());
    List<String> command = new ArrayList<>(List.of(analyze.get().toString(), "--user", "verify"));
    command.addAll(files);
    Shell.Result result = Shell.run(command, env, units);
    if (result.stderr().contains("Failed to initialize manager")) {
      command.remove("--user");
      result = Shell.run(command, env, units);
    }
    assumeTrue(!result.stderr().contains("Failed to initialize manager"),
        "systemd-analyze cannot load units on this machine: " + result.stderr().strip());
    return result.stdout() + result.stderr() + "\nexit " + result.exitCode();
  }

  /** Verify passes, and says nothing about any atmosd file (an unknown key is only a warning, with exit 0). */
  static void assertVerifies(Path units, Path scratch) throws IOException {
    String output = verify(units, scratch);
    assertThat(output).as("systemd-analyze verify").endsWith("exit 0");
    assertThat(output.lines().filter(l -> l.contains("atmosd"))).as("systemd-analyze verify:\n%s", output).isEmpty();
  }
}
