package dev.atmosd.daemon.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atmosd.daemon.files.DaemonPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A config is re-used while none of the files it was made of changed, and never after one did. */
class ConfigReuseTest {
  @TempDir Path dir;

  private static final String CONFIG = """
      auth:
        providers:
          p:
            kind: aws/iam-identity-center
            start_url: https://d-1.awsapps.com/start
            region: us-east-1
            auto_provision_identities: true
        identities:
          first:
            kind: aws/permission-set
            default: true
            via: {provider: p}
            principal: {name: Admin, account: {id: "111111111111"}}
      """;

  private Path writeAged(Path file, String content, int secondsAgo) throws Exception {
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
    Files.setLastModifiedTime(file, FileTime.from(Instant.now().minusSeconds(secondsAgo)));
    return file;
  }

  @Test
  void anUnchangedConfigIsReusedAndEveryKindOfChangeIsSeen() throws Exception {
    DaemonPaths paths = new DaemonPaths(dir.resolve("cache"), dir.resolve("state"));
    ConfigLoader loader = new ConfigLoader(paths, Map.of());
    Path config = writeAged(dir.resolve("atmos.yaml"), CONFIG, 60);

    AtmosConfig first = loader.load(config, Map.of());
    assertThat(loader.load(config, Map.of())).isSameAs(first);

    // The same size, rewritten in place with another (old) timestamp: a new config.
    writeAged(config, CONFIG.replace("Admin", "Other"), 30);
    AtmosConfig edited = loader.load(config, Map.of());
    assertThat(edited.identity("first").principal().permissionSetName()).isEqualTo("Other");

    // A provisioned file that appears: its identities come in.
    writeAged(paths.provisionedIdentitiesFile("p"), """
        auth:
          identities:
            "dev/Admin":
              kind: aws/permission-set
              provider: p
              via: {provider: p}
              principal: {name: Admin, account: {name: dev, id: "222222222222"}}
        """, 20);
    assertThat(loader.load(config, Map.of()).identities()).containsKey("dev/Admin");

    // Another client environment (endpoint overrides): its own config.
    AtmosConfig elsewhere = loader.load(config, Map.of("AWS_ENDPOINT_URL", "http://127.0.0.1:9"));
    assertThat(elsewhere.provider("p").endpoints().sso()).hasToString("http://127.0.0.1:9");
    assertThat(loader.load(config, Map.of()).provider("p").endpoints().sso()).isNull();
  }

  @Test
  void aFileWrittenJustNowIsReadAgainRatherThanTrustedByItsTimestamp() throws Exception {
    ConfigLoader loader = new ConfigLoader(new DaemonPaths(dir.resolve("cache"), dir.resolve("state")), Map.of());
    Path config = dir.resolve("atmos.yaml");
    Files.writeString(config, CONFIG);
    loader.load(config, Map.of());

    Files.writeString(config, CONFIG.replace("Admin", "Other"));

    assertThat(loader.load(config, Map.of()).identity("first").principal().permissionSetName()).isEqualTo("Other");
  }

  @Test
  void anEditToAnImportedFileIsSeenThoughTheMainFileIsUnchanged() throws Exception {
    ConfigLoader loader = new ConfigLoader(new DaemonPaths(dir.resolve("cache"), dir.resolve("state")), Map.of());
    String identities = """
        auth:
          identities:
            second:
              kind: aws/permission-set
              via: {provider: p}
              principal: {name: Admin, account: {id: "333333333333"}}
        """;
    Path imported = writeAged(dir.resolve("identities.yaml"), identities, 60);
    Path config = writeAged(dir.resolve("atmos.yaml"), "import:\n  - identities.yaml\n" + CONFIG, 60);
    AtmosConfig first = loader.load(config, Map.of());
    assertThat(first.identity("second").principal().accountId()).isEqualTo("333333333333");
    assertThat(loader.load(config, Map.of())).isSameAs(first);

    writeAged(imported, identities.replace("333333333333", "444444444444"), 30);

    assertThat(loader.load(config, Map.of()).identity("second").principal().accountId()).isEqualTo("444444444444");
  }
}
