package dev.atmosd.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.atmosd.daemon.rpc.StartupRefusedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The daemon's cache tree at start (issue 11, item 3): someone else's is a refusal, a loose one of ours is tightened. */
class AtmosdPrivateDirectoriesTest {
  private AtmosdTestSupport test;

  @BeforeEach
  void setUp() throws Exception {
    test = new AtmosdTestSupport();
  }

  @AfterEach
  void tearDown() throws Exception {
    test.close();
  }

  @Test
  void aCacheTreeOfAnotherUserIsRefusedAtStart() throws Exception {
    assumeTrue(new com.sun.security.auth.module.UnixSystem().getUid() == 0,
        "runs only as root: it hands the cache directory to uid 65534");
    Path foreign = Files.createDirectories(test.dir.resolve("cache/atmos"));
    Files.setOwner(foreign, foreign.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("65534"));
    assertThatThrownBy(() -> Atmosd.start(new Atmosd.Options(test.socket, "-", null), test.env, Clock.systemUTC(),
        Optional.empty()))
        .isInstanceOfSatisfying(StartupRefusedException.class, e -> assertThat(e.exitCode()).isEqualTo(2))
        .hasMessageStartingWith("cannot keep sessions in the cache: " + foreign + " belongs to ");
  }

  @Test
  void aLooseCacheTreeOfOursIsTightenedAtStart() throws Exception {
    Path ours = Files.createDirectories(test.dir.resolve("cache/atmos"));
    Files.setPosixFilePermissions(ours, PosixFilePermissions.fromString("rwxrwxrwx"));
    test.start();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(ours))).isEqualTo("rwx------");
  }
}
