package dev.atmosd.daemon.config;

import static dev.atmosd.daemon.config.ConfigTestFiles.permissionSetIdentity;
import static org.assertj.core.api.Assertions.assertThat;

import dev.atmosd.daemon.files.DaemonPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code atmos.d/} and {@code .atmos.d/} beside atmos.yaml are imported without being listed, beneath the file and its
 * {@code import:} list, in atmos's file order. Followed: cloudposse/atmos pkg/config/load.go (mergeDefaultImports,
 * loadAtmosDFromDirectory, processConfigImportsAndReapply) and pkg/config/utils.go (SearchAtmosConfig).
 */
class AtmosDirectoryImportsTest {
  @TempDir Path dir;

  private final DaemonPaths paths() {
    return new DaemonPaths(dir.resolve("cache"), dir.resolve("state"));
  }

  private ConfigLoader loader() {
    return new ConfigLoader(paths(), Map.of());
  }

  private Path write(String name, String yaml) throws IOException {
    return ConfigTestFiles.write(dir, name, yaml);
  }

  private static final String PROVIDER = ConfigTestFiles.SSO_PROVIDER;

  private static String permissionSet(AtmosConfig config, String identity) {
    return config.identity(identity).principal().permissionSetName();
  }

  @Test
  void aDotAtmosDFileAddsToTheConfigAndTheMainFileWinsOverIt() throws IOException {
    Path config = write("atmos.yaml", PROVIDER + """
          identities:
            shared:
              kind: aws/permission-set
              via: {provider: sso}
              principal: {name: FromMain, account: {id: "111111111111"}}
        """);
    write(".atmos.d/identities.yaml", permissionSetIdentity("extra", "FromAtmosD") + """
            shared:
              kind: aws/permission-set
              via: {provider: sso}
              principal: {name: FromAtmosD, account: {id: "111111111111"}}
        """);

    AtmosConfig loaded = loader().load(config, Map.of());

    assertThat(permissionSet(loaded, "extra")).isEqualTo("FromAtmosD");
    assertThat(permissionSet(loaded, "shared")).isEqualTo("FromMain");
    assertThat(loaded.importedFiles()).contains(dir.resolve(".atmos.d/identities.yaml"));
  }

  @Test
  void anExplicitImportWinsOverDotAtmosD() throws IOException {
    Path config = write("atmos.yaml", PROVIDER + "import: [listed.yaml]\n");
    write("listed.yaml", permissionSetIdentity("x", "FromImport"));
    write(".atmos.d/x.yaml", permissionSetIdentity("x", "FromAtmosD"));

    assertThat(permissionSet(loader().load(config, Map.of()), "x")).isEqualTo("FromImport");
  }

  @Test
  void atmosDComesBeforeDotAtmosDAndFilesGoShallowFirstThenByPath() throws IOException {
    Path config = write("atmos.yaml", PROVIDER);
    write("atmos.d/a.yaml", permissionSetIdentity("dirs", "AtmosD"));
    write(".atmos.d/a.yaml", permissionSetIdentity("dirs", "DotAtmosD"));
    // A deeper file merges after every shallower one, whatever the names.
    write(".atmos.d/z-top.yaml", permissionSetIdentity("depth", "Top"));
    write(".atmos.d/a-sub/deep.yaml", permissionSetIdentity("depth", "Deep"));
    // Same depth: by path.
    write(".atmos.d/m.yaml", permissionSetIdentity("names", "M"));
    write(".atmos.d/n.yaml", permissionSetIdentity("names", "N"));

    AtmosConfig loaded = loader().load(config, Map.of());

    assertThat(permissionSet(loaded, "dirs")).isEqualTo("DotAtmosD");
    assertThat(permissionSet(loaded, "depth")).isEqualTo("Deep");
    assertThat(permissionSet(loaded, "names")).isEqualTo("N");
  }

  @Test
  void aDotYamlFileHidesTheDotYmlFileOfTheSameName() throws IOException {
    Path config = write("atmos.yaml", PROVIDER);
    write(".atmos.d/id.yml", permissionSetIdentity("only-yml", "Yml") + """
            both:
              kind: aws/permission-set
              via: {provider: sso}
              principal: {name: Yml, account: {id: "111111111111"}}
        """);
    write(".atmos.d/id.yaml", permissionSetIdentity("both", "Yaml"));

    AtmosConfig loaded = loader().load(config, Map.of());

    assertThat(permissionSet(loaded, "both")).isEqualTo("Yaml");
    assertThat(loaded.identities()).doesNotContainKey("only-yml");
  }

