package dev.atmosd.daemon.config;

import static dev.atmosd.daemon.config.ConfigTestFiles.permissionSetIdentity;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
 * What {@code base_path}, {@code --base-path} and {@code ATMOS_BASE_PATH} do to config loading: they are the base the
 * entries of an atmos.yaml's {@code import:} list (and a profile file's) resolve against. Followed: cloudposse/atmos
 * pkg/config/import_base_path_test.go (TestResolveImportBasePath: empty, {@code .}, {@code ./}, {@code ..} anchor to
 * the config directory, a bare path and a runtime path keep working-directory resolution, an absolute one is kept;
 * TestMergeImports_BareBasePathRetainsCWDResolution), import_base_path_runtime_test.go
 * (TestLoadConfig_RuntimeBasePathAnchorsImportsToCWD, TestMergeConfigFileWithImports_RuntimeBasePathOverrideAnchorsToCWD)
 * and docs/fixes "atmos.yaml imports resolve relative to the config directory". Everything else Go does with the base
 * path is about stacks and components, which atmosd does not read.
 */
class ImportBasePathTest {
  @TempDir Path dir;

  private final ConfigLoader loader = ConfigTestFiles.loaderWithoutProvisionedFiles();

  private static final String PROVIDER = ConfigTestFiles.SSO_PROVIDER;

  private Path write(String name, String yaml) throws IOException {
    return ConfigTestFiles.write(dir, name, yaml);
  }

  private AtmosConfig load(Path config, Path workingDirectory, Map<String, String> clientEnv, String... profiles) {
    ConfigRequest request = new ConfigRequest(List.of(new ConfigRequest.Source(config, true)), List.of(profiles),
        workingDirectory);
    return loader.load(request, clientEnv, Map.of("HOME", dir.resolve("home").toString()));
  }

  private static String permissionSet(AtmosConfig config) {
    return config.identity("x").principal().permissionSetName();
  }

  /** One {@code x.yaml} per place an import could be looked for, each naming itself. */
  private void candidates(String... directories) throws IOException {
    for (String directory : directories) {
      write(directory + "/x.yaml", permissionSetIdentity("x", directory.replace("/", "-")));
    }
  }

  @Test
  void noDotOrDotSlashBasePathKeepsImportsRelativeToTheAtmosYaml() throws IOException {
    candidates("project", "cwd", "project/conf");
    Path cwd = dir.resolve("cwd");
    for (String basePath : new String[] {"", "base_path: \"\"\n", "base_path: .\n", "base_path: ./\n"}) {
      Path config = write("project/atmos.yaml", PROVIDER + basePath + "import: [x.yaml]\n");
      assertThat(permissionSet(load(config, cwd, Map.of()))).as(basePath).isEqualTo("project");
    }
  }

  @Test
  void aDotRelativeBasePathIsRelativeToTheAtmosYamlAndABareOneToTheWorkingDirectory() throws IOException {
    candidates("project/conf", "cwd/conf", "conf");
    Path cwd = dir.resolve("cwd");

    Path dotRelative = write("project/atmos.yaml", PROVIDER + "base_path: ./conf\nimport: [x.yaml]\n");
    assertThat(permissionSet(load(dotRelative, cwd, Map.of()))).isEqualTo("project-conf");

    Path parent = write("project/atmos.yaml", PROVIDER + "base_path: ../conf\nimport: [x.yaml]\n");
    assertThat(permissionSet(load(parent, cwd, Map.of()))).isEqualTo("conf");

    Path bare = write("project/atmos.yaml", PROVIDER + "base_path: conf\nimport: [x.yaml]\n");
    assertThat(permissionSet(load(bare, cwd, Map.of()))).isEqualTo("cwd-conf");
    assertThat(permissionSet(load(bare, dir, Map.of()))).as("another directory, another base").isEqualTo("conf");

    Path absolute = write("project/atmos.yaml", PROVIDER + "base_path: " + dir.resolve("cwd/conf") + "\nimport: [x.yaml]\n");
    assertThat(permissionSet(load(absolute, dir, Map.of()))).isEqualTo("cwd-conf");
  }

