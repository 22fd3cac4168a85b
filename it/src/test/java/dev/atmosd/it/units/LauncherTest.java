package dev.atmosd.it.units;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The POSIX launchers in the packaged distribution: which JDK they pick, what they say when there is none, the JVM
 * flags they pass, and when they use the client's AOT cache. Fake JDKs (a release file plus a bin/java script that
 * echoes its arguments) stand in for real ones, and PATH holds no java, so the machine's own JDKs never interfere.
 */
class LauncherTest {

  @TempDir
  Path tmp;

  Path fakeJdk(String name, String version) {
    Path home = tmp.resolve("jdks").resolve(name);
    Shell.write(home.resolve("release"), "IMPLEMENTOR=\"Fake\"\nJAVA_VERSION=\"" + version + "\"\n");
    Shell.script(home.resolve("bin/java"), "#!/bin/sh\n"
        + "echo \"fake-java " + version + "\"\n"
        + "for a in \"$@\"; do echo \"arg $a\"; done\n"
        + "echo \"env ATMOSD_JAVA=$ATMOSD_JAVA\"\n"
        + "echo \"env ATMOSD_CLASSPATH=$ATMOSD_CLASSPATH\"\n"
        + "echo \"env ATMOSD_JAVA_OPTS=$ATMOSD_JAVA_OPTS\"\n");
    return home;
  }

  Map<String, String> isolatedEnv() {
    Map<String, String> env = new HashMap<>();
    env.put("PATH", Shell.toolsWithoutJava(tmp.resolve("tools")).toString());
    env.put("HOME", tmp.toString());
    env.put("ATMOS_JDK_DIRS", tmp.resolve("jdks").toString());
    return env;
  }

  Shell.Result atmos(Path dist, Map<String, String> env, String... args) {
    List<String> command = new java.util.ArrayList<>(List.of(dist.resolve("bin/atmos").toString()));
    command.addAll(List.of(args));
    return Shell.run(command, env, tmp);
  }

  @Test
  void withoutAnyJdkItSaysWhichJdkItNeedsAndWhereItLookedAndExits2() throws IOException {
    Files.createDirectories(tmp.resolve("jdks"));
    fakeJdk("jdk-11", "11.0.22"); // too old: does not count
    Map<String, String> env = isolatedEnv();
    env.put("JAVA_HOME", tmp.resolve("no-such-jdk").toString());

    for (String launcher : List.of("atmos", "atmosd", "atmos-emulator")) {
      Shell.Result result = Shell.run(List.of(Shell.dist().resolve("bin").resolve(launcher).toString(), "--version"),
          env, tmp);

      assertThat(result.exitCode()).as("%s", result).isEqualTo(2);
      assertThat(result.stdout()).as("%s", result).isEmpty();
      assertThat(result.stderr().strip().lines()).as("one line: %s", result).hasSize(1);
      assertThat(result.stderr()).startsWith(launcher + ": needs a JDK >= 17")
          .contains("JAVA_HOME=" + tmp.resolve("no-such-jdk"))
          .contains("PATH (no java)")
          .contains(tmp.resolve("jdks") + "/*")
          .contains("ATMOS_JAVA_HOME");
    }
  }

  @Test
  void picksTheNewestJdkAndPassesTheFastStartFlags() {
    Path jdk17 = fakeJdk("jdk-17", "17.0.9");
    fakeJdk("jdk-21", "21.0.2");
    fakeJdk("jdk-11", "11.0.22");
    Map<String, String> env = isolatedEnv();
    env.put("JAVA_HOME", jdk17.toString());

    Shell.Result result = atmos(Shell.dist(), env, "--version");

    assertThat(result.exitCode()).as("%s", result).isZero();
    assertThat(result.stdout()).as("%s", result).startsWith("fake-java 21.0.2\n")
        .contains("arg -XX:TieredStopAtLevel=1\n", "arg -XX:+UseSerialGC\n", "arg -Xss512k\n")
        .contains("arg dev.atmosd.cli.Atmos\narg --version\n")
        .doesNotContain("AOTCache");
    // The autostart environment: the same JDK, the daemon's own class path, the daemon's JVM options.
    assertThat(result.stdout()).contains("env ATMOSD_JAVA=" + tmp.resolve("jdks/jdk-21/bin/java") + "\n")
        .containsPattern("env ATMOSD_CLASSPATH=\\S*/lib/daemon/atmosd-daemon-[^:]*\\.jar")
        .contains("env ATMOSD_JAVA_OPTS=-Xms16m -Xmx96m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 ");
    String classpath = result.stdout().lines().dropWhile(l -> !l.equals("arg -cp")).skip(1).findFirst().orElseThrow();
    assertThat(classpath).as("the client's class path is lean").contains("/lib/client/atmos-client-cli-")
        .doesNotContain("awssdk", "/lib/daemon/", "jackson-databind", "logback", "snakeyaml");
  }

