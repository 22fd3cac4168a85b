package dev.atmosd.daemon.config;

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
 * Profiles ({@code --profile}, {@code ATMOS_PROFILE}, {@code profiles.default}) merge over the base config. Followed:
 * cloudposse/atmos pkg/config/profiles.go (discoverProfileLocations, findProfileDirectory, loadProfiles) and
 * pkg/config/load.go LoadConfig (profile precedence, profiles.default).
 */
class ConfigProfilesTest {
  @TempDir Path dir;

  private ConfigLoader loader = ConfigTestFiles.loaderWithoutProvisionedFiles();

  private Path write(String name, String yaml) throws IOException {
    return ConfigTestFiles.write(dir, name, yaml);
  }

  private static final String BASE = ConfigTestFiles.SSO_PROVIDER + """
        identities:
          admin:
            kind: aws/permission-set
            via: {provider: sso}
            principal: {name: FromBase, account: {id: "111111111111"}}
      """;

  private static String admin(String permissionSet) {
    return """
        auth:
          identities:
            admin:
              principal: {name: %s}
        """.formatted(permissionSet);
  }

  private AtmosConfig load(Path config, String... profiles) {
    return load(config, Map.of("HOME", dir.resolve("home").toString()), profiles);
  }

  private AtmosConfig load(Path config, Map<String, String> env, String... profiles) {
    ConfigRequest request = new ConfigRequest(List.of(new ConfigRequest.Source(config, true)), List.of(profiles), null);
    return loader.load(request, Map.of(), env);
  }

  private static String permissionSet(AtmosConfig config) {
    return config.identity("admin").principal().permissionSetName();
  }

  @Test
  void aProfileMergesOverTheBaseConfigKeepingWhatItDoesNotSet() throws IOException {
    Path config = write("atmos.yaml", BASE);
    write("profiles/ci/auth.yaml", admin("FromProfile"));

    AtmosConfig loaded = load(config, "ci");

    assertThat(permissionSet(loaded)).isEqualTo("FromProfile");
    assertThat(loaded.identity("admin").principal().accountId()).isEqualTo("111111111111");
    assertThat(permissionSet(load(config))).isEqualTo("FromBase");
  }

  @Test
  void severalProfilesMergeLeftToRight() throws IOException {
    Path config = write("atmos.yaml", BASE);
    write("profiles/one/a.yaml", admin("One"));
    write("profiles/two/a.yaml", admin("Two"));

    assertThat(permissionSet(load(config, "one", "two"))).isEqualTo("Two");
    assertThat(permissionSet(load(config, "two", "one"))).isEqualTo("One");
  }

  @Test
  void theFirstLocationHoldingTheProfileWinsInAtmossOrder() throws IOException {
    Path config = write("atmos.yaml", BASE + "profiles:\n  base_path: custom\n");
    Path xdg = dir.resolve("xdg");
    Map<String, String> env = Map.of("XDG_CONFIG_HOME", xdg.toString());
    write("profiles/p/a.yaml", admin("Project"));
    assertThat(permissionSet(load(config, env, "p"))).isEqualTo("Project");

    write("xdg/atmos/profiles/p/a.yaml", admin("Xdg"));
    assertThat(permissionSet(load(config, env, "p"))).isEqualTo("Xdg");

    write(".atmos/profiles/p/a.yaml", admin("ProjectHidden"));
    assertThat(permissionSet(load(config, env, "p"))).isEqualTo("ProjectHidden");

    write("custom/p/a.yaml", admin("BasePath"));
    assertThat(permissionSet(load(config, env, "p"))).isEqualTo("BasePath");
  }

  @Test
  void aProfileFilesImportsMergeBeneathIt() throws IOException {
    Path config = write("atmos.yaml", BASE);
    write("profiles/ci/auth.yaml", "import: [../shared/ci-extra]\n" + admin("FromProfileFile"));
    write("profiles/shared/ci-extra.yaml", admin("FromImport") + """
            extra:
              kind: aws/permission-set
              via: {provider: sso}
              principal: {name: Extra, account: {id: "111111111111"}}
        """);

    AtmosConfig loaded = load(config, "ci");

    assertThat(permissionSet(loaded)).isEqualTo("FromProfileFile");
    assertThat(loaded.identity("extra").principal().permissionSetName()).isEqualTo("Extra");
  }