  @Test
  void theGitRootsDotAtmosDMergesBeneathTheConfigDirectorysOwn() throws IOException {
    Files.createDirectories(dir.resolve(".git"));
    write(".atmos.d/root.yaml", permissionSetIdentity("from-root", "Root") + """
            both:
              kind: aws/permission-set
              via: {provider: sso}
              principal: {name: Root, account: {id: "111111111111"}}
        """);
    Path config = write("project/atmos.yaml", PROVIDER);
    write("project/.atmos.d/own.yaml", permissionSetIdentity("both", "Project"));
    ConfigRequest request = new ConfigRequest(List.of(new ConfigRequest.Source(config, true)), List.of(),
        dir.resolve("project/sub"));

    AtmosConfig loaded = loader().load(request, Map.of(), Map.of());

    assertThat(permissionSet(loaded, "from-root")).isEqualTo("Root");
    assertThat(permissionSet(loaded, "both")).isEqualTo("Project");
  }

  @Test
  void aDotAtmosDFileThatDoesNotParseIsAWarningNamingItsLineAndTheFilesAfterItAreSkipped() throws IOException {
    Path config = write("atmos.yaml", PROVIDER);
    write(".atmos.d/a-good.yaml", permissionSetIdentity("before", "Good"));
    Path bad = write(".atmos.d/b-bad.yaml", "auth:\n  identities:\n    x: [unclosed\n");
    write(".atmos.d/c-after.yaml", permissionSetIdentity("after", "Skipped"));

    AtmosConfig loaded = loader().load(config, Map.of());

    assertThat(loaded.identities()).containsKey("before").doesNotContainKey("after");
    assertThat(loaded.warnings()).anySatisfy(warning -> assertThat(warning)
        .startsWith(bad + ":").contains("invalid YAML").contains("fix the syntax").doesNotContain("\n"));
  }

  @Test
  void aDotAtmosDThatCannotBeListedIsAWarningAndTheConfigStillLoads() throws IOException {
    Path config = write("atmos.yaml", PROVIDER + permissionSetIdentity("main", "Main").replace("auth:\n", ""));
    write(".atmos.d/locked/x.yaml", permissionSetIdentity("hidden", "Hidden"));
    Path locked = dir.resolve(".atmos.d/locked");
    Files.setPosixFilePermissions(locked, java.nio.file.attribute.PosixFilePermissions.fromString("---------"));
    try {
      org.junit.jupiter.api.Assumptions.assumeFalse(Files.isReadable(locked), "running as root: nothing is unreadable");
      AtmosConfig loaded = loader().load(config, Map.of());

      assertThat(loaded.identities()).containsKey("main").doesNotContainKey("hidden");
      assertThat(loaded.warnings()).anySatisfy(warning -> assertThat(warning).contains("cannot list")
          .contains(dir.resolve(".atmos.d").toString()));
    } finally {
      Files.setPosixFilePermissions(locked, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    }
  }

  @Test
  void aFileNamedByConfigIsReadWithoutTheDotAtmosDBesideIt() throws IOException {
    Path config = write("atmos.yaml", PROVIDER);
    write(".atmos.d/x.yaml", permissionSetIdentity("x", "FromAtmosD"));
    ConfigRequest explicitFile = new ConfigRequest(List.of(new ConfigRequest.Source(config, false)), List.of(), null);

    assertThat(loader().load(explicitFile, Map.of(), Map.of()).identities()).doesNotContainKey("x");
  }

  @Test
  void aProviderDeclaredOnlyInDotAtmosDGetsItsProvisionedIdentities() throws IOException {
    Path config = write("atmos.yaml", "auth: {}\n");
    write(".atmos.d/provider.yaml", PROVIDER);
    Path provisioned = paths().provisionedIdentitiesFile("sso");
    Files.createDirectories(provisioned.getParent());
    Files.writeString(provisioned, permissionSetIdentity("dev/Admin", "Admin").replace("dev/Admin:", "\"dev/Admin\":"));

    assertThat(loader().load(config, Map.of()).identities()).containsKey("dev/Admin");
  }

  @Test
  void aFileAddedToDotAtmosDIsSeenByTheNextLoad() throws Exception {
    ConfigLoader loader = loader();
    Path config = write("atmos.yaml", PROVIDER);
    write(".atmos.d/first.yaml", permissionSetIdentity("first", "One"));
    age(config, dir.resolve(".atmos.d/first.yaml"), dir.resolve(".atmos.d"), dir.resolve("atmos.d"));
    AtmosConfig first = loader.load(config, Map.of());
    assertThat(loader.load(config, Map.of())).isSameAs(first);

    write(".atmos.d/second.yaml", permissionSetIdentity("second", "Two"));
    age(dir.resolve(".atmos.d/second.yaml"));
    // the directory's own time moved on with the new entry; age it again to a different old time
    Files.setLastModifiedTime(dir.resolve(".atmos.d"), FileTime.from(Instant.now().minusSeconds(30)));

    assertThat(loader.load(config, Map.of()).identities()).containsKeys("first", "second");
  }

  @Test
  void clientsAnywhereInOneRepositoryShareTheLoadedConfigAndAnotherRepositoryGetsItsOwn() throws Exception {
    ConfigLoader loader = loader();
    Files.createDirectories(dir.resolve("repo/.git"));
    Files.createDirectories(dir.resolve("repo/a"));
    Files.createDirectories(dir.resolve("repo/b"));
    Files.createDirectories(dir.resolve("other"));
    Path config = write("config/atmos.yaml", PROVIDER);
    write("repo/.atmos.d/x.yaml", permissionSetIdentity("from-repo", "Repo"));
    try (var all = Files.walk(dir)) {
      for (Path path : all.toList()) {
        Files.setLastModifiedTime(path, FileTime.from(Instant.now().minusSeconds(60)));
      }
    }
    List<ConfigRequest.Source> sources = List.of(new ConfigRequest.Source(config, true));

    AtmosConfig fromA = loader.load(new ConfigRequest(sources, List.of(), dir.resolve("repo/a")), Map.of(), Map.of());
    AtmosConfig fromB = loader.load(new ConfigRequest(sources, List.of(), dir.resolve("repo/b")), Map.of(), Map.of());
    AtmosConfig outside = loader.load(new ConfigRequest(sources, List.of(), dir.resolve("other")), Map.of(), Map.of());

    assertThat(fromA.identities()).containsKey("from-repo");
    assertThat(fromB).isSameAs(fromA);
    assertThat(outside.identities()).doesNotContainKey("from-repo");
  }

  /**
   * An {@code import:} list inside a {@code .atmos.d/} or {@code atmos.d/} file. Followed: cloudposse/atmos
   * pkg/config/load.go processConfigImportsAndReapply — the {@code .atmos.d} files merge (mergeDefaultImports, each
   * file through mergeConfigFile, which follows no imports of its own), the atmos.yaml merges over them, and
   * mergeImports then follows the {@code import} list of that merged document. Viper replaces a list rather than
   * concatenating it, so the list is the atmos.yaml's when it has an {@code import} key, else the last {@code
   * .atmos.d} file's; its entries resolve against the import base path (the atmos.yaml's directory by default:
   * imports.go processConfigImports, adapters/local_adapter.go), and what it names merges over every {@code .atmos.d}
   * file and beneath the atmos.yaml, which is re-applied last. An entry found nowhere is skipped there (processImports
   * logs it at debug level).
   */
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

    AtmosConfig loaded = loader().load(config, Map.of());

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

    AtmosConfig withList = loader().load(write("atmos.yaml", PROVIDER + "import: [listed.yaml]\n"), Map.of());
    assertThat(withList.identities()).containsOnlyKeys("listed");

    AtmosConfig withEmptyList = loader().load(write("atmos.yaml", PROVIDER + "import: []\n"), Map.of());
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

    AtmosConfig loaded = loader().load(config, Map.of());

    assertThat(loaded.identities()).containsOnlyKeys("team");
    assertThat(permissionSet(loaded, "team")).isEqualTo("Two");
  }

