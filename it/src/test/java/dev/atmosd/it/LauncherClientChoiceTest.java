package dev.atmosd.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/atmos picks the native client (lib/native/atmos) only when it can run here, falls back to the JVM client
 * otherwise, and ATMOS_CLIENT=jvm|native forces one. A copy of the packaged distribution's launcher and scripts, with
 * its jars linked, gets a stand-in native client (a script that says so) and a stamp for it.
 */
class LauncherClientChoiceTest {
  @TempDir Path dist;
  private String arch;

  @BeforeEach
  void distributionWithAStandInNativeClient() throws Exception {
    Path packaged = AtmosSandbox.dist();
    Files.createDirectories(dist.resolve("bin"));
    Files.copy(packaged.resolve("bin/atmos"), dist.resolve("bin/atmos"));
    Files.createSymbolicLink(dist.resolve("libexec"), packaged.resolve("libexec"));
    Files.createDirectories(dist.resolve("lib/native"));
    Files.createSymbolicLink(dist.resolve("lib/client"), packaged.resolve("lib/client"));
    Files.createSymbolicLink(dist.resolve("lib/daemon"), packaged.resolve("lib/daemon"));
    Path fake = dist.resolve("lib/native/atmos");
    Files.writeString(fake, "#!/bin/sh\necho \"native client: $*\"\n");
    fake.toFile().setExecutable(true);
    arch = run(Map.of(), "uname", "-m").stdout().strip();
  }

  private void stamp(String line) throws IOException {
    Files.writeString(dist.resolve("lib/native/atmos.route"), line + "\n");
  }

  @Test
  void runsTheNativeClientWhenItIsForThisMachine() throws Exception {
    stamp("maven-central|" + javaHomeWithLibjava() + "|" + arch);
    CliResult r = atmos(Map.of(), "--version");
    assertThat(r.exitCode()).isZero();
    assertThat(r.stdout()).isEqualTo("native client: --version\n");
  }

  @Test
  void aNativeClientForAnotherPlatformFallsBackToTheJvmClient() throws Exception {
    stamp("graalvm||sparc64");
    CliResult r = atmos(Map.of(), "--version");
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.stdout()).startsWith("atmos ").doesNotContain("native client");
    assertThat(r.stderr()).isEmpty();
  }

  @Test
  void aNativeClientWhoseJdkLibrariesAreGoneFallsBackToTheJvmClient() throws Exception {
    stamp("maven-central|/nonexistent/jdk|" + arch);
    CliResult r = atmos(Map.of(), "--version");
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.stdout()).startsWith("atmos ").doesNotContain("native client");
    assertThat(r.stderr()).isEmpty();
  }

  @Test
  void atmosClientJvmForcesTheJvmClient() throws Exception {
    stamp("graalvm||" + arch);
    CliResult r = atmos(Map.of("ATMOS_CLIENT", "jvm"), "--version");
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.stdout()).startsWith("atmos ").doesNotContain("native client");
  }

  @Test
  void atmosClientNativeThatCannotRunSaysWhyInOneLine() throws Exception {
    stamp("graalvm||sparc64");
    CliResult r = atmos(Map.of("ATMOS_CLIENT", "native"), "--version");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.stdout()).isEmpty();
    assertThat(r.stderrLines()).hasSize(1);
    assertThat(r.lastStderrLine()).contains("ATMOS_CLIENT=native").contains("sparc64").contains("unset ATMOS_CLIENT");
  }

  @Test
  void atmosClientNativeWithoutANativeClientSaysSo() throws Exception {
    Files.delete(dist.resolve("lib/native/atmos"));
    CliResult r = atmos(Map.of("ATMOS_CLIENT", "native"), "--version");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.stderrLines()).hasSize(1);
    assertThat(r.lastStderrLine()).contains("has none (lib/native/atmos)");
  }

  @Test
  void anUnknownAtmosClientIsRefusedInOneLine() throws Exception {
    CliResult r = atmos(Map.of("ATMOS_CLIENT", "graal"), "--version");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.stderrLines()).hasSize(1);
    assertThat(r.lastStderrLine()).contains("ATMOS_CLIENT must be jvm or native").contains("'graal'");
  }

  /** The JDK the stand-in's stamp names: any directory with lib/libjava.so (the JVM running this test has one). */
  private static String javaHomeWithLibjava() {
    Path home = Path.of(System.getProperty("java.home"));
    assertThat(home.resolve("lib/libjava.so")).exists();
    return home.toString();
  }

  private CliResult atmos(Map<String, String> env, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(dist.resolve("bin/atmos").toString());
    command.addAll(List.of(args));
    return run(env, command.toArray(String[]::new));
  }

  private CliResult run(Map<String, String> env, String... command) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    pb.environment().remove("ATMOS_CLIENT");
    pb.environment().putAll(env);
    Path out = dist.resolve("out-" + System.nanoTime());
    Path err = dist.resolve("err-" + System.nanoTime());
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process p = pb.start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new CliResult(List.of(command), p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }
}
