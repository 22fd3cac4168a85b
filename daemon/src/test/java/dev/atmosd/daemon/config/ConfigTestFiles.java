package dev.atmosd.daemon.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Config files the config tests write into their temp dirs, the provider and identity snippets several of them merge,
 * and a loader for tests that need no provisioned-identities files.
 */
final class ConfigTestFiles {
  private ConfigTestFiles() {}

  /** An {@code auth.providers} section with the one IAM Identity Center provider {@code sso}. */
  static final String SSO_PROVIDER = """
      auth:
        providers:
          sso:
            kind: aws/iam-identity-center
            start_url: https://d-1.awsapps.com/start
            region: us-east-1
      """;

  /** A loader whose cache directory does not exist: no provider has provisioned identities. */
  static ConfigLoader loaderWithoutProvisionedFiles() {
    return new ConfigLoader(new dev.atmosd.daemon.files.DaemonPaths(Path.of("/nonexistent-cache"),
        Path.of("/nonexistent-state")), java.util.Map.of());
  }

  /** Writes {@code yaml} to {@code dir/name}, creating the directories on the way. */
  static Path write(Path dir, String name, String yaml) throws IOException {
    Path file = dir.resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, yaml);
    return file;
  }

  /** One permission-set identity on provider {@code sso}; the permission set tells which file won a merge. */
  static String permissionSetIdentity(String name, String permissionSet) {
    return """
        auth:
          identities:
            %s:
              kind: aws/permission-set
              via: {provider: sso}
              principal: {name: %s, account: {id: "111111111111"}}
        """.formatted(name, permissionSet);
  }
}
