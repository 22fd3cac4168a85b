package dev.atmosd.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atmosd.emulator.SsoEmulator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * One isolated user for an end-to-end test: its own HOME, XDG cache/state/runtime dirs, a short socket path, an
 * atmos.yaml in the working directory, an in-process {@link SsoEmulator}, and a {@code $BROWSER} that records every
 * invocation (and, by default, approves the device code like a user clicking "Allow").
 *
 * <p>Runs the packaged {@code bin/atmos} as separate OS processes. {@link #close()} stops the daemon this sandbox
 * started (by {@code atmos daemon stop}, then by pid), stops the emulator and removes the temp dirs.
 */
public final class AtmosSandbox implements AutoCloseable {

  public static final String START_URL = "https://d-1234567890.awsapps.com/start";
  public static final String REGION = "us-east-1";
  public static final String PROVIDER = "p";
  public static final String DEV_ACCOUNT = "111111111111";
  public static final String PROD_ACCOUNT = "222222222222";
  public static final String DEV_ADMIN = "dev-admin";
  public static final String DEV_READONLY = "dev-readonly";
  public static final String PROD_ADMIN = "prod-admin";
  public static final String DEPLOYER = "dev-deployer";
  public static final String DEPLOYER_ROLE_ARN = "arn:aws:iam::" + DEV_ACCOUNT + ":role/deployer";
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

  private static volatile String python;

  private final Path root;
  private final Path home;
  private final Path work;
  private final Path cacheHome;
  private final Path stateHome;
  private final Path runtimeDir;
  private final Path socket;
  private final Path bin;
  private final Path browserLog;
  private final Path outputs;
  private final SsoEmulator emulator;
  private final Map<String, String> env = new LinkedHashMap<>();
  private final List<CliResult> history = Collections.synchronizedList(new ArrayList<>());
  private final List<Process> processes = Collections.synchronizedList(new ArrayList<>());
  private int sequence;

  private AtmosSandbox(Consumer<SsoEmulator.Builder> emulatorSettings) throws IOException {
    String client = client();
    if (client.equals("native")) {
      Assumptions.assumeTrue(Files.isExecutable(dist().resolve("lib/native/atmos")),
          "no native client in " + dist() + " (client-native builds one where a native-image toolchain is usable)");
    }
    root = Files.createTempDirectory(Path.of("/tmp"), "atit");
    home = Files.createDirectories(root.resolve("home"));
    work = Files.createDirectories(root.resolve("work"));
    cacheHome = Files.createDirectories(root.resolve("cache"));
    stateHome = Files.createDirectories(root.resolve("state"));
    runtimeDir = Files.createDirectories(root.resolve("run"));
    Files.setPosixFilePermissions(runtimeDir, PosixFilePermissions.fromString("rwx------"));
    socket = runtimeDir.resolve("atmosd").resolve("atmosd.sock");
    bin = Files.createDirectories(root.resolve("bin"));
    outputs = Files.createDirectories(root.resolve("out"));
    browserLog = root.resolve("browser.log");
    Files.createFile(browserLog);
    browserApproves();

    SsoEmulator.Builder builder = SsoEmulator.builder()
        .autoApprove(false)
        .pollInterval(Duration.ofSeconds(1));
    emulatorSettings.accept(builder);
    emulator = builder.build();
    emulator.start();
    emulator.addAccount(DEV_ACCOUNT, "dev", "dev@example.com", "Admin", "ReadOnly");
    emulator.addAccount(PROD_ACCOUNT, "prod", "prod@example.com", "Admin");

    putIfSet("PATH");
    putIfSet("JAVA_HOME");
    putIfSet("TZ");
    env.put("LANG", "C.UTF-8");
    env.put("HOME", home.toString());
    env.put("USER", System.getProperty("user.name"));
    env.put("XDG_CACHE_HOME", cacheHome.toString());
    env.put("XDG_STATE_HOME", stateHome.toString());
    env.put("XDG_CONFIG_HOME", root.resolve("config").toString());
    env.put("XDG_RUNTIME_DIR", runtimeDir.toString());
    env.put("ATMOSD_SOCKET", socket.toString());
    env.put("BROWSER", bin.resolve("browser").toString());
    // A desktop session: the CLI may open a browser. (CI would make every client print the code instead.)
    env.put("DISPLAY", ":99");
    if (!client.isEmpty()) {
      env.put("ATMOS_CLIENT", client);
    }
    // Keep the machine's own AWS config out of every process (python, SDKs, the daemon).
    env.put("AWS_CONFIG_FILE", home.resolve(".aws/config").toString());
    env.put("AWS_SHARED_CREDENTIALS_FILE", home.resolve(".aws/credentials").toString());
    env.put("AWS_EC2_METADATA_DISABLED", "true");
    Path pyenv = Path.of(System.getProperty("user.home"), ".pyenv");
    if (Files.isDirectory(pyenv)) {
      env.put("PYENV_ROOT", pyenv.toString());
    }
    writeConfig(standardConfig());
  }

  /** A sandbox with the emulator's defaults (manual approval through the browser, 1 s poll interval). */
  public static AtmosSandbox create() {
    return create(b -> {});
  }

  public static AtmosSandbox create(Consumer<SsoEmulator.Builder> emulatorSettings) {
    try {
      return new AtmosSandbox(emulatorSettings);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Which client bin/atmos runs, {@code jvm} or {@code native} ({@code -Datmos.client}, passed on as ATMOS_CLIENT; empty:
   * the launcher's own choice). The it module runs the CLI-facing test classes once per client (it/pom.xml).
   */
  public static String client() {
    return System.getProperty("atmos.client", "");
  }

  // ------------------------------------------------------------------------------------------ paths

  /** The unpacked distribution: {@code bin/atmos}, {@code bin/atmosd}, {@code lib/}. */
  public static Path dist() {
    String configured = System.getProperty("atmos.dist");
    Path path = configured != null ? Path.of(configured) : Path.of("../packaging/target/atmos");
    return path.toAbsolutePath().normalize();
  }

  public static Path atmosBinary() {
    Path atmos = dist().resolve("bin").resolve("atmos");
    if (!Files.isExecutable(atmos)) {
      throw new AssertionError("no packaged CLI at " + atmos + " (build the packaging module first)");
    }
    return atmos;
  }

  public static Path atmosdBinary() {
    return dist().resolve("bin").resolve("atmosd");
  }

  public Path root() {
    return root;
  }

  public Path home() {
    return home;
  }

  public Path workDir() {
    return work;
  }

  public Path configFile() {
    return work.resolve("atmos.yaml");
  }

  public Path cacheHome() {
    return cacheHome;
  }

  public Path stateHome() {
    return stateHome;
  }

  public Path socket() {
    return socket;
  }

  public Path binDir() {
    return bin;
  }

  public Path sessionsDir() {
    return cacheHome.resolve("atmos").resolve("aws-sso").resolve("sessions");
  }

  /** {@code sessions/<sha1hex(start_url|region)>.json}. */
  public Path sessionFile(String startUrl, String region) {
    return sessionsDir().resolve(sessionKey(startUrl, region) + ".json");
  }

  public Path sessionFile() {
    return sessionFile(START_URL, REGION);
  }

  public static String sessionKey(String startUrl, String region) {
    try {
      byte[] digest = java.security.MessageDigest.getInstance("SHA-1")
          .digest((startUrl + "|" + region).getBytes(StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(digest);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public Path provisionedFile(String provider) {
    return cacheHome.resolve("atmos").resolve("auth").resolve(provider).resolve("provisioned-identities.yaml");
  }

  public Path daemonLogFile() {
    return stateHome.resolve("atmosd").resolve("atmosd.log");
  }

  public String daemonLog() {
    return read(daemonLogFile()).orElse("");
  }

  public SsoEmulator emulator() {
    return emulator;
  }

  public String endpoint() {
    return String.valueOf(emulator.endpoint()).replaceAll("/+$", "");
  }

  public Map<String, String> environment() {
    return Collections.unmodifiableMap(env);
  }

  public AtmosSandbox env(String name, String value) {
    if (value == null) {
      env.remove(name);
    } else {
      env.put(name, value);
    }
    return this;
  }

  /** Everything every process run by this sandbox wrote to stderr, so far. */
  public List<CliResult> history() {
    synchronized (history) {
      return List.copyOf(history);
    }
  }

  // ------------------------------------------------------------------------------------------ config

  /** Provider {@code p} on the emulator; dev-admin (default), dev-readonly, prod-admin, dev-deployer (assume-role). */
  public ConfigYaml standardConfig() {
    return ConfigYaml.create()
        .ssoProvider(PROVIDER, START_URL, REGION, endpoint())
        .permissionSet(DEV_ADMIN, PROVIDER, "Admin", "dev")
        .defaultIdentity(DEV_ADMIN)
        .permissionSet(DEV_READONLY, PROVIDER, "ReadOnly", "dev")
        .permissionSet(PROD_ADMIN, PROVIDER, "Admin", "prod")
        .assumeRole(DEPLOYER, DEV_ADMIN, DEPLOYER_ROLE_ARN);
  }

  public Path writeConfig(ConfigYaml config) {
    return writeConfig(config.render());
  }

  public Path writeConfig(String yaml) {
    return write(configFile(), yaml);
  }

  // ------------------------------------------------------------------------------------------ browser

  /** {@code $BROWSER} records the URL, then opens it (GET approves the device code on the emulator). */
  public void browserApproves() {
    writeScript(bin.resolve("browser"), "#!/bin/sh\n"
        + "echo \"$1\" >> '" + browserLog + "'\n"
        + "exec curl -fsS -o /dev/null \"$1\"\n");
  }

  /** {@code $BROWSER} only records the URL: the user never clicks (the test approves/denies through the emulator). */
  public void browserRecordsOnly() {
    writeScript(bin.resolve("browser"), "#!/bin/sh\n"
        + "echo \"$1\" >> '" + browserLog + "'\n");
  }

  public List<String> browserInvocations() {
    return read(browserLog).map(s -> Arrays.stream(s.split("\\R")).filter(l -> !l.isBlank()).toList())
        .orElse(List.of());
  }

  // ------------------------------------------------------------------------------------------ processes

  /** Runs {@code bin/atmos args...} and waits (60 s at most). */
  public CliResult run(String... args) {
    return run(Map.of(), DEFAULT_TIMEOUT, args);
  }

  public CliResult run(Map<String, String> extraEnv, String... args) {
    return run(extraEnv, DEFAULT_TIMEOUT, args);
  }

  public CliResult run(Map<String, String> extraEnv, Duration timeout, String... args) {
    return start(extraEnv, args).await(timeout);
  }

  /** Starts {@code bin/atmos args...} without waiting. */
  public Running start(Map<String, String> extraEnv, String... args) {
    List<String> command = new ArrayList<>();
    command.add(atmosBinary().toString());
    command.addAll(List.of(args));
    return startCommand(command, extraEnv);
  }

  public Running start(String... args) {
    return start(Map.of(), args);
  }

  /** Runs any command (python, sh, ...) with this sandbox's environment in its working directory. */
  public CliResult runCommand(List<String> command, Map<String, String> extraEnv, Duration timeout) {
    return startCommand(command, extraEnv).await(timeout);
  }

  public Running startCommand(List<String> command, Map<String, String> extraEnv) {
    int n;
    synchronized (this) {
      n = ++sequence;
    }
    Path out = outputs.resolve(n + ".out");
    Path err = outputs.resolve(n + ".err");
    ProcessBuilder pb = new ProcessBuilder(command).directory(work.toFile())
        .redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(devNull()));
    pb.environment().clear();
    pb.environment().putAll(env);
    extraEnv.forEach((k, v) -> {
      if (v == null) {
        pb.environment().remove(k);
      } else {
        pb.environment().put(k, v);
      }
    });
    try {
      Process process = pb.start();
      processes.add(process);
      return new Running(List.copyOf(command), process, out, err);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + command, e);
    }
  }

  private static java.io.File devNull() {
    return new java.io.File("/dev/null");
  }

  /** A started process; {@link #await(Duration)} collects its result or kills it and fails the test. */
  public final class Running {
    private final List<String> command;
    private final Process process;
    private final Path out;
    private final Path err;

    Running(List<String> command, Process process, Path out, Path err) {
      this.command = command;
      this.process = process;
      this.out = out;
      this.err = err;
    }

    public Process process() {
      return process;
    }

    /** What the process has written to stderr so far (it may still be running). */
    public String stderrSoFar() {
      return read(err).orElse("");
    }

    public CliResult await(Duration timeout) {
      boolean finished;
      try {
        finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        finished = false;
      }
      if (!finished) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
          process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        CliResult partial = new CliResult(command, -1, read(out).orElse(""), read(err).orElse(""));
        history.add(partial);
        throw new AssertionError("did not finish within " + timeout.toSeconds() + " s (killed):\n" + partial
            + "\n--- daemon log (tail) ---\n" + daemonLogTail(40));
      }
      CliResult result = new CliResult(command, process.exitValue(), read(out).orElse(""), read(err).orElse(""));
      history.add(result);
      return result;
    }
  }

  /** Fails with the whole result and the daemon log's tail unless the process exited 0. */
  public CliResult ok(CliResult result) {
    if (result.exitCode() != 0) {
      throw new AssertionError("expected exit 0:\n" + result + "\n--- daemon log (tail) ---\n" + daemonLogTail(40));
    }
    return result;
  }

  public CliResult runOk(String... args) {
    return ok(run(args));
  }

  public String daemonLogTail(int lines) {
    List<String> all = Arrays.asList(daemonLog().split("\\R"));
    return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
  }

  // ------------------------------------------------------------------------------------------ python / botocore

  /** The real python3 executable (not a pyenv shim, which would depend on HOME). */
  public static String python() {
    if (python == null) {
      try {
        Process p = new ProcessBuilder("python3", "-c", "import sys; print(sys.executable)")
            .redirectErrorStream(true).start();
        String path = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (p.waitFor() != 0 || path.isEmpty()) {
          throw new AssertionError("python3 not usable: " + path);
        }
        python = path;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
    return python;
  }

  /** Runs a python3 script (written to a file) with this sandbox's environment. */
  public CliResult runPython(String script, Map<String, String> extraEnv, Duration timeout, String... args) {
    Path file = write(bin.resolve("script-" + System.nanoTime() + ".py"), script);
    List<String> command = new ArrayList<>(List.of(python(), file.toString()));
    command.addAll(List.of(args));
    return runCommand(command, extraEnv, timeout);
  }

  // ------------------------------------------------------------------------------------------ daemon

  /** {@code auth status --format json}, parsed. */
  public JsonNode status() {
    return ok(run("auth", "status", "--format", "json")).json();
  }

  /** Pids of live processes this sandbox started, directly or not (found by our unique socket path in their env/args). */
  public List<Long> ourProcesses() {
    String marker = "ATMOSD_SOCKET=" + socket;
    List<Long> pids = new ArrayList<>();
    long self = ProcessHandle.current().pid();
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).forEach(p -> {
        long pid = Long.parseLong(p.getFileName().toString());
        if (pid == self) {
          return;
        }
        try {
          String environ = new String(Files.readAllBytes(p.resolve("environ")), StandardCharsets.UTF_8);
          String cmdline = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8);
          if (Arrays.asList(environ.split("\0")).contains(marker) || cmdline.contains(root.toString())) {
            pids.add(pid);
          }
        } catch (IOException | RuntimeException ignored) {
          // gone, or not ours to read
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return pids;
  }

  /** Stops this sandbox's daemon: {@code atmos daemon stop}, then SIGTERM/SIGKILL by pid for anything left. */
  public void stopDaemon() {
    try {
      if (Files.exists(socket)) {
        run(Map.of("ATMOSD_NO_AUTOSTART", "1"), Duration.ofSeconds(30), "daemon", "stop");
      }
    } catch (AssertionError | RuntimeException e) {
      System.out.println("[sandbox] daemon stop failed: " + e.getMessage());
    }
    List<Long> left = ourProcesses();
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!left.isEmpty() && System.nanoTime() < deadline) {
      left = ourProcesses().stream().filter(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
          .toList();
      if (!left.isEmpty()) {
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    for (long pid : left) {
      ProcessHandle.of(pid).ifPresent(h -> {
        System.out.println("[sandbox] killing leftover pid " + pid + " " + h.info().commandLine().orElse(""));
        h.destroy();
      });
    }
    for (long pid : left) {
      ProcessHandle.of(pid).ifPresent(h -> {
        try {
          h.onExit().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
          h.destroyForcibly();
        }
      });
    }
  }

  /** For an {@code @AfterAll}: {@code sandbox} is null when {@link #create()} skipped the class (no native client). */
  public static void closeIfCreated(AtmosSandbox sandbox) {
    if (sandbox != null) {
      sandbox.close();
    }
  }

  @Override
  public void close() {
    try {
      stopDaemon();
      for (Process p : processes) {
        if (p.isAlive()) {
          p.descendants().forEach(ProcessHandle::destroyForcibly);
          p.destroyForcibly();
        }
      }
    } finally {
      try {
        emulator.close();
      } catch (Exception e) {
        System.out.println("[sandbox] emulator close failed: " + e);
      }
      System.out.println("[sandbox] " + root + " daemon log (tail):\n" + daemonLogTail(200));
      if (!Boolean.getBoolean("atmos.it.keep")) {
        deleteTree(root);
      }
    }
  }

  // ------------------------------------------------------------------------------------------ files

  public static Optional<String> read(Path file) {
    try {
      return Optional.of(Files.readString(file, StandardCharsets.UTF_8));
    } catch (java.nio.file.NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static Path write(Path file, String content) {
    try {
      Files.createDirectories(file.getParent());
      return Files.writeString(file, content, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static Path writeScript(Path file, String content) {
    write(file, content);
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  public static String permissions(Path path) {
    try {
      return PosixFilePermissions.toString(Files.getPosixFilePermissions(path, java.nio.file.LinkOption.NOFOLLOW_LINKS));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException ignored) {
          // best effort
        }
      });
    } catch (IOException ignored) {
      // best effort
    }
  }

  private void putIfSet(String name) {
    String value = System.getenv(name);
    if (value != null) {
      env.put(name, value);
    }
  }
}