  @Test
  void atmosJavaHomeIsAnExplicitChoiceEvenWhenANewerJdkExists() {
    Path jdk17 = fakeJdk("jdk-17", "17.0.9");
    fakeJdk("jdk-21", "21.0.2");
    Map<String, String> env = isolatedEnv();
    env.put("ATMOS_JAVA_HOME", jdk17.toString());

    Shell.Result result = atmos(Shell.dist(), env, "--version");

    assertThat(result.stdout()).as("%s", result).startsWith("fake-java 17.0.9\n");
  }

  @Test
  void aJavaOnPathCountsAndAJdkWithoutReleaseFileIsAsked() throws IOException {
    Path jdk = tmp.resolve("path-jdk");
    Shell.script(jdk.resolve("bin/java"), "#!/bin/sh\n"
        + "if [ \"$1\" = -version ]; then echo 'openjdk version \"22.0.1\" 2024-04-16' >&2; exit 0; fi\n"
        + "echo \"path-java $*\"\n");
    Map<String, String> env = isolatedEnv();
    Path bin = Files.createDirectories(tmp.resolve("pathbin"));
    Files.createSymbolicLink(bin.resolve("java"), jdk.resolve("bin/java"));
    env.put("PATH", bin + ":" + env.get("PATH"));
    fakeJdk("jdk-21", "21.0.2");

    Shell.Result result = atmos(Shell.dist(), env, "--version");

    assertThat(result.stdout()).as("%s", result).startsWith("path-java ");
  }

  @Test
  void usesTheAotCacheOnlyWithTheJdkBuildThatMadeIt() throws IOException {
    // A copy of the launcher part of the distribution with a stand-in cache.
    Path dist = tmp.resolve("dist");
    for (String part : List.of("bin/atmos", "libexec/atmos-java.sh")) {
      Path target = dist.resolve(part);
      Files.createDirectories(target.getParent());
      Files.copy(Shell.dist().resolve(part), target, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
    }
    Shell.write(dist.resolve("lib/client/a.jar"), "");
    Shell.write(dist.resolve("lib/client.aot"), "stand-in");
    Path jdk25 = fakeJdk("jdk-25", "25.0.3");
    Map<String, String> env = isolatedEnv();

    Shell.write(dist.resolve("lib/client.aot.jdk"), jdk25.toRealPath() + "|25.0.3\n");
    assertThat(atmos(dist, env, "--version").stdout()).contains("arg -XX:AOTCache=" + dist.toRealPath() + "/lib/client.aot\n");

    Shell.write(dist.resolve("lib/client.aot.jdk"), jdk25.toRealPath() + "|25.0.2\n");
    assertThat(atmos(dist, env, "--version").stdout()).as("another build of JDK 25").doesNotContain("AOTCache");

    fakeJdk("jdk-26", "26.0.1");
    Shell.write(dist.resolve("lib/client.aot.jdk"), jdk25.toRealPath() + "|25.0.3\n");
    assertThat(atmos(dist, env, "--version").stdout()).as("a newer JDK was picked").startsWith("fake-java 26.0.1")
        .doesNotContain("AOTCache");
  }

  @Test
  void aSymlinkedLauncherFindsItsDistribution() throws IOException {
    fakeJdk("jdk-21", "21.0.2");
    Path bin = Files.createDirectories(tmp.resolve("localbin"));
    Files.createSymbolicLink(bin.resolve("atmos"), Shell.dist().resolve("bin/atmos"));

    Shell.Result result = Shell.run(List.of(bin.resolve("atmos").toString(), "--version"), isolatedEnv(), tmp);

    assertThat(result.stdout()).as("%s", result).contains(Shell.dist().toRealPath() + "/lib/client/atmos-client-cli-");
  }
}