  @Test
  void aRuntimeBasePathWinsOverBasePathAbsoluteOrRelativeToTheWorkingDirectory() throws IOException {
    candidates("project", "cwd", "elsewhere");
    Path cwd = dir.resolve("cwd");
    Path config = write("project/atmos.yaml", PROVIDER + "base_path: .\nimport: [x.yaml]\n");

    assertThat(permissionSet(load(config, cwd, Map.of("ATMOS_BASE_PATH", ".")))).isEqualTo("cwd");
    assertThat(permissionSet(load(config, cwd, Map.of("ATMOS_BASE_PATH", "../elsewhere")))).isEqualTo("elsewhere");
    assertThat(permissionSet(load(config, cwd, Map.of("ATMOS_BASE_PATH", dir.resolve("elsewhere").toString()))))
        .isEqualTo("elsewhere");
    assertThat(permissionSet(load(config, cwd, Map.of()))).isEqualTo("project");
  }

  @Test
  void aBasePathInDotAtmosDCountsWhenTheAtmosYamlHasNone() throws IOException {
    candidates("project", "project/conf");
    write("project/.atmos.d/paths.yaml", "base_path: ./conf\n");
    Path config = write("project/atmos.yaml", PROVIDER + "import: [x.yaml]\n");

    assertThat(permissionSet(load(config, dir, Map.of()))).isEqualTo("project-conf");
  }

  @Test
  void nestedImportsStayRelativeToTheFileThatNamesThem() throws IOException {
    candidates("cwd", "cwd/nested", "project/nested");
    write("cwd/outer.yaml", "import: [nested/x.yaml]\n");
    Path config = write("project/atmos.yaml", PROVIDER + "import: [outer.yaml]\n");

    assertThat(permissionSet(load(config, dir.resolve("cwd"), Map.of("ATMOS_BASE_PATH", "."))))
        .isEqualTo("cwd-nested");
  }

  @Test
  void aProfileFilesImportsFollowTheRuntimeBasePathToo() throws IOException {
    candidates("project/shared", "cwd/shared");
    write("project/profiles/ci/auth.yaml", "import: [../../shared/x.yaml]\n");
    Path config = write("project/atmos.yaml", PROVIDER);
    Path cwd = dir.resolve("cwd");

    assertThat(permissionSet(load(config, cwd, Map.of(), "ci"))).isEqualTo("project-shared");
    assertThat(permissionSet(load(config, cwd, Map.of("ATMOS_BASE_PATH", "a/b"), "ci"))).isEqualTo("cwd-shared");
  }

  @Test
  void anImportMissingUnderARuntimeBasePathIsAWarningNamingTheFileTheEntryAndTheBasePath() throws IOException {
    // Go skips an import it cannot resolve (pkg/config/imports.go processImports): the rest of the config loads.
    Path config = write("project/atmos.yaml", PROVIDER + "import: [x.yaml]\n");
    write("project/x.yaml", permissionSetIdentity("x", "Here"));

    AtmosConfig loaded = load(config, dir, Map.of("ATMOS_BASE_PATH", "nowhere"));

    assertThat(loaded.identities()).doesNotContainKey("x");
    assertThat(loaded.warnings()).containsExactly(config + ": import \"x.yaml\" not found ("
        + dir.resolve("nowhere/x.yaml") + ", relative to --base-path / ATMOS_BASE_PATH nowhere): fix the path or"
        + " remove it from import (atmos skips it)");
  }

  @Test
  void aConfigWhoseImportsDependOnTheWorkingDirectoryIsReusedOnlyFromThatDirectory() throws IOException {
    candidates("a/conf", "b/conf");
    Path config = write("project/atmos.yaml", PROVIDER + "base_path: conf\nimport: [x.yaml]\n");
    try (var all = Files.walk(dir)) {
      for (Path path : all.toList()) {
        Files.setLastModifiedTime(path, FileTime.from(Instant.now().minusSeconds(60)));
      }
    }
    AtmosConfig fromA = load(config, dir.resolve("a"), Map.of());
    assertThat(load(config, dir.resolve("a"), Map.of())).isSameAs(fromA);
    assertThat(permissionSet(load(config, dir.resolve("b"), Map.of()))).isEqualTo("b-conf");
    assertThat(permissionSet(load(config, dir.resolve("a"), Map.of()))).isEqualTo("a-conf");
  }
}
