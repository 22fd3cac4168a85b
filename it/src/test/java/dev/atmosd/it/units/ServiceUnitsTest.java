package dev.atmosd.it.units;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The systemd user units and the launchd agent: as shipped, and as install-service.sh installs them (with stand-ins
 * for systemctl, launchctl and uname, so both branches of the installer run on any machine).
 */
class ServiceUnitsTest {

  @TempDir
  Path tmp;

  // ------------------------------------------------------------------------------------------ systemd

  @Test
  void theShippedUnitsPassSystemdAnalyzeVerify() throws IOException {
    Path units = Files.createDirectories(tmp.resolve("units"));
    Path atmosd = Shell.script(tmp.resolve("lib/atmos/bin/atmosd"), "#!/bin/sh\nexit 0\n");
    String service = Shell.read(Shell.repo().resolve("systemd/atmosd.service"));
    assertThat(service).contains("ExecStart=%h/.local/lib/atmos/bin/atmosd ");
    // ExecStart must name an executable file for verify to pass: point it at a stand-in, as the installer does.
    Shell.write(units.resolve("atmosd.service"), service.replace("%h/.local/lib/atmos/bin/atmosd", atmosd.toString()));
    Files.copy(Shell.repo().resolve("systemd/atmosd.socket"), units.resolve("atmosd.socket"));
    Shell.write(units.resolve("atmosd.service.d/sandbox.conf"),
        Shell.read(Shell.repo().resolve("systemd/atmosd.service.d/sandbox.conf")));

    assertVerifies(units);
  }

  @Test
  void verifyCatchesAMistake() throws IOException {
    // The check above is only worth something if verify reports problems in these very files.
    Path units = Files.createDirectories(tmp.resolve("units"));
    Shell.write(units.resolve("atmosd.service"), "[Service]\nExecStart=/bin/true\nNoSuchSetting=yes\n");
    Shell.write(units.resolve("atmosd.socket"), Shell.read(Shell.repo().resolve("systemd/atmosd.socket")));

    String output = verify(units);

    assertThat(output).contains("NoSuchSetting");
  }

  @Test
  void theUnitsDescribeSocketActivationOfAHardenedService() {
    String socket = Shell.read(Shell.repo().resolve("systemd/atmosd.socket"));
    assertThat(socket).contains("ListenStream=%t/atmosd/atmosd.sock", "SocketMode=0600", "DirectoryMode=0700",
        "Accept=no", "WantedBy=sockets.target");
    String service = Shell.read(Shell.repo().resolve("systemd/atmosd.service"));
    assertThat(service).contains("StandardInput=socket", "StandardOutput=journal", "Restart=on-failure",
        "NoNewPrivileges=yes", "UMask=0077", "MemoryDenyWriteExecute=no",
        "RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6", "--socket %t/atmosd/atmosd.sock");
  }

