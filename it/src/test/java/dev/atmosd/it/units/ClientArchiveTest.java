package dev.atmosd.it.units;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client's JDK 17 class-data archive for real: libexec/train-client.sh trains one in a copy of the packaged
 * distribution (against its own throwaway daemon and emulator), and bin/atmos in that copy then maps it. Such an
 * archive only works in the directory it was trained in, and used from anywhere else the JVM warns; the launcher
 * keeps any such warning off stdout, where credential_process expects only JSON.
 */
class ClientArchiveTest {

  static final Path JDK17 = Path.of("/usr/lib/jvm/java-17-openjdk-amd64");

  @TempDir
  Path tmp;

  Map<String, String> env() {
    Map<String, String> env = new HashMap<>();
    env.put("PATH", "/usr/bin:/bin");
    env.put("HOME", tmp.resolve("home").toString());
    env.put("ATMOS_JAVA_HOME", JDK17.toString());
    env.put("TMPDIR", tmp.resolve("t").toString());
    return env;
  }

  @Test
  void trainsAJdk17ArchiveInACopyOfTheDistributionAndTheLauncherMapsItThereOnly() throws IOException {
    assumeTrue(Files.isExecutable(JDK17.resolve("bin/java")) && Files.isReadable(JDK17.resolve("release")),
        "no JDK 17 at " + JDK17 + " (Debian: apt-get install openjdk-17-jdk-headless); skipping");
    Path copy = copyWithoutArchives(Shell.dist(), tmp.resolve("atmos-copy"));
    Files.createDirectories(tmp.resolve("home"));
    Files.createDirectories(tmp.resolve("t"));

    Shell.Result training = Shell.run(List.of("sh", copy.resolve("libexec/train-client.sh").toString(),
        copy.toString(), JDK17.toString()), env(), tmp);

    assertThat(training.exitCode()).as("%s", training).isZero();
    assertThat(training.stdout()).as("%s", training)
        .contains("[atmos aot] wrote lib/client.jsa", "7 of 7 training commands succeeded")
        .doesNotContain("did not come up");
    String version = Shell.read(JDK17.resolve("release")).lines().filter(l -> l.startsWith("JAVA_VERSION="))
        .findFirst().orElseThrow().replaceAll("JAVA_VERSION=\"?([^\"]*)\"?", "$1");
    assertThat(Shell.read(copy.resolve("lib/client.jsa.jdk")))
        .isEqualTo(JDK17.toRealPath() + "|" + version + "|" + copy.toRealPath() + "\n");
    assertThat(copy.resolve("lib/client.aot")).as("a JDK 17 training leaves the AOT cache alone").doesNotExist();
    try (Stream<Path> lib = Files.list(copy.resolve("lib"))) {
      assertThat(lib.map(p -> p.getFileName().toString())).as("no temp files left")
          .containsExactlyInAnyOrder("client", "daemon", "emulator", "client.jsa", "client.jsa.jdk");
    }
    try (Stream<Path> left = Files.list(tmp.resolve("t"))) {
      assertThat(left).as("its temp dir is gone").isEmpty();
    }
    String world = tmp.resolve("t").toString();
    assertThat(ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").contains(world))
        .map(p -> p.pid() + " " + p.info().commandLine().orElse(""))).as("its daemon and emulator are gone").isEmpty();
    assertThat(tmp.resolve("home")).as("the caller's HOME is left alone").isEmptyDirectory();

    // The launcher in the copy maps it, and the client's own classes come from it (these -Xlog options write to
    // stdout: ATMOS_CLIENT_JAVA_OPTS come after the launcher's).
    Map<String, String> env = env();
    env.put("ATMOS_CLIENT_JAVA_OPTS", "-Xlog:cds=info -Xlog:class+load=info");
    Shell.Result logged = atmos(copy, env);
    assertThat(logged.stdout()).as("%s", logged)
        .contains("Opened archive " + copy.toRealPath() + "/lib/client.jsa.", "Mapped dynamic region")
        .contains("dev.atmosd.cli.Atmos source: shared objects file (top)")
        .doesNotContain("Unable to use shared archive");
    assertThat(logged.stderr()).as("%s", logged).isEmpty();
    Shell.Result plain = atmos(copy, env());
    assertThat(plain.stdout()).as("%s", plain).matches("atmos \\S+\n");
    assertThat(plain.stderr()).as("%s", plain).isEmpty();

    // From another directory (the packaged distribution's) the archive cannot be used: the JVM's warning goes to
    // stderr, and stdout holds exactly what it holds without the archive.
    Path archive = copy.resolve("lib/client.jsa");
    env = env();
    env.put("ATMOS_CLIENT_JAVA_OPTS", "-XX:SharedArchiveFile=" + archive);
    Shell.Result elsewhere = atmos(Shell.dist(), env);
    assertThat(elsewhere.exitCode()).as("%s", elsewhere).isZero();
    assertThat(elsewhere.stderr()).as("%s", elsewhere).contains("Unable to use shared archive");
    assertThat(elsewhere.stdout()).as("%s", elsewhere).isEqualTo(plain.stdout());
  }

  Shell.Result atmos(Path dist, Map<String, String> env) {
    return Shell.run(List.of(dist.resolve("bin/atmos").toString(), "--version"), env, tmp);
  }

  /** The distribution without its trained archives, as a fresh copy would be before the installer trains one. */
  static Path copyWithoutArchives(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      files.filter(p -> !from.relativize(p).toString().matches("lib/client\\.(aot|jsa).*")).forEach(p -> {
        try {
          Files.copy(p, to.resolve(from.relativize(p).toString()), StandardCopyOption.COPY_ATTRIBUTES);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
    return to;
  }
}