  @Test
  void profilesDefaultAppliesOnlyWhenNoProfileIsAskedFor() throws IOException {
    Path config = write("atmos.yaml", BASE + "profiles:\n  default: dev\n");
    write("profiles/dev/a.yaml", admin("Dev"));
    write("profiles/prod/a.yaml", admin("Prod"));

    assertThat(permissionSet(load(config))).isEqualTo("Dev");
    assertThat(permissionSet(load(config, "prod"))).isEqualTo("Prod");
  }

  /**
   * Go: pkg/config/profiles.go loadProfiles builds ErrProfileNotFound ("profile not found") with "Profile `x` does not
   * exist in any configured location" and "Available profiles are: `a, b`" (sorted, from every location), exit code 2.
   */
  @Test
  void aProfileFoundNowhereIsOneLineInAtmossWordsNamingWhereItWasLookedForAndWhatExists() throws IOException {
    Path config = write("atmos.yaml", BASE);
    write("profiles/prod/a.yaml", admin("Prod"));
    write(".atmos/profiles/dev/a.yaml", admin("Dev"));

    assertThatThrownBy(() -> load(config, "stage"))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.isNotFound()).isTrue())
        .hasMessageStartingWith("profile not found: Profile `stage` (--profile or ATMOS_PROFILE) does not exist in any"
            + " configured location")
        .hasMessageContaining(dir.resolve("profiles/stage").toString())
        .hasMessageContaining("Available profiles are: `dev, prod`")
        .hasMessageContaining("check the spelling of the profile name")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  void noProfileAnywhereListsNoneAsAtmosDoes() throws IOException {
    Path config = write("atmos.yaml", BASE);

    assertThatThrownBy(() -> load(config, "nope")).hasMessageContaining("Available profiles are: ``");
  }

  @Test
  void aMissingProfileLeavesTheConfigLoadedBeforeItAsItWas() throws Exception {
    Path config = write("atmos.yaml", BASE);
    write("profiles/ci/a.yaml", admin("Ci"));
    ageEverything();
    AtmosConfig loaded = load(config, "ci");

    assertThatThrownBy(() -> load(config, "nope")).isInstanceOf(ConfigException.class);

    assertThat(load(config, "ci")).isSameAs(loaded);
    assertThat(dir.resolve("profiles/nope")).doesNotExist();
  }

  @Test
  void aMissingProfilesDefaultNamesTheFileThatAsksForIt() throws IOException {
    Path config = write("atmos.yaml", BASE + "profiles:\n  default: gone\n");

    assertThatThrownBy(() -> load(config))
        .hasMessageStartingWith("profile not found: Profile `gone` (profiles.default in " + config + ")");
  }

  @Test
  void aProfileFileThatDoesNotParseFailsTheConfigNamingFileLineAndProfile() throws IOException {
    Path config = write("atmos.yaml", BASE);
    Path bad = write("profiles/ci/bad.yaml", "auth:\n  identities: [unclosed\n");

    assertThatThrownBy(() -> load(config, "ci"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(bad + ":")
        .hasMessageContaining("invalid YAML")
        .hasMessageEndingWith("(in profile \"ci\")");
  }

  @Test
  void aLoadedConfigIsReusedPerProfileListAndAFileAddedToTheProfileIsSeen() throws Exception {
    Path config = write("atmos.yaml", BASE);
    write("profiles/ci/a.yaml", admin("Ci"));
    ageEverything();
    AtmosConfig withCi = load(config, "ci");
    assertThat(load(config, "ci")).isSameAs(withCi);
    assertThat(permissionSet(load(config))).isEqualTo("FromBase");

    write("profiles/ci/b.yaml", admin("CiSecond"));
    Files.setLastModifiedTime(dir.resolve("profiles/ci/b.yaml"), FileTime.from(Instant.now().minusSeconds(30)));
    Files.setLastModifiedTime(dir.resolve("profiles/ci"), FileTime.from(Instant.now().minusSeconds(30)));

    assertThat(permissionSet(load(config, "ci"))).isEqualTo("CiSecond");
  }

  private void ageEverything() throws IOException {
    try (var all = Files.walk(dir)) {
      for (Path path : all.toList()) {
        Files.setLastModifiedTime(path, FileTime.from(Instant.now().minusSeconds(60)));
      }
    }
  }
}