  @Test
  void installOnLinuxPutsTheUnitsInPlaceEnablesTheSocketAndUninstallReversesIt() throws IOException {
    Path home = Files.createDirectories(tmp.resolve("home"));
    Path prefix = tmp.resolve("prefix with space");
    Path log = tmp.resolve("systemctl.log");
    Path tools = Files.createDirectories(tmp.resolve("tools"));
    Shell.script(tools.resolve("systemctl"), "#!/bin/sh\necho \"$*\" >> '" + log + "'\nexit 0\n");
    Shell.script(tools.resolve("uname"), "#!/bin/sh\necho Linux\n");
    Map<String, String> env = installerEnv(home, prefix, tools);

    Shell.Result first = install(env);
    Shell.Result second = install(env); // idempotent

    for (Shell.Result result : List.of(first, second)) {
      assertThat(result.exitCode()).as("%s", result).isZero();
    }
    Path dest = prefix.resolve("lib/atmos");
    assertThat(dest.resolve("bin/atmos")).isExecutable();
    assertThat(Files.readSymbolicLink(prefix.resolve("bin/atmos"))).isEqualTo(dest.resolve("bin/atmos"));
    assertThat(Files.readSymbolicLink(prefix.resolve("bin/atmosd"))).isEqualTo(dest.resolve("bin/atmosd"));
    Path unitDir = home.resolve(".config/systemd/user");
    String service = Shell.read(unitDir.resolve("atmosd.service"));
    assertThat(service).contains("ExecStart=\"" + dest + "/bin/atmosd\" --socket %t/atmosd/atmosd.sock");
    assertThat(unitDir.resolve("atmosd.socket")).exists();
    assertThat(Shell.read(unitDir.resolve("atmosd.service.d/paths.conf")))
        .contains("Environment=\"ATMOS_XDG_CACHE_HOME=" + home + "/.cache\" \"XDG_STATE_HOME=" + home + "/.local/state\"");
    assertThat(Shell.read(log)).contains("--user daemon-reload\n", "--user enable --now atmosd.socket\n");
    assertVerifies(unitDir);

    Shell.Result uninstall = Shell.run(List.of(dest.resolve("libexec/install-service.sh").toString(), "--uninstall"),
        env, tmp);

    assertThat(uninstall.exitCode()).as("%s", uninstall).isZero();
    assertThat(dest).doesNotExist();
    assertThat(prefix.resolve("bin/atmos")).doesNotExist();
    assertThat(unitDir.resolve("atmosd.service")).doesNotExist();
    assertThat(unitDir.resolve("atmosd.socket")).doesNotExist();
    assertThat(unitDir.resolve("atmosd.service.d")).as("drop-ins removed too").doesNotExist();
    assertThat(Shell.read(log)).contains("--user disable --now atmosd.socket atmosd.service\n");
  }

  @Test
  void installWithoutSystemdUserSaysSoAndStillInstallsTheCommands() throws IOException {
    Path home = Files.createDirectories(tmp.resolve("home"));
    Path prefix = tmp.resolve("prefix");
    Path tools = Files.createDirectories(tmp.resolve("tools"));
    Shell.script(tools.resolve("systemctl"), "#!/bin/sh\necho 'Failed to connect to bus' >&2\nexit 1\n");
    Shell.script(tools.resolve("uname"), "#!/bin/sh\necho Linux\n");

    Shell.Result result = install(installerEnv(home, prefix, tools));

    assertThat(result.exitCode()).as("%s", result).isZero();
    assertThat(result.stdout()).contains("systemd --user is not running here");
    assertThat(prefix.resolve("bin/atmos")).isExecutable();
    assertThat(home.resolve(".config/systemd/user/atmosd.service")).doesNotExist();
  }

  // ------------------------------------------------------------------------------------------ client archive

