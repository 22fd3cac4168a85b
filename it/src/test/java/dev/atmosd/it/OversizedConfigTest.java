package dev.atmosd.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 11 item 10d, through the real CLI and daemon (its 96 MB heap): a 60 MB atmos.yaml used to end in "Application
 * error processing RPC"; it is one line naming the file, its size and the limit, exit 2 (a config error).
 */
class OversizedConfigTest {
  private AtmosSandbox sandbox;

  @BeforeEach
  void start() {
    sandbox = AtmosSandbox.create();
  }

  @AfterEach
  void close() {
    AtmosSandbox.closeIfCreated(sandbox);
  }

  @Test
  void aSixtyMegabyteConfigIsOneLineWithExitTwo() throws Exception {
    Path huge = sandbox.root().resolve("huge").resolve("atmos.yaml");
    Files.createDirectories(huge.getParent());
    Files.writeString(huge, "auth:\n  providers: {}\n# padding follows\n");
    try (RandomAccessFile file = new RandomAccessFile(huge.toFile(), "rw")) {
      file.setLength(60L * 1024 * 1024);
    }

    sandbox.runOk("daemon", "start"); // so stderr holds only the command's own line, not "starting atmosd…"
    CliResult list = sandbox.run("--config", huge.toString(), "auth", "list");

    assertThat(list.exitCode()).as("%s", list).isEqualTo(2);
    assertThat(list.stderrLines()).as("%s", list).hasSize(1);
    assertThat(list.stderr()).as("%s", list)
        .contains(huge.toString()).contains("60.0 MiB (62914560 bytes)").contains("limit of 8 MiB")
        .doesNotContain("Application error").doesNotContain("Exception");
  }
}