  @Test
  void aCycleThroughTheDotAtmosDFileOrTheAtmosYamlEndsAndEachFileMergesOnce() throws IOException {
    Path config = write("atmos.yaml", PROVIDER);
    Path declaring = write(".atmos.d/team.yaml", "import: [loop.yaml]\n" + permissionSetIdentity("x", "FromAtmosD"));
    Path loop = write("loop.yaml", "import: [.atmos.d/team.yaml, atmos.yaml, loop.yaml]\n"
        + permissionSetIdentity("x", "FromLoop"));

    AtmosConfig loaded = loader().load(config, Map.of());

    assertThat(permissionSet(loaded, "x")).isEqualTo("FromLoop");
    assertThat(loaded.importedFiles()).containsExactly(declaring, loop);
  }

  @Test
  void anEntryFoundNowhereIsOneWarningNamingTheDotAtmosDFileAndTheRestStillLoads() throws IOException {
    Path config = write("atmos.yaml", PROVIDER);
    Path declaring = write(".atmos.d/team.yaml", "import: [gone.yaml, here.yaml]\n");
    write("here.yaml", permissionSetIdentity("here", "Here"));

    AtmosConfig loaded = loader().load(config, Map.of());

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
    age(config, dir.resolve(".atmos.d"), dir.resolve(".atmos.d/team.yaml"), extra, dir.resolve("atmos.d"));
    ConfigLoader loader = loader();
    AtmosConfig first = loader.load(config, Map.of());
    assertThat(loader.load(config, Map.of())).isSameAs(first);

    Files.writeString(extra, permissionSetIdentity("x", "AfterEdit"));
    Files.setLastModifiedTime(extra, FileTime.from(Instant.now().minusSeconds(30)));

    assertThat(permissionSet(loader.load(config, Map.of()), "x")).isEqualTo("AfterEdit");
  }

  private static void age(Path... paths) throws IOException {
    for (Path path : paths) {
      if (Files.exists(path)) {
        Files.setLastModifiedTime(path, FileTime.from(Instant.now().minusSeconds(60)));
      }
    }
  }
}
