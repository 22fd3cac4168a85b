package dev.atmosd.it.units;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.atmosd.emulator.SsoEmulator;
import dev.atmosd.it.ConfigYaml;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The systemd sandbox drop-in as install-service.sh writes it, for a user whose {@code XDG_CACHE_HOME} is not
 * {@code ~/.cache} (issue 11.10): the writable paths and the environment come from the installer's files, and atmosd
 * runs under them as systemd would run it, confined by an unprivileged mount namespace that stands in for
 * {@code ProtectSystem=strict} + {@code PrivateTmp=yes} + {@code ReadWritePaths=} (no systemd needed). A sign-in must
 * leave its session file in the custom cache. With the drop-in shipped before (ReadWritePaths hard-coded to
 * {@code %h/.cache/atmos}) the same run cannot write it, which the second test shows.
 */
class SandboxedServiceTest {
  private static final String START_URL = "https://d-5555555555.awsapps.com/start";

  Path root;
  Path home;
  Path runtime;
  Path customCache;
  Path customState;
  SsoEmulator emulator;
  Process daemon;

  @BeforeEach
  void setUp() throws IOException {
    assumeTrue(mountNamespacesWork(), "unprivileged user + mount namespaces are unavailable here; skipping");
    // Not under /tmp: the confined daemon gets a private /tmp, as PrivateTmp=yes gives it.
    root = Files.createTempDirectory(Files.createDirectories(Path.of("target/sandboxed").toAbsolutePath()), "s");
    home = Files.createDirectories(root.resolve("home"));
    runtime = Files.createDirectories(root.resolve("run"));
    Files.setPosixFilePermissions(runtime, PosixFilePermissions.fromString("rwx------"));
    // A cache outside ~/.cache, with characters a unit file must escape.
    customCache = root.resolve("my cache %h");
    customState = root.resolve("state");
    emulator = SsoEmulator.builder().autoApprove(true).pollInterval(Duration.ofMillis(200)).build().start();
    emulator.addAccount("111111111111", "dev", "dev@example.com", "Admin");
    Shell.write(home.resolve("work/atmos.yaml"), ConfigYaml.create()
        .ssoProvider("p", START_URL, "us-east-1", emulator.endpoint().toString())
        .permissionSet("dev-admin", "p", "Admin", "dev").render());
  }

  @AfterEach
  void tearDown() throws InterruptedException {
    if (daemon != null) {
      daemon.destroy();
      if (!daemon.waitFor(20, TimeUnit.SECONDS)) {
        daemon.destroyForcibly();
      }
    }
    if (emulator != null) {
      emulator.close();
    }
  }

  @Test
  void theInstalledDropInsLetTheConfinedDaemonWriteItsSessionIntoACustomCacheDir() throws Exception {
    Path units = installUnits();
    SystemdAnalyze.assertVerifies(units, root);
    Map<String, String> environment = UnitFile.environment(units.resolve("atmosd.service.d/paths.conf"));
    assertThat(environment).containsEntry("ATMOS_XDG_CACHE_HOME", customCache.toString())
        .containsEntry("XDG_STATE_HOME", customState.toString());
    String sandbox = Shell.read(units.resolve("atmosd.service.d/sandbox.conf"));
    assertThat(sandbox).doesNotContain("%h/.cache").doesNotContain("CacheDirectory=").contains("ProtectSystem=strict");

    runExecStartPre(sandbox);
    assertThat(customCache.resolve("atmos")).isDirectory();
    startConfined(writablePaths(sandbox), environment);

    Shell.Result login = atmos("auth", "login", "--provider", "p");

    assertThat(login.exitCode()).as("%s\n%s", login, daemonLog()).isZero();
    assertThat(customCache.resolve("atmos/aws-sso/sessions")).isDirectoryContaining("glob:**.json");
    Shell.Result whoami = atmos("auth", "whoami", "-i", "dev-admin");
    assertThat(whoami.exitCode()).as("%s", whoami).isZero();
    assertThat(Shell.read(customState.resolve("atmosd/atmosd.log"))).contains("signed in to " + START_URL)
        .doesNotContain("cannot be prepared").doesNotContain("FileSystemException");
  }