  @Test
  void installTrainsTheClientArchiveOnlyWhenTheJdkAtmosWillPickHasNoMatchingOne() throws IOException {
    // A distribution whose train-client.sh is a stand-in that records its arguments and writes what the real one
    // would; fake JDKs (a release file and a bin/java) in a directory of their own.
    Path src = tmp.resolve("src");
    for (String part : List.of("bin/atmos", "bin/atmosd", "libexec/atmos-java.sh", "libexec/install-service.sh",
        "VERSION")) {
      Files.createDirectories(src.resolve(part).getParent());
      Files.copy(Shell.dist().resolve(part), src.resolve(part), StandardCopyOption.COPY_ATTRIBUTES);
    }
    Path calls = tmp.resolve("train.log");
    Shell.script(src.resolve("libexec/train-client.sh"), "#!/bin/sh\n"
        + "echo \"$1 $2\" >> '" + calls + "'\n"
        + "v=$(sed -n 's/^JAVA_VERSION=\"\\(.*\\)\"/\\1/p' \"$2/release\")\n"
        + "case $v in 2[5-9]*) k=aot s=\"$2|$v\" ;; *) k=jsa s=\"$2|$v|$1\" ;; esac\n"
        + "echo stand-in > \"$1/lib/client.$k\"; echo \"$s\" > \"$1/lib/client.$k.jdk\"\n"
        + "echo \"[atmos aot] wrote lib/client.$k\"\n");
    Path jdks = Files.createDirectories(tmp.resolve("jdks"));
    Path jdk25 = fakeJdk(jdks.resolve("jdk-25"), "25.0.3");
    Shell.write(src.resolve("lib/client.aot"), "stand-in");
    Shell.write(src.resolve("lib/client.aot.jdk"), jdk25.toRealPath() + "|25.0.3\n");
    Shell.write(src.resolve("lib/client.jsa"), "stand-in");
    Shell.write(src.resolve("lib/client.jsa.jdk"), "/usr/lib/jvm/some-jdk-17|17.0.9|" + src.toRealPath() + "\n");
    Path home = Files.createDirectories(tmp.resolve("home"));
    Path prefix = tmp.resolve("prefix with space");
    Map<String, String> env = installerEnv(home, prefix, Files.createDirectories(tmp.resolve("tools")));
    env.put("ATMOS_JDK_DIRS", jdks.toString());
    Path dest = prefix.resolve("lib/atmos");
    List<String> install = List.of(src.resolve("libexec/install-service.sh").toString(), "--no-service");
    List<String> reinstall = List.of(dest.resolve("libexec/install-service.sh").toString(), "--no-service");

    // JDK 25, and the AOT cache made by that very JDK: it travels with the copy, nothing to train.
    Shell.Result on25 = Shell.run(install, env, tmp);
    assertThat(on25.exitCode()).as("%s", on25).isZero();
    assertThat(on25.stdout()).as("%s", on25).doesNotContain("training");
    assertThat(calls).doesNotExist();
    assertThat(dest.resolve("lib/client.aot")).exists();
    assertThat(dest.resolve("lib/client.jsa")).as("a CDS archive for the source directory serves nothing here")
        .doesNotExist();
    assertThat(dest.resolve("lib/client.jsa.jdk")).doesNotExist();

    // Another build of JDK 25: the cache does not serve it.
    fakeJdk(jdks.resolve("jdk-25.0.4"), "25.0.4");
    Shell.Result onOther25 = Shell.run(install, env, tmp);
    assertThat(onOther25.stdout()).as("%s", onOther25)
        .contains("atmos install: training the client's start-up archive for JDK 25.0.4 ("
            + jdks.toRealPath().resolve("jdk-25.0.4") + "): a few seconds\n[atmos aot] wrote lib/client.aot\n");
    assertThat(Shell.read(calls)).isEqualTo(dest.toRealPath() + " " + jdks.toRealPath().resolve("jdk-25.0.4") + "\n");

    // JDK 17: a CDS archive only works where it was trained, so every fresh copy trains; a rerun in place does not.
    Path jdk17 = fakeJdk(tmp.resolve("other/jdk-17"), "17.0.9");
    env.put("ATMOS_JAVA_HOME", jdk17.toString());
    Files.delete(calls);
    Shell.Result on17 = Shell.run(install, env, tmp);
    assertThat(on17.stdout()).as("%s", on17).contains("training the client's start-up archive for JDK 17.0.9");
    assertThat(Shell.read(calls)).isEqualTo(dest.toRealPath() + " " + jdk17.toRealPath() + "\n");
    Shell.Result inPlace = Shell.run(reinstall, env, tmp);
    assertThat(inPlace.stdout()).as("%s", inPlace).doesNotContain("training");
    Shell.Result again = Shell.run(install, env, tmp);
    assertThat(again.stdout()).as("%s", again).contains("training the client's start-up archive for JDK 17.0.9");
    assertThat(Shell.read(calls).lines()).hasSize(2);

    // No JDK at all: it still installs, and says why nothing was trained.
    env.remove("ATMOS_JAVA_HOME");
    env.put("ATMOS_JDK_DIRS", tmp.resolve("no-jdks").toString());
    Shell.Result none = Shell.run(install, env, tmp);
    assertThat(none.exitCode()).as("%s", none).isZero();
    assertThat(none.stdout()).as("%s", none)
        .contains("atmos install: no start-up archive trained, as atmos cannot start here yet: needs a JDK >= 17");
    assertThat(dest.resolve("bin/atmos")).isExecutable();
    assertThat(Shell.read(calls).lines()).hasSize(2);
  }

