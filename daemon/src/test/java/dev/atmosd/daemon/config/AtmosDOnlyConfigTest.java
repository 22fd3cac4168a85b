package dev.atmosd.daemon.config;

import static dev.atmosd.daemon.config.ConfigTestFiles.permissionSetIdentity;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atmosd.daemon.files.DaemonPaths;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No atmos.yaml anywhere: the git root's {@code atmos.d/} and {@code .atmos.d/} are the config. Followed:
 * cloudposse/atmos pkg/config/load.go LoadConfig, the branch for {@code v.ConfigFileUsed() == ""}: the built-in
 * defaults, then mergeDefaultImports(gitRoot) straight into the config — each file through mergeConfigFile, so no
 * {@code import:} list is followed and no provisioned identities are injected (only mergeImports does either); the
 * CLI config path stays empty, so profiles are looked for relative to the working directory (profiles.go
 * discoverProfileLocations joins its locations to that empty path).
 */
class AtmosDOnlyConfigTest {
  @TempDir Path dir;

  private Path write(String name, String yaml) throws IOException {
    return ConfigTestFiles.write(dir, name, yaml);
  }

  private static final String PROVIDER = ConfigTestFiles.SSO_PROVIDER + "      auto_provision_identities: true\n";

  private DaemonPaths paths() {
    return new DaemonPaths(dir.resolve("cache"), dir.resolve("state"));
  }

  private AtmosConfig load(Path workingDirectory, String... profiles) {
    ConfigRequest request = new ConfigRequest(List.of(ConfigRequest.Source.atmosDOnly(dir.resolve("repo"))),
        List.of(profiles), workingDirectory);
    return new ConfigLoader(paths(), Map.of()).load(request, Map.of(), Map.of("HOME", dir.resolve("home").toString()));
  }

  @Test
  void atmosDThenDotAtmosDAreTheConfigAndTheGitRootNamesIt() throws IOException {
    write("repo/atmos.d/provider.yaml", PROVIDER);
    write("repo/.atmos.d/team.yaml", permissionSetIdentity("dev", "FromDotAtmosD"));
    write("repo/atmos.d/team.yaml", permissionSetIdentity("dev", "FromAtmosD"));

    AtmosConfig loaded = load(dir.resolve("repo"));

    assertThat(loaded.source()).isEqualTo(dir.resolve("repo"));
    assertThat(loaded.provider("sso").region()).isEqualTo("us-east-1");
    assertThat(loaded.identity("dev").principal().permissionSetName()).isEqualTo("FromDotAtmosD");
  }

  @Test
  void neitherAnImportListNorProvisionedIdentitiesAreMergedAsInGo() throws IOException {
    write("repo/.atmos.d/provider.yaml", "import: [extra.yaml]\n" + PROVIDER);
    write("repo/extra.yaml", permissionSetIdentity("extra", "Extra"));
    ConfigTestFiles.write(paths().provisionedIdentitiesFile("sso").getParent(), "provisioned-identities.yaml",
        permissionSetIdentity("dev-account/Admin", "Admin"));

    AtmosConfig loaded = load(dir.resolve("repo"));

    assertThat(loaded.identities()).isEmpty();
    assertThat(loaded.importedFiles()).containsExactly(dir.resolve("repo/.atmos.d/provider.yaml"));
  }

  @Test
  void profilesAreLookedForRelativeToTheWorkingDirectory() throws IOException {
    write("repo/.atmos.d/provider.yaml", PROVIDER);
    write("repo/sub/profiles/ci/auth.yaml", permissionSetIdentity("ci", "FromSub"));
    write("repo/profiles/ci/auth.yaml", permissionSetIdentity("ci", "FromRoot"));

    assertThat(load(dir.resolve("repo/sub"), "ci").identity("ci").principal().permissionSetName()).isEqualTo("FromSub");
    assertThat(load(dir.resolve("repo"), "ci").identity("ci").principal().permissionSetName()).isEqualTo("FromRoot");
    assertThatThrownBy(() -> load(dir.resolve("repo/other"), "ci"))
        .hasMessageContaining(dir.resolve("repo/other/profiles/ci").toString());
  }
}
