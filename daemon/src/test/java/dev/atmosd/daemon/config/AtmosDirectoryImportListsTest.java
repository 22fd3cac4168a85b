package dev.atmosd.daemon.config;

import static dev.atmosd.daemon.config.ConfigTestFiles.permissionSetIdentity;
import static org.assertj.core.api.Assertions.assertThat;

import dev.atmosd.daemon.files.DaemonPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An {@code import:} list inside a {@code .atmos.d/} or {@code atmos.d/} file. Followed: cloudposse/atmos
 * pkg/config/load.go processConfigImportsAndReapply — the {@code .atmos.d} files merge (mergeDefaultImports, each file
 * through mergeConfigFile, which follows no imports of its own), the atmos.yaml merges over them, and mergeImports then
 * follows the {@code import} list of that merged document. Viper replaces a list rather than concatenating it, so the
 * list is the atmos.yaml's when it has an {@code import} key, else the last {@code .atmos.d} file's; its entries
 * resolve against the import base path (the atmos.yaml's directory by default: imports.go processConfigImports,
 * adapters/local_adapter.go), and what it names merges over every {@code .atmos.d} file and beneath the atmos.yaml,
 * which is re-applied last. An entry found nowhere is skipped there (processImports logs it at debug level).
 */
class AtmosDirectoryImportListsTest {
  @TempDir Path dir;

  private final ConfigLoader loader =
      new ConfigLoader(new DaemonPaths(Path.of("/nonexistent-cache"), Path.of("/nonexistent-state")), Map.of());

  private Path write(String name, String yaml) throws IOException {
    return ConfigTestFiles.write(dir, name, yaml);
  }

  private static final String PROVIDER = """
      auth:
        providers:
          sso:
            kind: aws/iam-identity-center
            start_url: https://d-1.awsapps.com/start
            region: us-east-1
      """;

  private AtmosConfig load(Path config) {
    return loader.load(config, Map.of());
  }

  private static String permissionSet(AtmosConfig config, String identity) {
    return config.identity(identity).principal().permissionSetName();
  }

  @Test
  void aDotAtmosDListIsFollowedRelativeToTheAtmosYamlAndMergesOverDotAtmosDBeneathTheAtmosYaml() throws IOException {
    Path config = write("atmos.yaml", PROVIDER + """
          identities:
            main-wins:
              kind: aws/permission-set
              via: {provider: sso}
              principal: {name: FromMain, account: {id: "111111111111"}}
        """);
    Path declaring = write(".atmos.d/team.yaml", "import: [shared/team-ids.yaml]\n"
        + permissionSetIdentity("import-wins", "FromAtmosD"));
    write(".atmos.d/zz-later.yaml", permissionSetIdentity("import-wins-over-later", "FromLaterAtmosD"));
    Path imported = write("shared/team-ids.yaml", permissionSetIdentity("import-wins", "FromImport") + """
            import-wins-over-later:
              principal: {name: FromImport}
            main-wins:
              principal: {name: FromImport}
            only-imported:
              kind: aws/permission-set
              via: {provider: sso}
              principal: {name: Imported, account: {id: "111111111111"}}
        """);
    write(".atmos.d/shared/team-ids.yaml", permissionSetIdentity("only-imported", "WrongDirectory"));

    AtmosConfig loaded = load(config);

    assertThat(permissionSet(loaded, "only-imported")).isEqualTo("Imported");
    assertThat(permissionSet(loaded, "import-wins")).isEqualTo("FromImport");
    assertThat(permissionSet(loaded, "import-wins-over-later")).isEqualTo("FromImport");
    assertThat(permissionSet(loaded, "main-wins")).isEqualTo("FromMain");
    assertThat(loaded.importedFiles()).containsSubsequence(declaring, imported);
    assertThat(loaded.warnings()).isEmpty();
  }