  @Test
  void theDropInShippedBeforeLeftACustomCacheDirReadOnly() throws Exception {
    String shipped = Shell.read(Shell.repo().resolve("systemd/atmosd.service.d/sandbox.conf"));
    runExecStartPre(shipped);
    List<String> writable = new ArrayList<>(writablePaths(shipped));
    // CacheDirectory=atmos: systemd creates ~/.cache/atmos and makes it writable.
    writable.add(Files.createDirectories(home.resolve(".cache/atmos")).toString());
    Files.createDirectories(customCache);
    // The manager's environment carries the custom cache (the best case for the old unit: it had no paths.conf).
    startConfined(writable, Map.of("XDG_CACHE_HOME", customCache.toString(),
        "XDG_STATE_HOME", home.resolve(".local/state").toString()));

    Shell.Result login = atmos("auth", "login", "--provider", "p");

    assertThat(login.exitCode()).as("%s", login).isZero();
    assertThat(customCache.resolve("atmos/aws-sso/sessions/")).as("nothing can be written there")
        .satisfiesAnyOf(p -> assertThat(p).doesNotExist(), p -> assertThat(p).isEmptyDirectory());
    assertThat(Shell.read(home.resolve(".local/state/atmosd/atmosd.log")))
        .contains("atmos cannot be prepared (FileSystemException); sessions will be kept in memory only");
  }

  // ------------------------------------------------------------------------------------------ helpers

  /** Runs install-service.sh as on a machine with systemd --user (systemctl a stand-in) and namespaces. */
  Path installUnits() {
    Path tools = root.resolve("tools");
    Shell.script(tools.resolve("systemctl"), "#!/bin/sh\nexit 0\n");
    Shell.script(tools.resolve("unshare"), "#!/bin/sh\nexit 0\n");
    Shell.script(tools.resolve("uname"), "#!/bin/sh\necho Linux\n");
    Shell.toolsWithoutJava(tools, "tr");
    Map<String, String> env = new HashMap<>();
    env.put("HOME", home.toString());
    env.put("PREFIX", root.resolve("prefix").toString());
    env.put("PATH", tools.toString());
    env.put("ATMOS_JDK_DIRS", root.resolve("no-jdks").toString());
    env.put("XDG_CACHE_HOME", customCache.toString());
    env.put("XDG_STATE_HOME", customState.toString());
    Shell.Result install = Shell.run(List.of(Shell.dist().resolve("libexec/install-service.sh").toString()), env, root);
    assertThat(install.exitCode()).as("%s", install).isZero();
    assertThat(install.stdout()).contains("file-system sandbox enabled");
    return home.resolve(".config/systemd/user");
  }

  /** The drop-in's ExecStartPre= commands, which run outside the confinement ("+"), as systemd runs them. */
  void runExecStartPre(String sandbox) {
    for (List<String> pre : UnitFile.values(sandbox, "ExecStartPre", this::specifier)) {
      assertThat(pre.get(0)).as("runs outside the confinement").startsWith("+");
      List<String> command = new ArrayList<>(pre);
      command.set(0, command.get(0).substring(1));
      Shell.Result made = Shell.run(command, Map.of("PATH", "/usr/bin:/bin"), root);
      assertThat(made.exitCode()).as("%s", made).isZero();
    }
  }

  /** ReadWritePaths= of a sandbox drop-in, specifiers resolved; a "-" prefix (optional path) kept only if it exists. */
  List<String> writablePaths(String sandbox) {
    List<String> paths = new ArrayList<>();
    for (List<String> line : UnitFile.values(sandbox, "ReadWritePaths", this::specifier)) {
      for (String word : line) {
        String path = word.startsWith("-") ? word.substring(1) : word;
        if (!word.startsWith("-") || Files.exists(Path.of(path))) {
          paths.add(path);
        }
      }
    }
    return paths;
  }

