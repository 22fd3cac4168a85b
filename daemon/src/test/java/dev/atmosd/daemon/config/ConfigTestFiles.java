package dev.atmosd.daemon.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Config files the config tests write into their temp dirs, and the identity snippet several of them merge. */
final class ConfigTestFiles {
  private ConfigTestFiles() {}

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