  @Test
  void theAtmosYamlsOwnImportKeyEvenAnEmptyListReplacesTheDotAtmosDList() throws IOException {
    write(".atmos.d/team.yaml", "import: [extra.yaml]\n");
    write("extra.yaml", permissionSetIdentity("extra", "FromExtra"));
    write("listed.yaml", permissionSetIdentity("listed", "FromListed"));

    AtmosConfig withList = load(write("atmos.yaml", PROVIDER + "import: [listed.yaml]\n"));
    assertThat(withList.identities()).containsOnlyKeys("listed");

    AtmosConfig withEmptyList = load(write("atmos.yaml", PROVIDER + "import: []\n"));
    assertThat(withEmptyList.identities()).isEmpty();
  }

  @Test
  void ofSeveralDotAtmosDListsOnlyTheLastInLoadOrderCountsAndGlobsExpand() throws IOException {
    Path config = write("atmos.yaml", PROVIDER);
    write(".atmos.d/a.yaml", "import: [first.yaml]\n");
    write(".atmos.d/b.yaml", "import: [\"teams/*.yaml\"]\n");
    write("first.yaml", permissionSetIdentity("first", "First"));
    write("teams/one.yaml", permissionSetIdentity("team", "One"));
    write("teams/two.yaml", permissionSetIdentity("team", "Two"));

    AtmosConfig loaded = load(config);

    assertThat(loaded.identities()).containsOnlyKeys("team");
    assertThat(permissionSet(loaded, "team")).isEqualTo("Two");
  }

  @Test
  void aCycleThroughTheDotAtmosDFileOrTheAtmosYamlEndsAndEachFileMergesOnce() throws IOException {
    Path config = write("atmos.yaml", PROVIDER);
    Path declaring = write(".atmos.d/team.yaml", "import: [loop.yaml]\n" + permissionSetIdentity("x", "FromAtmosD"));
    Path loop = write("loop.yaml", "import: [.atmos.d/team.yaml, atmos.yaml, loop.yaml]\n"
        + permissionSetIdentity("x", "FromLoop"));

    AtmosConfig loaded = load(config);

    assertThat(permissionSet(loaded, "x")).isEqualTo("FromLoop");
    assertThat(loaded.importedFiles()).containsExactly(declaring, loop);
  }

  @Test
  void anEntryFoundNowhereIsOneWarningNamingTheDotAtmosDFileAndTheRestStillLoads() throws IOException {
    Path config = write("atmos.yaml", PROVIDER);
    Path declaring = write(".atmos.d/team.yaml", "import: [gone.yaml, here.yaml]\n");
    write("here.yaml", permissionSetIdentity("here", "Here"));

    AtmosConfig loaded = load(config);

    assertThat(loaded.identities()).containsOnlyKeys("here");
    assertThat(loaded.warnings()).singleElement().asString()
        .startsWith(declaring + ": import \"gone.yaml\" not found (" + dir.resolve("gone.yaml") + ")")
        .endsWith("(atmos skips it)")
        .doesNotContain("\n");
  }

  @Test
  void anEditOfAFileTheDotAtmosDListImportsIsSeenAndUntouchedFilesAreReused() throws IOException {
    Path config = write("atmos.yaml", PROVIDER);
    write(".atmos.d/team.yaml", "import: [extra.yaml]\n");
    Path extra = write("extra.yaml", permissionSetIdentity("x", "Before"));
    ageEverything();
    AtmosConfig first = load(config);
    assertThat(load(config)).isSameAs(first);

    Files.writeString(extra, permissionSetIdentity("x", "AfterEdit"));
    Files.setLastModifiedTime(extra, FileTime.from(Instant.now().minusSeconds(30)));

    assertThat(permissionSet(load(config), "x")).isEqualTo("AfterEdit");
  }

  private void ageEverything() throws IOException {
    try (var all = Files.walk(dir)) {
      for (Path path : all.toList()) {
        Files.setLastModifiedTime(path, FileTime.from(Instant.now().minusSeconds(60)));
      }
    }
  }
}