  static Path fakeJdk(Path home, String version) {
    Shell.write(home.resolve("release"), "JAVA_VERSION=\"" + version + "\"\n");
    Shell.script(home.resolve("bin/java"), "#!/bin/sh\nexit 0\n");
    return home;
  }

  // ------------------------------------------------------------------------------------------ launchd

  @Test
  void theShippedPlistIsAPropertyListThatStartsAtmosdAtLoginAndKeepsItAlive() throws Exception {
    Path plist = Shell.repo().resolve("launchd/dev.atmosd.atmosd.plist");

    Map<String, Node> agent = parsePlist(plist);

    assertAgent(agent, "@ATMOS_HOME@/bin/atmosd");
    plutilLint(plist);
  }

  @Test
  void installOnMacOsWritesTheLaunchAgentAndBootstrapsIt() throws Exception {
    Path home = Files.createDirectories(tmp.resolve("home"));
    Path prefix = tmp.resolve("prefix");
    Path log = tmp.resolve("launchctl.log");
    Path tools = Files.createDirectories(tmp.resolve("tools"));
    Shell.script(tools.resolve("launchctl"), "#!/bin/sh\necho \"$*\" >> '" + log + "'\nexit 0\n");
    Shell.script(tools.resolve("uname"), "#!/bin/sh\necho Darwin\n");
    Map<String, String> env = installerEnv(home, prefix, tools);

    Shell.Result result = install(env);

    assertThat(result.exitCode()).as("%s", result).isZero();
    Path plist = home.resolve("Library/LaunchAgents/dev.atmosd.atmosd.plist");
    Map<String, Node> agent = parsePlist(plist);
    Path atmosd = prefix.toRealPath().resolve("lib/atmos/bin/atmosd");
    assertAgent(agent, atmosd.toString());
    assertThat(atmosd).isExecutable();
    assertThat(text(agent.get("StandardErrorPath"))).isEqualTo(home + "/Library/Logs/atmosd.log");
    String uid = Shell.run(List.of("id", "-u"), env, tmp).stdout().strip();
    assertThat(Shell.read(log)).contains("bootstrap gui/" + uid + " " + plist + "\n");
    plutilLint(plist);

    Shell.Result uninstall = install(env, "--uninstall");
    assertThat(uninstall.exitCode()).as("%s", uninstall).isZero();
    assertThat(plist).doesNotExist();
    assertThat(Shell.read(log)).contains("bootout gui/" + uid + "/dev.atmosd.atmosd\n");
  }

  // ------------------------------------------------------------------------------------------ helpers

  Map<String, String> installerEnv(Path home, Path prefix, Path tools) {
    Shell.toolsWithoutJava(tools, "unshare", "tr");
    Map<String, String> env = new HashMap<>();
    env.put("HOME", home.toString());
    env.put("PREFIX", prefix.toString());
    env.put("PATH", tools.toString());
    // No JDK to train the client's archive for (installTrainsTheClientArchive... covers that): installs stay quick.
    env.put("ATMOS_JDK_DIRS", tmp.resolve("no-jdks").toString());
    return env;
  }

  Shell.Result install(Map<String, String> env, String... args) {
    List<String> command = new ArrayList<>(List.of(Shell.dist().resolve("libexec/install-service.sh").toString()));
    command.addAll(List.of(args));
    return Shell.run(command, env, tmp);
  }

  String verify(Path units) throws IOException {
    return SystemdAnalyze.verify(units, tmp);
  }

  void assertVerifies(Path units) throws IOException {
    SystemdAnalyze.assertVerifies(units, tmp);
  }

