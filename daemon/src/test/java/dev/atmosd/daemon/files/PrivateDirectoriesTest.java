package dev.atmosd.daemon.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every directory the daemon writes into is the user's and 0700, and the log is never written through a link (issue
 * 11, item 3): real directories under a temp dir, laid out as {@link DaemonPaths} lays out the cache and state.
 */
class PrivateDirectoriesTest {
  @TempDir Path temp;

  private DaemonPaths paths() {
    return DaemonPaths.fromEnvironment(Map.of("XDG_CACHE_HOME", temp.resolve("cache").toString(),
        "XDG_STATE_HOME", temp.resolve("state").toString()));
  }

  private static String mode(Path path) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
  }

  @Test
  void aLoosePreExistingCacheDirectoryOfOursIsTightenedOnTheNextWrite() throws Exception {
    Path sessions = Files.createDirectories(paths().sessionsDir());
    for (Path dir : new Path[] {temp.resolve("cache"), sessions.getParent().getParent(), sessions.getParent(), sessions}) {
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
    }

    PrivateFiles.writeAtomically(paths().sessionFile("abc"), "{}".getBytes(StandardCharsets.UTF_8));

    assertThat(mode(temp.resolve("cache/atmos"))).isEqualTo("rwx------");
    assertThat(mode(temp.resolve("cache/atmos/aws-sso"))).isEqualTo("rwx------");
    assertThat(mode(sessions)).isEqualTo("rwx------");
    assertThat(mode(temp.resolve("cache"))).as("XDG_CACHE_HOME itself is not ours to change").isEqualTo("rwxrwxrwx");
    assertThat(mode(paths().sessionFile("abc"))).isEqualTo("rw-------");
  }

  @Test
  void aDirectoryOfAnotherUserIsRefusedAndNothingIsWrittenThere() throws Exception {
    assumeTrue(new com.sun.security.auth.module.UnixSystem().getUid() == 0,
        "runs as root: it hands the directory to uid 65534");
    Path provider = Files.createDirectories(paths().provisionedIdentitiesFile("sso").getParent());
    Files.setOwner(provider, provider.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("65534"));

    assertThatThrownBy(() -> PrivateFiles.writeAtomically(paths().provisionedIdentitiesFile("sso"), new byte[] {1}))
        .isInstanceOf(PrivateFiles.ForeignDirectoryException.class)
        .hasMessageStartingWith(provider + " belongs to ")
        .hasMessageContaining("not to you (uid 0)");
    try (var files = Files.list(provider)) {
      assertThat(files).as("nothing written into someone else's directory").isEmpty();
    }
  }

  @Test
  void aSymlinkedLogFileIsRefusedAndItsTargetLeftAlone() throws Exception {
    Path elsewhere = Files.writeString(temp.resolve("victim.txt"), "keep");
    Files.setPosixFilePermissions(elsewhere, PosixFilePermissions.fromString("rw-r--r--"));
    Path log = paths().logFile();
    Files.createDirectories(log.getParent());
    Files.createSymbolicLink(log, elsewhere);

    assertThatThrownBy(() -> PrivateFiles.prepareAppendFile(log))
        .isInstanceOf(PrivateFiles.ForeignDirectoryException.class)
        .hasMessage(log + " is a symbolic link: remove it (atmosd does not write through links)");
    assertThat(mode(elsewhere)).as("the link's target is not chmodded").isEqualTo("rw-r--r--");
    assertThat(Files.readString(elsewhere)).isEqualTo("keep");
  }

  @Test
  void theLogFileIsCreatedOwnerOnlyInATightenedDirectory() throws Exception {
    Path log = paths().logFile();
    Files.createDirectories(log.getParent(), PosixFilePermissions.asFileAttribute(
        PosixFilePermissions.fromString("rwxrwxrwx")));
    Files.setPosixFilePermissions(log.getParent(), PosixFilePermissions.fromString("rwxrwxrwx"));

    PrivateFiles.prepareAppendFile(log);

    assertThat(mode(log)).isEqualTo("rw-------");
    assertThat(mode(log.getParent())).isEqualTo("rwx------");
  }

  @Test
  void aChosenDirectoryOutsideOursIsLeftAsItIsUnlessOthersMayWriteIt() throws Exception {
    Path logs = Files.createDirectory(temp.resolve("logs"));
    Files.setPosixFilePermissions(logs, PosixFilePermissions.fromString("rwxr-xr-x"));
    PrivateFiles.prepareAppendFile(logs.resolve("custom.log"));
    assertThat(mode(logs)).isEqualTo("rwxr-xr-x");

    Files.setPosixFilePermissions(logs, PosixFilePermissions.fromString("rwxrwxrwx"));
    assertThatThrownBy(() -> PrivateFiles.prepareAppendFile(logs.resolve("custom.log")))
        .hasMessageStartingWith(logs + " is writable by others (rwxrwxrwx)");
  }
}
