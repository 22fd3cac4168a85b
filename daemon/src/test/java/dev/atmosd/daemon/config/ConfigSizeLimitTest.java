package dev.atmosd.daemon.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atmosd.daemon.files.DaemonPaths;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11 item 10d: a 60 MB atmos.yaml ran the 96 MB daemon out of memory ("Application error processing RPC");
 * it must be one config-error line naming the file, its size and the limit, decided before the file is read.
 */
class ConfigSizeLimitTest {
  @TempDir Path dir;

  @Test
  void aSixtyMegabyteConfigIsOneLineNamingFileSizeAndLimit() throws Exception {
    Path huge = dir.resolve("atmos.yaml");
    Files.writeString(huge, "auth:\n  providers: {}\n# padding\n");
    try (RandomAccessFile file = new RandomAccessFile(huge.toFile(), "rw")) {
      file.setLength(60L * 1024 * 1024);
    }
    ConfigLoader loader = new ConfigLoader(new DaemonPaths(dir.resolve("cache"), dir.resolve("state")), Map.of());

    assertThatThrownBy(() -> loader.load(huge, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessage("config file " + huge + " is 60.0 MiB (62914560 bytes), over the limit of 8 MiB for atmos.yaml"
            + " and the files it imports: check that --config / ATMOS_CLI_CONFIG_PATH names your atmos.yaml");
  }

  @Test
  void aConfigJustUnderTheLimitIsRead() throws Exception {
    Path large = dir.resolve("atmos.yaml");
    StringBuilder yaml = new StringBuilder("auth:\n  providers:\n    p:\n      kind: aws/iam-identity-center\n"
        + "      start_url: https://d-1234567890.awsapps.com/start\n      region: us-east-1\n");
    String comment = "# " + "x".repeat(1000) + "\n";
    while (yaml.length() + comment.length() < YamlDocumentReader.MAX_FILE_BYTES) {
      yaml.append(comment);
    }
    Files.writeString(large, yaml, StandardCharsets.UTF_8);
    ConfigLoader loader = new ConfigLoader(new DaemonPaths(dir.resolve("cache"), dir.resolve("state")), Map.of());

    assertThat(loader.load(large, Map.of()).providers()).containsKey("p");
  }
}
