package dev.atmosd.daemon.config;

import static dev.atmosd.daemon.config.ConfigTestFiles.permissionSetIdentity;
import static org.assertj.core.api.Assertions.assertThat;

import dev.atmosd.daemon.files.DaemonPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several atmos.yaml files found (home, working directory, ATMOS_CLI_CONFIG_PATH, --config...) deep-merge in the
 * order the client sent them, each with its own .atmos.d and imports beneath it. Followed: cloudposse/atmos
 * pkg/config/load.go (loadConfigSources: "Viper merges configs, so later sources override earlier ones"; mergeConfig).
 */
class ConfigSourcesTest {
  @TempDir Path dir;

  private Path write(String name, String yaml) throws IOException {
    return ConfigTestFiles.write(dir, name, yaml);
  }

  @Test
  void laterFilesMergeOverEarlierOnesAndEachKeepsItsOwnDotAtmosDBeneathIt() throws IOException {
    Path home = write("home/.atmos/atmos.yaml", ConfigTestFiles.SSO_PROVIDER + """
          identities:
            from-home:
              kind: aws/permission-set
              via: {provider: sso}
              principal: {name: Home, account: {id: "111111111111"}}
            shared:
              kind: aws/permission-set
              via: {provider: sso}
              principal: {name: Home, account: {id: "111111111111"}}
        """);
    Path project = write("project/atmos.yaml", permissionSetIdentity("shared", "Project"));
    // The project's .atmos.d sits beneath the project file but over the home file.
    write("project/.atmos.d/x.yaml", permissionSetIdentity("from-home", "ProjectAtmosD"));

    ConfigRequest request = new ConfigRequest(List.of(new ConfigRequest.Source(home, true),
        new ConfigRequest.Source(project, true)), List.of(), null);
    AtmosConfig loaded = new ConfigLoader(new DaemonPaths(dir.resolve("cache"), dir.resolve("state")), Map.of())
        .load(request, Map.of(), Map.of());

    assertThat(loaded.identity("shared").principal().permissionSetName()).isEqualTo("Project");
    assertThat(loaded.identity("from-home").principal().permissionSetName()).isEqualTo("ProjectAtmosD");
    assertThat(loaded.provider("sso").startUrl()).hasToString("https://d-1.awsapps.com/start");
    assertThat(loaded.source()).isEqualTo(project);
  }

  @Test
  void aProvisionedFileMergesOnceBeneathTheFirstFileNamingItsProvider() throws IOException {
    String provider = ConfigTestFiles.SSO_PROVIDER;
    Path home = write("home/atmos.yaml", provider + """
          identities:
            "dev/Admin":
              principal: {name: EditedInHome}
        """);
    Path project = write("project/atmos.yaml", provider);
    DaemonPaths paths = new DaemonPaths(dir.resolve("cache"), dir.resolve("state"));
    Path provisioned = paths.provisionedIdentitiesFile("sso");
    Files.createDirectories(provisioned.getParent());
    Files.writeString(provisioned, permissionSetIdentity("\"dev/Admin\"", "Admin"));

    ConfigRequest request = new ConfigRequest(List.of(new ConfigRequest.Source(home, true),
        new ConfigRequest.Source(project, true)), List.of(), null);
    AtmosConfig loaded = new ConfigLoader(paths, Map.of()).load(request, Map.of(), Map.of());

    // Merged again beneath the project file, the provisioned file would undo the home file's edit.
    assertThat(loaded.identity("dev/Admin").principal().permissionSetName()).isEqualTo("EditedInHome");
  }
}