  String specifier(int c) {
    return switch (c) {
      case 'h' -> home.toString();
      case 't' -> runtime.toString();
      case '%' -> "%";
      default -> throw new AssertionError("specifier %" + c + " in a drop-in this test does not resolve");
    };
  }

  /**
   * Starts bin/atmosd as the unit does, in a user + mount namespace: / read-only (ProtectSystem=strict), a private
   * /tmp (PrivateTmp=yes), then each writable path bound back read-write (ReadWritePaths=).
   */
  void startConfined(List<String> writable, Map<String, String> unitEnvironment) throws Exception {
    Path socket = runtime.resolve("atmosd/atmosd.sock");
    Files.createDirectories(socket.getParent());
    Files.setPosixFilePermissions(socket.getParent(), PosixFilePermissions.fromString("rwx------"));
    List<String> command = new ArrayList<>(List.of("unshare", "--user", "--map-current-user", "--mount",
        "--propagation", "private", "sh", "-ec",
        "mount -o remount,bind,ro /\n"
            + "mount -t tmpfs -o mode=1777 tmpfs /tmp\n"
            + "while [ \"$1\" != -- ]; do mount --bind \"$1\" \"$1\"; mount -o remount,bind,rw \"$1\"; shift; done\n"
            + "shift\n"
            + "exec \"$@\"\n",
        "confine"));
    command.addAll(writable);
    command.add("--");
    command.addAll(List.of(Shell.dist().resolve("bin/atmosd").toString(), "--socket", socket.toString()));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(root.resolve("atmosd.out").toFile());
    pb.environment().clear();
    pb.environment().putAll(baseEnvironment());
    pb.environment().putAll(unitEnvironment);
    daemon = pb.start();
    Instant deadline = Instant.now().plusSeconds(60);
    while (!Files.exists(socket) && daemon.isAlive() && Instant.now().isBefore(deadline)) {
      Thread.sleep(100);
    }
    assertThat(socket).as("the confined daemon listens\n%s", daemonLog()).exists();
  }

  Map<String, String> baseEnvironment() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    Optional.ofNullable(System.getenv("JAVA_HOME")).ifPresent(v -> env.put("JAVA_HOME", v));
    env.put("HOME", home.toString());
    env.put("XDG_RUNTIME_DIR", runtime.toString());
    env.put("AWS_CONFIG_FILE", home.resolve(".aws/config").toString());
    env.put("AWS_SHARED_CREDENTIALS_FILE", home.resolve(".aws/credentials").toString());
    env.put("AWS_EC2_METADATA_DISABLED", "true");
    return env;
  }

  Shell.Result atmos(String... args) {
    Map<String, String> env = baseEnvironment();
    env.put("ATMOSD_SOCKET", runtime.resolve("atmosd/atmosd.sock").toString());
    env.put("ATMOSD_NO_AUTOSTART", "1");
    env.put("BROWSER", "/bin/true");
    env.put("DISPLAY", ":99");
    List<String> command = new ArrayList<>(List.of(Shell.dist().resolve("bin/atmos").toString()));
    command.addAll(List.of(args));
    return Shell.run(command, env, home.resolve("work"));
  }

  String daemonLog() throws IOException {
    Path out = root.resolve("atmosd.out");
    Path log = customState.resolve("atmosd/atmosd.log");
    return (Files.exists(out) ? Files.readString(out) : "") + (Files.exists(log) ? Files.readString(log) : "");
  }

  static boolean mountNamespacesWork() {
    Shell.Result probe = Shell.run(List.of("unshare", "--user", "--map-current-user", "--mount", "sh", "-c",
        "mount -t tmpfs tmpfs /mnt && mount -o remount,bind,ro /"), Map.of("PATH", "/usr/bin:/bin"), Path.of("."));
    return probe.exitCode() == 0;
  }
}
