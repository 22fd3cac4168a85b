package dev.atmosd.bench.support;

import dev.atmosd.v1.ClientContext;
import dev.atmosd.v1.DaemonGrpc;
import dev.atmosd.v1.DaemonInfo;
import dev.atmosd.v1.PingRequest;
import dev.atmosd.v1.ShutdownRequest;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDomainSocketChannel;
import java.io.IOException;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A throwaway world for one benchmark: its own XDG dirs, socket, atmos.yaml pointing at the emulator, and a daemon
 * started from the packaged distribution ({@code bin/atmosd}, so with the launcher's JVM flags) as a separate
 * process. Nothing of the user's is read or written.
 */
public final class Sandbox implements AutoCloseable {
  public static final String PROVIDER = "bench-sso";
  public static final String IDENTITY = "bench/Admin";
  public static final String START_URL = "https://d-bench00001.awsapps.com/start";
  public static final String REGION = "us-east-1";
  public static final String ACCOUNT_ID = "100000000001";

  public final Path dir;
  public final Path socket;
  public final Path atmosYaml;
  public final Path dist;
  private Process daemon;
  private EventLoopGroup group;

  private Sandbox(Path dir, Path dist) {
    this.dir = dir;
    this.socket = dir.resolve("run/d.sock");
    this.atmosYaml = dir.resolve("work/atmos.yaml");
    this.dist = dist;
  }

  /** The distribution to run: {@code -Datmos.dist=...}, else the one this module's build laid out side by side. */
  public static Path distribution() {
    Path dist = Path.of(System.getProperty("atmos.dist", "packaging/target-bench/atmos")).toAbsolutePath();
    if (!Files.isExecutable(dist.resolve("bin/atmosd"))) {
      throw new IllegalStateException("no distribution at " + dist + "; build it: mvn -B -o -q "
          + "-Datmos.build.dir=target-bench -pl packaging -am package -DskipTests");
    }
    return dist;
  }

  public static Sandbox create(URI emulator, boolean autoProvision) throws IOException {
    return create(emulator, autoProvision, 0);
  }

  /**
   * Also configures {@code fresh} more identities {@link #freshIdentity(int) bench/fresh-1..N}, each on its own account
   * {@link #freshAccount(int)} (the caller adds those accounts to the emulator): a logout ends the portal session but
   * the daemon keeps role credentials it minted, so a run that must start from nothing uses an identity never used.
   */
  public static Sandbox create(URI emulator, boolean autoProvision, int fresh) throws IOException {
    Path dir = Files.createTempDirectory(Path.of("/tmp"), "ab");
    for (String sub : List.of("cache", "state", "config", "run", "work", "home")) {
      Files.createDirectories(dir.resolve(sub));
    }
    Files.setPosixFilePermissions(dir.resolve("run"), PosixFilePermissions.fromString("rwx------"));
    Sandbox sandbox = new Sandbox(dir, distribution());
    Files.writeString(sandbox.atmosYaml, """
        auth:
          providers:
            %s:
              kind: aws/iam-identity-center
              start_url: %s
              region: %s
              auto_provision_identities: %s
              spec:
                endpoint_url: %s
          identities:
            %s:
              kind: aws/permission-set
              via: { provider: %s }
              principal: { name: AdministratorAccess, account: { id: "%s" } }
        """.formatted(PROVIDER, START_URL, REGION, autoProvision, emulator, IDENTITY, PROVIDER, ACCOUNT_ID));
    StringBuilder more = new StringBuilder();
    for (int i = 1; i <= fresh; i++) {
      more.append("""
              %s:
                kind: aws/permission-set
                via: { provider: %s }
                principal: { name: AdministratorAccess, account: { id: "%s" } }
          """.formatted(freshIdentity(i), PROVIDER, freshAccount(i)));
    }
    Files.writeString(sandbox.atmosYaml, more.toString(), java.nio.file.StandardOpenOption.APPEND);
    return sandbox;
  }

  public static String freshIdentity(int i) {
    return "bench/fresh-" + i;
  }

  public static String freshAccount(int i) {
    return String.format(java.util.Locale.ROOT, "2%011d", i);
  }

  /** The environment of every process of this sandbox: the user's minus anything AWS/atmos/browser, plus ours. */
  public Map<String, String> env() {
    Map<String, String> env = new HashMap<>();
    System.getenv().forEach((k, v) -> {
      if (!(k.startsWith("AWS_") || k.startsWith("ATMOS") || k.equals("BROWSER") || k.startsWith("XDG_"))) {
        env.put(k, v);
      }
    });
    for (String passThrough : List.of("ATMOS_JAVA_HOME", "ATMOSD_JAVA_OPTS", "ATMOS_CLIENT_JAVA_OPTS", "ATMOSD_LOG_LEVEL")) {
      String value = System.getenv(passThrough);
      if (value != null) {
        env.put(passThrough, value);
      }
    }
    env.put("HOME", dir.resolve("home").toString());
    env.put("XDG_CACHE_HOME", dir.resolve("cache").toString());
    env.put("XDG_STATE_HOME", dir.resolve("state").toString());
    env.put("XDG_CONFIG_HOME", dir.resolve("config").toString());
    env.put("XDG_RUNTIME_DIR", dir.resolve("run").toString());
    env.put("ATMOSD_SOCKET", socket.toString());
    env.put("ATMOSD_NO_AUTOSTART", "1");
    env.put("ATMOS_CLI_CONFIG_PATH", atmosYaml.toString());
    env.put("AWS_EC2_METADATA_DISABLED", "true");
    env.put("CI", "1"); // the CLI never opens a browser, it only prints the code
    return env;
  }

  /** Starts {@code bin/atmosd} and waits until it answers a Ping. */
  public DaemonInfo startDaemon() throws Exception {
    ProcessBuilder pb = new ProcessBuilder(dist.resolve("bin/atmosd").toString(), "--socket", socket.toString(),
        "--log-file", dir.resolve("state/atmosd.log").toString())
        .redirectOutput(dir.resolve("state/atmosd.out").toFile())
        .redirectError(dir.resolve("state/atmosd.err").toFile());
    pb.environment().clear();
    pb.environment().putAll(env());
    daemon = pb.start();
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    ManagedChannel channel = channel();
    try {
      while (true) {
        if (!daemon.isAlive()) {
          throw new IllegalStateException("atmosd exited " + daemon.exitValue() + ": "
              + Files.readString(dir.resolve("state/atmosd.err")));
        }
        if (Files.exists(socket)) {
          try {
            return DaemonGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS).ping(
                PingRequest.getDefaultInstance());
          } catch (RuntimeException notYet) {
            // not serving yet
          }
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("atmosd did not answer within 90 s");
        }
        Thread.sleep(50);
      }
    } finally {
      channel.shutdownNow();
    }
  }

  public long daemonPid() {
    return daemon.pid();
  }

  /** One gRPC channel to the daemon, set up as the CLI's DaemonConnection does (NIO domain socket, no native lib). */
  public synchronized ManagedChannel channel() {
    if (group == null) {
      group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    }
    return NettyChannelBuilder.forAddress(UnixDomainSocketAddress.of(socket))
        .channelType(NioDomainSocketChannel.class, UnixDomainSocketAddress.class)
        .eventLoopGroup(group)
        .usePlaintext()
        .overrideAuthority("localhost")
        .maxInboundMessageSize(16 * 1024 * 1024)
        .build();
  }

  public ClientContext context(String command) {
    return ClientContext.newBuilder()
        .setConfigPath(atmosYaml.toString())
        .setWorkingDirectory(dir.resolve("work").toString())
        .setMayOpenBrowser(false)
        .setCommand(command)
        .build();
  }

  private static final Pattern KB = Pattern.compile("^(VmRSS|VmHWM):\\s+(\\d+) kB", Pattern.MULTILINE);

  /** VmRSS and VmHWM of the daemon, in MiB. */
  public double[] daemonRssMiB() throws IOException {
    String status = Files.readString(Path.of("/proc/" + daemon.pid() + "/status"));
    double rss = 0;
    double hwm = 0;
    Matcher m = KB.matcher(status);
    while (m.find()) {
      double mib = Long.parseLong(m.group(2)) / 1024.0;
      if (m.group(1).equals("VmRSS")) {
        rss = mib;
      } else {
        hwm = mib;
      }
    }
    return new double[] {rss, hwm};
  }

  private static final Pattern USED = Pattern.compile("total (\\d+)K, used (\\d+)K");

  /**
   * The daemon's Java heap: {used, committed} in MiB, from {@code jcmd PID GC.heap_info} of the daemon's own JDK
   * (young + old generations; metaspace is not heap).
   */
  public double[] daemonHeapMiB() throws Exception {
    Path java = Path.of("/proc/" + daemon.pid() + "/exe").toRealPath();
    Path jcmd = java.resolveSibling("jcmd");
    Process p = new ProcessBuilder(jcmd.toString(), Long.toString(daemon.pid()), "GC.heap_info")
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    p.waitFor();
    double used = 0;
    double committed = 0;
    for (String line : out.split("\n")) {
      if (line.contains("Metaspace") || line.contains("class space")) {
        continue;
      }
      Matcher m = USED.matcher(line);
      if (m.find()) {
        committed += Long.parseLong(m.group(1)) / 1024.0;
        used += Long.parseLong(m.group(2)) / 1024.0;
      }
    }
    return new double[] {used, committed};
  }

  private static final Pattern NMT = Pattern.compile("^-\\s+([A-Za-z ]+?) \\(reserved=\\d+KB, committed=(\\d+)KB",
      Pattern.MULTILINE);
  private static final Pattern NMT_TOTAL = Pattern.compile("Total: reserved=\\d+KB, committed=(\\d+)KB");

  /** {@code jcmd PID VM.native_memory summary} (the daemon must run with -XX:NativeMemoryTracking=summary), in MiB. */
  public String daemonNativeMemory() throws Exception {
    Path jcmd = Path.of("/proc/" + daemon.pid() + "/exe").toRealPath().resolveSibling("jcmd");
    Process p = new ProcessBuilder(jcmd.toString(), Long.toString(daemon.pid()), "VM.native_memory", "summary")
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    p.waitFor();
    StringBuilder sb = new StringBuilder();
    Matcher total = NMT_TOTAL.matcher(out);
    if (total.find()) {
      sb.append(String.format(java.util.Locale.ROOT, "total %.1f", Long.parseLong(total.group(1)) / 1024.0));
    }
    Matcher m = NMT.matcher(out);
    while (m.find()) {
      double mib = Long.parseLong(m.group(2)) / 1024.0;
      if (mib >= 1) {
        sb.append(String.format(java.util.Locale.ROOT, ", %s %.1f", m.group(1).strip(), mib));
      }
    }
    return sb.toString();
  }

  /** The JVM flags the daemon really runs with (from its command line), for the record. */
  public String daemonJvmFlags() throws IOException {
    String[] args = new String(Files.readAllBytes(Path.of("/proc/" + daemon.pid() + "/cmdline"))).split("\0");
    StringBuilder flags = new StringBuilder();
    for (String arg : args) {
      if (arg.startsWith("-X")) {
        flags.append(flags.length() == 0 ? "" : " ").append(arg);
      }
    }
    return flags.toString();
  }

  @Override
  public void close() throws Exception {
    if (daemon != null && daemon.isAlive()) {
      ManagedChannel channel = channel();
      try {
        DaemonGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
            .shutdown(ShutdownRequest.getDefaultInstance());
      } catch (RuntimeException ignored) {
        // fall through to destroy
      } finally {
        channel.shutdownNow();
      }
      if (!daemon.waitFor(20, TimeUnit.SECONDS)) {
        daemon.destroy();
        daemon.waitFor(10, TimeUnit.SECONDS);
      }
    }
    if (group != null) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
    if (System.getProperty("bench.keep") == null) {
      try (Stream<Path> walk = Files.walk(dir)) {
        walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
