package dev.atmosd.it.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atmosd.v1.PingRequest;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The cache directory stops taking writes — a read-only file system, then a full one — under a running daemon. Root
 * ignores file modes, so the cache lives on a tiny tmpfs this test mounts (it is root): a remount read-only gives
 * EROFS, a filler file gives ENOSPC, for root too. The daemon must say so (a warning in its log) and keep serving
 * from memory; the file already on disk stays whole.
 */
class UnwritableCacheTest {

  @Test
  void aReadOnlyThenFullCacheDirectoryIsAWarningAndTheDaemonServesOn() throws Exception {
    try (Rig rig = Rig.create()) {
      Path mount = rig.cache; // XDG_CACHE_HOME itself
      assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=1m,mode=0700", "tmpfs", mount.toString()) == 0,
          "needs root with CAP_SYS_ADMIN to mount a tmpfs (a full / read-only file system that binds root too)");
      Rig.DaemonProcess daemon = null;
      try {
        daemon = rig.startProcess(Map.of());
        rig.awaitPing(Rig.CALL, daemon.process);
        try (Rig.Client client = rig.client()) {
          client.credentials(rig.context(), "dev-admin");
          JsonNode before = rig.sessionFile();

          // 1. read-only
          assertThat(run("mount", "-o", "remount,ro", mount.toString())).isZero();
          rig.emu.expireAccessTokens();
          assertThat(client.credentials(rig.context(), "dev-readonly").getAccessKeyId())
              .as("served from memory on a read-only cache").isNotEmpty();
          assertThat(rig.sessionFile().path("accessToken").asText()).as("the old file, whole")
              .isEqualTo(before.path("accessToken").asText());
          String log = Rig.read(rig.logFile());
          assertThat(log).as("a warning about the cache write in the daemon log:\n%s", Rig.tail(log, 20))
              .containsPattern("(WARN|ERROR).*(" + mount + "|session|cache)");

          // 2. full
          assertThat(run("mount", "-o", "remount,rw", mount.toString())).isZero();
          try (OutputStream filler = Files.newOutputStream(mount.resolve("filler"))) {
            byte[] block = new byte[4096];
            while (true) {
              filler.write(block);
            }
          } catch (IOException full) {
            // ENOSPC: the disk is full
          }
          int warningsBefore = countWarnings(Rig.read(rig.logFile()));
          rig.emu.expireAccessTokens();
          assertThat(client.credentials(rig.context(), "prod-admin").getAccessKeyId())
              .as("served from memory on a full disk").isNotEmpty();
          assertThat(client.credentials(rig.context(), "dev-deployer").getAccessKeyId()).isNotEmpty();
          rig.assertFilesIntact();
          assertThat(countWarnings(Rig.read(rig.logFile()))).as("a new warning for the full disk:\n%s",
              Rig.tail(Rig.read(rig.logFile()), 20)).isGreaterThan(warningsBefore);
          assertThat(client.daemon().withDeadlineAfter(30, TimeUnit.SECONDS).ping(PingRequest.getDefaultInstance())
              .getPid()).isEqualTo(daemon.pid());
          System.out.println("RELIABILITY unwritable cache: read-only and full tmpfs under the cache dir -> warning in"
              + " the log, credentials served from memory, old session file whole; log lines:\n"
              + Rig.read(rig.logFile()).lines().filter(l -> l.contains("WARN")).limit(6).reduce("", (a, b) -> a + b + "\n"));
        }
      } finally {
        if (daemon != null) {
          daemon.kill9();
        }
        run("umount", "-l", mount.toString());
      }
    }
  }

  static int countWarnings(String log) {
    return (int) log.lines().filter(l -> l.contains(" WARN ") || l.contains(" ERROR ")).count();
  }

  static int run(String... command) throws Exception {
    Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return -1;
    }
    if (p.exitValue() != 0) {
      System.out.println("[unwritable] " + String.join(" ", command) + ": " + out);
    }
    return p.exitValue();
  }
}
