package dev.atmosd.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which shell {@code auth shell} runs and the level it gives it, as Go's pkg/shell Determine and Level. */
class AuthShellCommandTest {
  @TempDir
  Path dir;

  @Test
  void theFlagThenAtmosShellThenShell() {
    Map<String, String> env = new HashMap<>(Map.of("ATMOS_SHELL", "/bin/zsh", "SHELL", "/bin/fish", "PATH", ""));
    assertThat(AuthShellCommand.program("/bin/ksh", env)).isEqualTo("/bin/ksh");
    assertThat(AuthShellCommand.program(null, env)).isEqualTo("/bin/zsh");
    env.put("ATMOS_SHELL", " ");
    assertThat(AuthShellCommand.program(null, env)).isEqualTo("/bin/fish");
  }

  @Test
  void withoutAChoiceBashThenShOnPath() throws Exception {
    Map<String, String> env = new HashMap<>(Map.of("PATH", dir.toString()));
    assertThat(AuthShellCommand.program(null, env)).as("nothing on PATH").isEmpty();
    executable("sh");
    assertThat(AuthShellCommand.program(null, env)).isEqualTo("sh");
    executable("bash");
    assertThat(AuthShellCommand.program("", env)).isEqualTo("bash");
  }

  @Test
  void levelIsZeroWhenUnsetOrNotANumber() {
    assertThat(AuthShellCommand.level(null)).isZero();
    assertThat(AuthShellCommand.level("")).isZero();
    assertThat(AuthShellCommand.level("two")).isZero();
    assertThat(AuthShellCommand.level("-3")).isZero();
    assertThat(AuthShellCommand.level("2")).isEqualTo(2);
  }

  private void executable(String name) throws Exception {
    Path file = Files.writeString(dir.resolve(name), "#!/bin/false\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
  }
}