  static Map<String, Node> parsePlist(Path plist) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
    factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
    factory.setIgnoringComments(true);
    DocumentBuilder builder = factory.newDocumentBuilder();
    Document doc = builder.parse(plist.toFile());
    assertThat(doc.getDoctype()).as("DOCTYPE").isNotNull();
    assertThat(doc.getDoctype().getName()).isEqualTo("plist");
    assertThat(doc.getDoctype().getPublicId()).isEqualTo("-//Apple//DTD PLIST 1.0//EN");
    assertThat(doc.getDoctype().getSystemId()).isEqualTo("http://www.apple.com/DTDs/PropertyList-1.0.dtd");
    Element root = doc.getDocumentElement();
    assertThat(root.getTagName()).isEqualTo("plist");
    assertThat(root.getAttribute("version")).isEqualTo("1.0");
    List<Element> top = elements(root);
    assertThat(top).hasSize(1);
    assertThat(top.get(0).getTagName()).isEqualTo("dict");
    return dict(top.get(0));
  }

  /** A plist dict: strictly alternating key and value elements, unique keys. */
  static Map<String, Node> dict(Element dict) {
    List<Element> children = elements(dict);
    assertThat(children.size() % 2).as("a dict alternates key and value").isZero();
    Map<String, Node> map = new LinkedHashMap<>();
    for (int i = 0; i < children.size(); i += 2) {
      assertThat(children.get(i).getTagName()).isEqualTo("key");
      assertThat(children.get(i + 1).getTagName()).isIn("string", "integer", "true", "false", "dict", "array", "real",
          "date", "data");
      assertThat(map.put(children.get(i).getTextContent(), children.get(i + 1))).as("duplicate key").isNull();
    }
    return map;
  }

  static List<Element> elements(Node parent) {
    List<Element> list = new ArrayList<>();
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e) {
        list.add(e);
      }
    }
    return list;
  }

  static String text(Node node) {
    return node.getTextContent();
  }

  static void assertAgent(Map<String, Node> agent, String program) {
    assertThat(text(agent.get("Label"))).isEqualTo("dev.atmosd.atmosd");
    assertThat(((Element) agent.get("RunAtLoad")).getTagName()).isEqualTo("true");
    Map<String, Node> keepAlive = dict((Element) agent.get("KeepAlive"));
    assertThat(((Element) keepAlive.get("SuccessfulExit")).getTagName()).as("restart only after a failure")
        .isEqualTo("false");
    Element args = (Element) agent.get("ProgramArguments");
    assertThat(args.getTagName()).isEqualTo("array");
    List<Element> argv = elements(args);
    assertThat(argv).isNotEmpty();
    assertThat(argv.get(0).getTagName()).isEqualTo("string");
    assertThat(argv.get(0).getTextContent()).endsWith("bin/atmosd").isEqualTo(program);
    assertThat(text(agent.get("StandardOutPath"))).contains("/Library/Logs/");
    assertThat(text(agent.get("StandardErrorPath"))).contains("/Library/Logs/");
  }

  /** plutil where it exists (macOS); else Python's plistlib, an independent plist reader, where Python is. */
  void plutilLint(Path plist) {
    Map<String, String> env = Map.of("PATH", "/usr/bin:/bin:/usr/local/bin");
    Optional<Path> plutil = Shell.which("plutil");
    if (plutil.isPresent()) {
      Shell.Result lint = Shell.run(List.of(plutil.get().toString(), "-lint", plist.toString()), env, tmp);
      assertThat(lint.exitCode()).as("%s", lint).isZero();
      return;
    }
    Optional<Path> python = Shell.which("python3");
    if (python.isPresent()) {
      Shell.Result load = Shell.run(List.of(python.get().toString(), "-c",
          "import plistlib,sys; d=plistlib.load(open(sys.argv[1],'rb')); print(d['Label'], d['ProgramArguments'][0])",
          plist.toString()), env, tmp);
      assertThat(load.exitCode()).as("%s", load).isZero();
      assertThat(load.stdout()).startsWith("dev.atmosd.atmosd ");
    }
  }
}
