package dev.atmosd.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The modes the CLI accepts for the socket's directory; another uid's directory is SquattedSocketTest (module it). */
class SocketTrustTest {
  @TempDir Path temp;

  @Test
  void atmosdsOwnDirectoryMustBeOwnerOnly() throws Exception {
    Path dir = Files.createDirectory(temp.resolve("atmosd"));
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    assertThat(SocketTrust.problemWith(dir.resolve("atmosd.sock"))).isNull();
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    assertThat(SocketTrust.problemWith(dir.resolve("atmosd.sock")))
        .startsWith("socket directory " + dir + " (owner uid ").contains("has mode rwxr-xr-x").contains("chmod 700");
  }

  @Test
  void aChosenDirectoryMayBeReadableButNotWritableByOthers() throws Exception {
    Path dir = Files.createDirectory(temp.resolve("sockets"));
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    assertThat(SocketTrust.problemWith(dir.resolve("atmosd.sock"))).isNull();
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
    assertThat(SocketTrust.problemWith(dir.resolve("atmosd.sock"))).contains("has mode rwxrwxrwx");
  }

  @Test
  void aSymlinkedDirectoryIsRefusedAndAMissingOneIsLeftToTheDaemon() throws Exception {
    Path real = Files.createDirectory(temp.resolve("elsewhere"));
    Path link = Files.createSymbolicLink(temp.resolve("atmosd"), real);
    assertThat(SocketTrust.problemWith(link.resolve("atmosd.sock"))).contains("is not a plain directory");
    assertThat(SocketTrust.problemWith(temp.resolve("missing").resolve("atmosd.sock"))).isNull();
  }
}
