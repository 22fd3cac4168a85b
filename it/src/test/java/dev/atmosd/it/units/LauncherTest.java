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
        + "echo \"env ATMOSD_JAVA_OPTS=$ATMOSD_JAVA_OPTS\"\n"
        + "echo \"env MALLOC_ARENA_MAX=$MALLOC_ARENA_MAX\"\n"
        + "echo \"env LC_ALL=${LC_ALL-<unset>}\"\n"
        + "echo \"cwd $(pwd -P)\"\n");
    return home;
  }

  /** A copy of the launcher part of the distribution, with the given jars (empty files) under lib/. */
  Path distCopy(Path dist, String... jars) throws IOException {
    for (String part : List.of("bin/atmos", "bin/atmosd", "bin/atmos-emulator", "libexec/atmos-java.sh")) {
      Path target = dist.resolve(part);
      Files.createDirectories(target.getParent());
      Files.copy(Shell.dist().resolve(part), target, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
    }
    for (String jar : jars) {
      Shell.write(dist.resolve(jar), "");
    }
    return dist;
  }

  /** The argument after {@code -cp}. */
  static String classPath(Shell.Result result) {
    return result.stdout().lines().dropWhile(l -> !l.equals("arg -cp")).skip(1).findFirst().orElseThrow()
        .substring("arg ".length());
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
    Path dist = distCopy(tmp.resolve("dist"), "lib/client/a.jar");
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
  void theAotCacheCheckSeesThroughALinkToTheJdkAndNeverWarns() throws IOException {
    Path dist = distCopy(tmp.resolve("dist"), "lib/client/a.jar");
    Shell.write(dist.resolve("lib/client.aot"), "stand-in");
    Path jdk25 = fakeJdk("jdk-25", "25.0.3");
    Path link = Files.createSymbolicLink(tmp.resolve("current-jdk"), jdk25);
    Map<String, String> env = isolatedEnv();
    env.put("ATMOS_JAVA_HOME", link.toString());

    Shell.write(dist.resolve("lib/client.aot.jdk"), jdk25.toRealPath() + "|25.0.3\n");
    Shell.Result viaLink = atmos(dist, env, "--version");
    assertThat(viaLink.stdout()).as("%s", viaLink).startsWith("fake-java 25.0.3\n")
        .contains("arg -XX:AOTCache=" + dist.toRealPath() + "/lib/client.aot\n");

    Shell.write(dist.resolve("lib/client.aot.jdk"), tmp.toRealPath().resolve("jdks/another-jdk-25") + "|25.0.3\n");
    Shell.Result otherHome = atmos(dist, env, "--version");
    assertThat(otherHome.stdout()).as("the same version elsewhere: %s", otherHome).doesNotContain("AOTCache");
    assertThat(otherHome.stderr()).isEmpty();
  }

  @Test
  void usesTheCdsArchiveOnlyWithTheJdkBuildAndTheDirectoryThatMadeIt() throws IOException {
    // A JDK 17-24 dynamic archive names the JDK build and the distribution directory it was trained for.
    Path dist = distCopy(tmp.resolve("dist"), "lib/client/a.jar");
    Shell.write(dist.resolve("lib/client.jsa"), "stand-in");
    Path jdk17 = fakeJdk("jdk-17", "17.0.9");
    Map<String, String> env = isolatedEnv();
    String home = dist.toRealPath().toString();
    String archive = "arg -XX:SharedArchiveFile=" + home + "/lib/client.jsa\n";

    Shell.write(dist.resolve("lib/client.jsa.jdk"), jdk17.toRealPath() + "|17.0.9|" + home + "\n");
    Shell.Result matching = atmos(dist, env, "--version");
    assertThat(matching.stdout()).as("%s", matching).startsWith("fake-java 17.0.9\n").contains(archive)
        .doesNotContain("AOTCache");
    // Reached through a link to the distribution and one to the JDK: the same directory, the same JDK.
    Files.createSymbolicLink(tmp.resolve("dist-link"), dist);
    Files.createSymbolicLink(tmp.resolve("jdk-link"), jdk17);
    Map<String, String> viaLinks = new HashMap<>(env);
    viaLinks.put("ATMOS_JAVA_HOME", tmp.resolve("jdk-link").toString());
    assertThat(atmos(tmp.resolve("dist-link"), viaLinks, "--version").stdout()).contains(archive);

    Map<String, String> stamps = Map.of(
        "another build of JDK 17", jdk17.toRealPath() + "|17.0.8|" + home,
        "the same version elsewhere", tmp.toRealPath().resolve("jdks/other-jdk-17") + "|17.0.9|" + home,
        "another distribution directory (a copy)",
        jdk17.toRealPath() + "|17.0.9|" + tmp.toRealPath().resolve("elsewhere"),
        "an AOT cache's stamp", jdk17.toRealPath() + "|17.0.9",
        "a longer directory", jdk17.toRealPath() + "|17.0.9|" + home + "/x");
    for (Map.Entry<String, String> stamp : stamps.entrySet()) {
      Shell.write(dist.resolve("lib/client.jsa.jdk"), stamp.getValue() + "\n");
      Shell.Result result = atmos(dist, env, "--version");
      assertThat(result.exitCode()).as("%s", result).isZero();
      assertThat(result.stdout()).as("%s: %s", stamp.getKey(), result).doesNotContain("SharedArchiveFile");
      assertThat(result.stderr()).as(stamp.getKey()).isEmpty();
    }

    // A JDK >= 25 takes the AOT cache, never the CDS archive; a JDK below 25 never the AOT cache.
    Shell.write(dist.resolve("lib/client.jsa.jdk"), jdk17.toRealPath() + "|17.0.9|" + home + "\n");
    Shell.write(dist.resolve("lib/client.aot"), "stand-in");
    Shell.write(dist.resolve("lib/client.aot.jdk"), jdk17.toRealPath() + "|17.0.9\n");
    assertThat(atmos(dist, env, "--version").stdout()).contains(archive).doesNotContain("AOTCache");
    Path jdk25 = fakeJdk("jdk-25", "25.0.3");
    Shell.write(dist.resolve("lib/client.jsa.jdk"), jdk25.toRealPath() + "|25.0.3|" + home + "\n");
    assertThat(atmos(dist, env, "--version").stdout()).startsWith("fake-java 25.0.3\n")
        .doesNotContain("SharedArchiveFile", "AOTCache");

    // No archive, only its stamp: nothing.
    Files.delete(dist.resolve("lib/client.jsa"));
    env.put("ATMOS_JAVA_HOME", jdk17.toString());
    Shell.write(dist.resolve("lib/client.jsa.jdk"), jdk17.toRealPath() + "|17.0.9|" + home + "\n");
    Shell.Result noArchive = atmos(dist, env, "--version");
    assertThat(noArchive.stdout()).as("%s", noArchive).doesNotContain("SharedArchiveFile");
    assertThat(noArchive.stderr()).isEmpty();
  }

  @Test
  void theJvmsOwnMessagesGoToStderrAndTheUsersLogOptionsComeAfter() {
    // Unified logging writes warnings to stdout by default, where credential_process expects only JSON.
    fakeJdk("jdk-17", "17.0.9");
    Map<String, String> env = isolatedEnv();
    env.put("ATMOS_CLIENT_JAVA_OPTS", "-Xlog:cds=info");

    Shell.Result result = atmos(Shell.dist(), env, "--version");

    assertThat(result.stdout()).as("%s", result)
        .startsWith("fake-java 17.0.9\narg -Xlog:disable\narg -Xlog:all=warning:stderr\n");
    List<String> args = result.stdout().lines().toList();
    assertThat(args.indexOf("arg -Xlog:cds=info")).as("%s", result)
        .isGreaterThan(args.indexOf("arg -Xlog:all=warning:stderr")).isLessThan(args.indexOf("arg -cp"));
  }

  /** The client's allocator flags (a one-shot CLI has no use for pooled buffers), before the user's options. */
  private static final String UNPOOLED =
      "arg -Dio.netty.allocator.type=unpooled\narg -Dio.grpc.netty.useCustomAllocator=false\n";

  @Test
  void theJdkFlagsFollowTheJdkAndTheUsersOptionsComeLast() {
    fakeJdk("jdk-21", "21.0.2");
    Map<String, String> env = isolatedEnv();
    env.put("ATMOS_CLIENT_JAVA_OPTS", "-Dclient.a=1 -Dclient.b=2");
    env.put("ATMOSD_JAVA_OPTS", "-Ddaemon.a=1");

    Shell.Result on21 = atmos(Shell.dist(), env, "--version");
    assertThat(on21.stdout()).as("%s", on21).doesNotContain("sun-misc-unsafe-memory-access")
        .contains("arg -XX:-UsePerfData\n" + UNPOOLED + "arg -Dclient.a=1\narg -Dclient.b=2\narg -cp\n")
        .containsPattern("env ATMOSD_JAVA_OPTS=-Xms16m .*-XX:TieredStopAtLevel=1 -Ddaemon.a=1\n");

    fakeJdk("jdk-25", "25.0.3");
    Shell.Result on25 = atmos(Shell.dist(), env, "--version");
    assertThat(on25.stdout()).as("%s", on25)
        .contains("arg -XX:-UsePerfData\narg --sun-misc-unsafe-memory-access=allow\n" + UNPOOLED + "arg -Dclient.a=1\n")
        .containsPattern("env ATMOSD_JAVA_OPTS=-Xms16m .* --sun-misc-unsafe-memory-access=allow -Ddaemon.a=1\n");
  }

  @Test
  void atmosdAndTheEmulatorPassTheirFlagsAndArgumentsThrough() {
    fakeJdk("jdk-25", "25.0.3");
    Map<String, String> env = isolatedEnv();
    env.put("ATMOSD_JAVA_OPTS", "-Dx=1 -Dy=2");

    Shell.Result daemon = Shell.run(List.of(Shell.dist().resolve("bin/atmosd").toString(), "--socket", "a b"), env,
        tmp);
    assertThat(daemon.exitCode()).as("%s", daemon).isZero();
    assertThat(daemon.stdout()).as("%s", daemon)
        .contains("arg -Xms16m\narg -Xmx96m\n")
        .contains("arg --sun-misc-unsafe-memory-access=allow\narg -Dx=1\narg -Dy=2\narg -cp\n")
        .contains("arg dev.atmosd.daemon.Atmosd\narg --socket\narg a b\n")
        .contains("env MALLOC_ARENA_MAX=2\n");
    assertThat(classPath(daemon)).contains("/lib/daemon/atmosd-daemon-").doesNotContain("/lib/client/");

    env.put("MALLOC_ARENA_MAX", "4");
    assertThat(Shell.run(List.of(Shell.dist().resolve("bin/atmosd").toString()), env, tmp).stdout())
        .contains("env MALLOC_ARENA_MAX=4\n");

    env.put("ATMOS_EMULATOR_JAVA_OPTS", "-De=1");
    Shell.Result emulator = Shell.run(List.of(Shell.dist().resolve("bin/atmos-emulator").toString(), "--port", "0"),
        env, tmp);
    assertThat(emulator.stdout()).as("%s", emulator)
        .contains("arg -Xmx128m\n", "arg --sun-misc-unsafe-memory-access=allow\narg -De=1\narg -cp\n")
        .contains("arg dev.atmosd.emulator.SsoEmulatorMain\narg --port\narg 0\n");
    assertThat(classPath(emulator)).contains("/lib/emulator/atmosd-sso-emulator-");
  }

  @Test
  void aBadAtmosJavaHomeIsAOneLineErrorAndExit2() {
    fakeJdk("jdk-21", "21.0.2");
    Path jdk11 = fakeJdk("jdk-11", "11.0.22");
    for (String home : List.of(jdk11.toString(), tmp.resolve("no-such-jdk").toString())) {
      Map<String, String> env = isolatedEnv();
      env.put("ATMOS_JAVA_HOME", home);

      Shell.Result result = atmos(Shell.dist(), env, "--version");

      assertThat(result.exitCode()).as("%s", result).isEqualTo(2);
      assertThat(result.stdout()).isEmpty();
      assertThat(result.stderr()).isEqualTo("atmos: ATMOS_JAVA_HOME=" + home
          + " is not a JDK >= 17 (no bin/java, or too old); unset it or point it at one\n");
    }
  }

  @Test
  void aJavaOnPathIsTheJdkItsLinksLeadTo() throws IOException {
    // As /usr/bin/java -> /etc/alternatives/java -> /usr/lib/jvm/<jdk>/bin/java, with a second name for that JDK
    // (/usr/lib/jvm/java-1.17.0-openjdk-amd64 -> java-17-openjdk-amd64) sorting first.
    Path jdk21 = fakeJdk("jdk-21", "21.0.2");
    Files.createSymbolicLink(tmp.resolve("jdks/a-jdk-21"), Path.of("jdk-21"));
    Path alternatives = Files.createDirectories(tmp.resolve("alternatives"));
    Files.createSymbolicLink(alternatives.resolve("java"), jdk21.resolve("bin/java"));
    Path bin = Files.createDirectories(tmp.resolve("pathbin"));
    Files.createSymbolicLink(bin.resolve("java"), alternatives.resolve("java"));
    Map<String, String> env = isolatedEnv();
    env.put("PATH", bin + ":" + env.get("PATH"));

    assertThat(atmos(Shell.dist(), env, "--version").stdout())
        .contains("env ATMOSD_JAVA=" + jdk21.toRealPath() + "/bin/java\n");

    // Of two equally new JDKs, the one on PATH comes first, also when it is not under ATMOS_JDK_DIRS.
    Path other = fakeJdk("../other/jdk-21", "21.0.2");
    Files.delete(alternatives.resolve("java"));
    Files.createSymbolicLink(alternatives.resolve("java"), Path.of("../other/jdk-21/bin/java"));
    assertThat(atmos(Shell.dist(), env, "--version").stdout())
        .contains("env ATMOSD_JAVA=" + other.toRealPath() + "/bin/java\n");

    // None new enough: the message names the java on PATH as its links resolve.
    Path jdk11 = fakeJdk("../old/jdk-11", "11.0.22");
    Files.delete(alternatives.resolve("java"));
    Files.createSymbolicLink(alternatives.resolve("java"), jdk11.resolve("bin/java"));
    env.put("ATMOS_JDK_DIRS", tmp.resolve("old").toString());
    Shell.Result none = atmos(Shell.dist(), env, "--version");
    assertThat(none.exitCode()).as("%s", none).isEqualTo(2);
    assertThat(none.stderr()).contains("java on PATH (" + jdk11.toRealPath() + "/bin/java)");
  }

  @Test
  void findsMacOsJdkBundles() {
    fakeJdk("jdk-17", "17.0.9");
    Path bundle = fakeJdk("temurin-22.jdk/Contents/Home", "22.0.1");

    assertThat(atmos(Shell.dist(), isolatedEnv(), "--version").stdout()).startsWith("fake-java 22.0.1\n")
        .contains("env ATMOSD_JAVA=" + bundle + "/bin/java\n");
  }

  @Test
  void atmosJdkVersionPrintsSortableMajorAndFullVersion() throws IOException {
    // build-aot.sh sources libexec/atmos-java.sh and reads this line.
    Path noRelease = tmp.resolve("no-release");
    Shell.script(noRelease.resolve("bin/java"),
        "#!/bin/sh\necho 'openjdk version \"23.0.1\" 2024-10-15' >&2\n");
    Map<String, String> env = isolatedEnv();
    String script = ". \"$1\"/libexec/atmos-java.sh; atmos_jdk_version \"$2\"";
    for (Map.Entry<Path, String> jdk : Map.of(fakeJdk("jdk-21", "21.0.2"), "21000002 21 21.0.2\n",
        fakeJdk("jdk-8", "1.8.0_08"), "8000008 8 1.8.0_08\n", fakeJdk("jdk-25", "25"), "25000000 25 25\n",
        noRelease, "23000001 23 23.0.1\n").entrySet()) {
      Shell.Result result = Shell.run(List.of("/bin/sh", "-c", script, "sh", Shell.dist().toString(),
          jdk.getKey().toString()), env, tmp);
      assertThat(result.stdout()).as("%s", result).isEqualTo(jdk.getValue());
      assertThat(result.stderr()).isEmpty();
    }
    Shell.Result notAJdk = Shell.run(List.of("/bin/sh", "-c", script, "sh", Shell.dist().toString(),
        tmp.resolve("nothing").toString()), env, tmp);
    assertThat(notAJdk.exitCode()).isEqualTo(1);
    assertThat(notAJdk.stdout()).isEmpty();
  }

  @Test
  void classPathsAreInCLocaleOrderAndTheCallersWorkingDirectoryAndLocaleStay() throws IOException {
    fakeJdk("jdk-21", "21.0.2");
    Path dist = distCopy(tmp.resolve("dist"), "lib/client/a.jar", "lib/client/B.jar", "lib/client/_c.jar",
        "lib/client/a.b.jar", "lib/client/a-b.jar", "lib/client/notes.txt");
    Path work = Files.createDirectories(tmp.resolve("work/sub"));
    Map<String, String> env = isolatedEnv();
    env.put("LC_ALL", "en_US.UTF-8");

    Shell.Result result = Shell.run(List.of(dist.resolve("bin/atmos").toString(), "--version"), env, work);

    String lib = dist.toRealPath() + "/lib/client/";
    assertThat(classPath(result)).as("%s", result)
        .isEqualTo(lib + "B.jar:" + lib + "_c.jar:" + lib + "a-b.jar:" + lib + "a.b.jar:" + lib + "a.jar");
    assertThat(result.stdout()).as("no lib/daemon: an empty daemon class path")
        .contains("env ATMOSD_CLASSPATH=\n", "env LC_ALL=en_US.UTF-8\n", "cwd " + work.toRealPath() + "\n");

    env.remove("LC_ALL");
    assertThat(Shell.run(List.of(dist.resolve("bin/atmos").toString()), env, work).stdout())
        .contains("env LC_ALL=<unset>\n");
  }

  @Test
  void relativeAndChainedLinksAndTheInstalledLayoutFindTheDistribution() throws IOException {
    fakeJdk("jdk-21", "21.0.2");
    // install-service.sh: $PREFIX/bin/atmos -> $PREFIX/lib/atmos/bin/atmos; here lib/atmos is itself a link.
    Path prefix = tmp.resolve("prefix");
    Path dist = distCopy(prefix.resolve("lib/atmos-0.1"), "lib/client/a.jar", "lib/daemon/d.jar");
    Files.createSymbolicLink(prefix.resolve("lib/atmos"), Path.of("atmos-0.1"));
    Files.createDirectories(prefix.resolve("bin"));
    Files.createSymbolicLink(prefix.resolve("bin/atmos"), prefix.resolve("lib/atmos/bin/atmos"));
    Files.createSymbolicLink(prefix.resolve("bin/atmosd"), Path.of("../lib/atmos/bin/atmosd"));
    // A relative link to an absolute one, and a directory link to the distribution.
    Files.createDirectories(tmp.resolve("a"));
    Files.createDirectories(tmp.resolve("b"));
    Files.createSymbolicLink(tmp.resolve("a/atmos"), Path.of("../b/atmos"));
    Files.createSymbolicLink(tmp.resolve("b/atmos"), prefix.resolve("bin/atmos"));
    Files.createSymbolicLink(tmp.resolve("dist-link"), dist);
    String real = dist.toRealPath().toString();

    for (List<String> command : List.of(List.of(prefix.resolve("bin/atmos").toString()),
        List.of(tmp.resolve("a/atmos").toString()), List.of(tmp.resolve("dist-link/bin/atmos").toString()),
        List.of("sh", "-c", "cd ../dist-link/bin && exec ./atmos"), List.of("sh", "-c", "cd .. && exec a/atmos"))) {
      Shell.Result result = Shell.run(command, isolatedEnv(), Files.createDirectories(tmp.resolve("work")));

      assertThat(result.exitCode()).as("%s", result).isZero();
      assertThat(classPath(result)).as("%s", result).isEqualTo(real + "/lib/client/a.jar");
      assertThat(result.stdout()).contains("env ATMOSD_CLASSPATH=" + real + "/lib/daemon/d.jar\n");
    }
    Shell.Result daemon = Shell.run(List.of(prefix.resolve("bin/atmosd").toString()), isolatedEnv(), tmp);
    assertThat(classPath(daemon)).as("%s", daemon).isEqualTo(real + "/lib/daemon/d.jar");
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
