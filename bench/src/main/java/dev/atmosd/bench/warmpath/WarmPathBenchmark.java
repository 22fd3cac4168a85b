package dev.atmosd.bench.warmpath;

import dev.atmosd.bench.support.Sandbox;
import dev.atmosd.bench.support.Stats;
import dev.atmosd.emulator.SsoEmulator;
import dev.atmosd.v1.AuthEvent;
import dev.atmosd.v1.DaemonGrpc;
import dev.atmosd.v1.PingRequest;
import dev.atmosd.v1.EndpointGrant;
import dev.atmosd.v1.IdentitiesGrpc;
import dev.atmosd.v1.IdentityRequest;
import dev.atmosd.v1.LoginRequest;
import dev.atmosd.v1.SessionsGrpc;
import io.grpc.ManagedChannel;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sso.SsoClient;

/**
 * The warm path and the daemon's footprint, in one run against one daemon started from the packaged
 * {@code bin/atmosd} (so with the launcher's JVM flags), the emulator in this JVM with {@code accounts × 3} roles and
 * {@code auto_provision_identities: true}.
 *
 * <p>Footprint: the daemon's VmRSS/VmHWM ({@code /proc/PID/status}) and Java heap used/committed ({@code jcmd PID
 * GC.heap_info}) idle after start, after sign-in + provisioning, the peak sampled every 100 ms under the warm-path
 * load, and after it.
 *
 * <p>Warm path (session and credentials cached), closed loop, each caller issues its next request when the previous
 * answer is in, at 1, 16 and 128 concurrent callers (threads of this JVM):
 * <ul>
 *   <li>{@code GetCredentials} over the Unix socket (gRPC, server stream read to the credentials event; up to 16
 *       connections shared by the callers);</li>
 *   <li>{@code GET} on the container-credentials endpoint (HTTP/1.1 keep-alive, one connection per caller);</li>
 *   <li>the alternative without a daemon: SSO {@code GetRoleCredentials} straight to the portal (the emulator on
 *       loopback) with the AWS SDK for Java and the cached access token, one shared client.</li>
 * </ul>
 * Each measurement: a warm-up, then a measured window; p50/p99 of every request in the window and requests/s.
 *
 * <p>Usage: {@code bench/run-warmpath.sh [rounds] [warmupSeconds] [measureSeconds] [levels] [accounts]}, defaults
 * {@code 3 3 6 1,16,128 334}.
 */
public final class WarmPathBenchmark {
  record Measurement(double p50Ms, double p99Ms, double perSecond, long requests, long errors) {}

  public static void main(String[] args) throws Exception {
    ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
        .setLevel(ch.qos.logback.classic.Level.WARN);
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    double warmup = args.length > 1 ? Double.parseDouble(args[1]) : 3;
    double measure = args.length > 2 ? Double.parseDouble(args[2]) : 6;
    int[] levels = Arrays.stream((args.length > 3 ? args[3] : "1,16,128").split(",")).mapToInt(Integer::parseInt)
        .toArray();
    int accounts = args.length > 4 ? Integer.parseInt(args[4]) : 334;
    System.out.printf(Locale.ROOT, "machine: %d cores, harness Java %s; load %s%n",
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), load());

    Map<String, List<String>> footprint = new LinkedHashMap<>();
    Map<String, List<Measurement>> results = new LinkedHashMap<>();
    try (SsoEmulator emulator = SsoEmulator.builder().autoApprove(true).build().start()) {
      emulator.addAccounts(accounts, 3);
      try (Sandbox sandbox = Sandbox.create(emulator.endpoint(), true)) {
        var info = sandbox.startDaemon();
        System.out.printf(Locale.ROOT, "daemon: pid %d, java %s, flags %s%n", info.getPid(), info.getJavaVersion(),
            sandbox.daemonJvmFlags());
        Thread.sleep(5000);
        footprint.put("idle after start", sample(sandbox, null));

        ManagedChannel control = sandbox.channel();
        long t0 = System.nanoTime();
        int provisioned = -1;
        Iterator<AuthEvent> login = SessionsGrpc.newBlockingStub(control).withDeadlineAfter(10, TimeUnit.MINUTES)
            .login(LoginRequest.newBuilder().setContext(sandbox.context("auth login"))
                .setProvider(Sandbox.PROVIDER).build());
        while (login.hasNext()) {
          AuthEvent event = login.next();
          if (event.hasProvisioningFinished()) {
            provisioned = event.getProvisioningFinished().getIdentities();
          }
        }
        System.out.printf(Locale.ROOT, "signed in and provisioned %d identities in %.1f s%n", provisioned,
            (System.nanoTime() - t0) / 1e9);
        Thread.sleep(2000);
        footprint.put("after sign-in + provisioning " + provisioned + " identities", sample(sandbox, null));

        IdentityRequest request = IdentityRequest.newBuilder().setContext(sandbox.context("bench"))
            .setIdentity(Sandbox.IDENTITY).build();
        EndpointGrant grant = null;
        for (Iterator<AuthEvent> it = IdentitiesGrpc.newBlockingStub(control).grantEndpoint(request); it.hasNext(); ) {
          AuthEvent event = it.next();
          if (event.hasEndpointGrant()) {
            grant = event.getEndpointGrant();
          }
        }
        if (grant == null) {
          throw new IllegalStateException("no endpoint grant");
        }
        String accessToken = cachedAccessToken(sandbox);
        SdkHttpClient http = ApacheHttpClient.builder().maxConnections(256).build();
        SsoClient sso = SsoClient.builder().region(Region.of(Sandbox.REGION)).httpClient(http)
            .credentialsProvider(AnonymousCredentialsProvider.create()).endpointOverride(emulator.endpoint()).build();
        List<ManagedChannel> channels = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
          channels.add(sandbox.channel());
        }
        EndpointGrant g = grant;
        RssSampler sampler = new RssSampler(sandbox);
        sampler.start();
        for (int round = 1; round <= rounds; round++) {
          for (int n : levels) {
            int conns = Math.min(n, channels.size());
            put(results, "GetCredentials over the socket (gRPC)", n, run("grpc", round, n, warmup, measure,
                index -> {
                  IdentitiesGrpc.IdentitiesBlockingStub stub = IdentitiesGrpc.newBlockingStub(channels.get(index % conns));
                  return () -> {
                    for (Iterator<AuthEvent> it = stub.withDeadlineAfter(30, TimeUnit.SECONDS).getCredentials(request);
                        it.hasNext(); ) {
                      if (it.next().hasCredentials()) {
                        return;
                      }
                    }
                    throw new IllegalStateException("no credentials event");
                  };
                }));
            if (Boolean.getBoolean("bench.ping")) {
              // The transport's floor: a unary Ping (no config load, no broker) over the same connections.
              put(results, "Ping over the socket (gRPC unary; transport floor)", n, run("ping", round, n, warmup,
                  measure, index -> {
                    DaemonGrpc.DaemonBlockingStub stub = DaemonGrpc.newBlockingStub(channels.get(index % conns));
                    return () -> stub.withDeadlineAfter(30, TimeUnit.SECONDS).ping(PingRequest.getDefaultInstance());
                  }));
            }
            put(results, "GET on the container endpoint (HTTP/1.1 keep-alive)", n, run("http", round, n, warmup,
                measure, index -> new EndpointCaller(URI.create(g.getFullUri()), g.getAuthorizationToken())));
            put(results, "no daemon: SSO GetRoleCredentials to the portal (AWS SDK, emulator on loopback)", n,
                run("sdk", round, n, warmup, measure, index -> () -> sso.getRoleCredentials(r -> r
                    .accessToken(accessToken).accountId(Sandbox.ACCOUNT_ID).roleName("AdministratorAccess"))));
          }
        }
        sampler.stop();
        footprint.put("peak under the warm-path load (sampled every 100 ms)",
            List.of(String.format(Locale.ROOT, "%.0f", sampler.peakRss), "–", "–"));
        footprint.put("after the warm-path load", sample(sandbox, null));
        channels.forEach(ManagedChannel::shutdownNow);
        control.shutdownNow();
        sso.close();
        http.close();
        System.out.println("emulator GetRoleCredentials calls (all, baseline included): "
            + emulator.calls("GetRoleCredentials"));
      }
    }
    System.out.println();
    System.out.println("| what | callers | rounds | p50 ms | p99 ms | requests/s |");
    System.out.println("|---|---|---|---|---|---|");
    results.forEach((key, list) -> {
      String[] parts = key.split("\\|");
      System.out.printf(Locale.ROOT, "| %s | %s | %d | %s | %s | %s |%n", parts[0], parts[1], list.size(),
          Stats.medianMinMax(list.stream().map(Measurement::p50Ms).toList(), "%.2f"),
          Stats.medianMinMax(list.stream().map(Measurement::p99Ms).toList(), "%.2f"),
          Stats.medianMinMax(list.stream().map(Measurement::perSecond).toList(), "%.0f"));
    });
    System.out.println();
    System.out.println("| daemon state | VmRSS MiB | heap used MiB | heap committed MiB |");
    System.out.println("|---|---|---|---|");
    footprint.forEach((k, v) -> System.out.printf(Locale.ROOT, "| %s | %s | %s | %s |%n", k, v.get(0), v.get(1),
        v.get(2)));
    System.out.println("load after: " + load());
    System.exit(0);
  }

  private static void put(Map<String, List<Measurement>> results, String what, int n, Measurement m) {
    results.computeIfAbsent(what + "|" + n, k -> new ArrayList<>()).add(m);
  }

  private static List<String> sample(Sandbox sandbox, String note) throws Exception {
    double[] rss = sandbox.daemonRssMiB();
    double[] heap = sandbox.daemonHeapMiB();
    List<String> row = List.of(String.format(Locale.ROOT, "%.0f", rss[0]), String.format(Locale.ROOT, "%.0f", heap[0]),
        String.format(Locale.ROOT, "%.0f", heap[1]));
    System.out.printf(Locale.ROOT, "footprint: VmRSS %.0f MiB (HWM %.0f), heap used %.1f of %.1f MiB committed, load %s%n",
        rss[0], rss[1], heap[0], heap[1], load());
    String opts = System.getenv("ATMOSD_JAVA_OPTS");
    if (opts != null && opts.contains("NativeMemoryTracking")) {
      System.out.println("  NMT (committed): " + sandbox.daemonNativeMemory());
    }
    return row;
  }

  interface Call {
    void call() throws Exception;
  }

  interface CallerFactory {
    Call create(int index) throws Exception;
  }

  /** N closed-loop callers: warm-up, then every request of the measured window timed. */
  private static Measurement run(String name, int round, int n, double warmupSeconds, double measureSeconds,
      CallerFactory factory) throws Exception {
    long start = System.nanoTime();
    long measureFrom = start + (long) (warmupSeconds * 1e9);
    long measureTo = measureFrom + (long) (measureSeconds * 1e9);
    long[][] samples = new long[n][];
    int[] counts = new int[n];
    long[] errors = new long[n];
    Thread[] threads = new Thread[n];
    for (int i = 0; i < n; i++) {
      int index = i;
      Call call = factory.create(i);
      threads[i] = new Thread(() -> {
        long[] mine = new long[1 << 14];
        int count = 0;
        while (true) {
          long t0 = System.nanoTime();
          if (t0 >= measureTo) {
            break;
          }
          try {
            call.call();
          } catch (Exception e) {
            errors[index]++;
            if (errors[index] == 1) {
              System.err.println(name + ": " + e);
            }
            continue;
          }
          long t1 = System.nanoTime();
          if (t0 >= measureFrom && t1 <= measureTo) {
            if (count == mine.length) {
              mine = Arrays.copyOf(mine, count * 2);
            }
            mine[count++] = t1 - t0;
          }
        }
        samples[index] = mine;
        counts[index] = count;
      }, "caller-" + i);
    }
    for (Thread t : threads) {
      t.start();
    }
    for (Thread t : threads) {
      t.join();
    }
    int total = Arrays.stream(counts).sum();
    long[] all = new long[total];
    int at = 0;
    for (int i = 0; i < n; i++) {
      System.arraycopy(samples[i], 0, all, at, counts[i]);
      at += counts[i];
    }
    Arrays.sort(all);
    Measurement m = new Measurement(Stats.percentile(all, 50) / 1e6, Stats.percentile(all, 99) / 1e6,
        total / measureSeconds, total, Arrays.stream(errors).sum());
    System.out.printf(Locale.ROOT, "round %d %-5s callers %-4d p50 %.3f ms p99 %.3f ms %.0f req/s (%d requests, %d errors)"
        + ", load %s%n", round, name, n, m.p50Ms(), m.p99Ms(), m.perSecond(), m.requests(), m.errors(), load());
    return m;
  }

  /** A keep-alive HTTP/1.1 client for one container-credentials GET, as an SDK's container provider sends it. */
  static final class EndpointCaller implements Call {
    private final URI uri;
    private final byte[] request;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    EndpointCaller(URI uri, String token) {
      this.uri = uri;
      this.request = ("GET " + uri.getRawPath() + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
          + "\r\nAuthorization: " + token + "\r\nAccept: application/json\r\nUser-Agent: atmosd-bench\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public void call() throws Exception {
      if (socket == null) {
        socket = new Socket(uri.getHost(), uri.getPort());
        socket.setTcpNoDelay(true);
        in = new java.io.BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
      }
      try {
        out.write(request);
        out.flush();
        String head = readHead();
        if (!head.startsWith("HTTP/1.1 200")) {
          throw new IllegalStateException(head.lines().findFirst().orElse(""));
        }
        Matcher m = CONTENT_LENGTH.matcher(head);
        if (!m.find()) {
          throw new IllegalStateException("no content-length");
        }
        in.readNBytes(Integer.parseInt(m.group(1)));
        if (head.toLowerCase(Locale.ROOT).contains("connection: close")) {
          close();
        }
      } catch (IOException e) {
        close();
        throw e;
      }
    }

    private static final Pattern CONTENT_LENGTH = Pattern.compile("(?i)content-length:\\s*(\\d+)");

    private String readHead() throws IOException {
      StringBuilder sb = new StringBuilder(256);
      int state = 0;
      while (state < 4) {
        int b = in.read();
        if (b < 0) {
          throw new IOException("connection closed");
        }
        sb.append((char) b);
        state = (b == '\r' && (state == 0 || state == 2)) ? state + 1 : (b == '\n' && (state == 1 || state == 3))
            ? state + 1 : 0;
      }
      return sb.toString();
    }

    private void close() {
      try {
        socket.close();
      } catch (IOException ignored) {
        // gone
      }
      socket = null;
    }
  }

  /** Samples the daemon's VmRSS every 100 ms; keeps the peak. */
  static final class RssSampler {
    private final Sandbox sandbox;
    private volatile boolean running = true;
    volatile double peakRss;
    private Thread thread;

    RssSampler(Sandbox sandbox) {
      this.sandbox = sandbox;
    }

    void start() {
      thread = new Thread(() -> {
        while (running) {
          try {
            peakRss = Math.max(peakRss, sandbox.daemonRssMiB()[0]);
            Thread.sleep(100);
          } catch (Exception e) {
            return;
          }
        }
      }, "rss-sampler");
      thread.setDaemon(true);
      thread.start();
    }

    void stop() throws InterruptedException {
      running = false;
      thread.join();
    }
  }

  private static final Pattern ACCESS_TOKEN = Pattern.compile("\"accessToken\"\\s*:\\s*\"([^\"]+)\"");

  /** The portal access token the daemon cached (the same file the AWS SDKs read), for the no-daemon baseline. */
  private static String cachedAccessToken(Sandbox sandbox) throws IOException {
    try (Stream<Path> files = Files.list(sandbox.dir.resolve("cache/atmos/aws-sso/sessions"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".json")).toList()) {
        Matcher m = ACCESS_TOKEN.matcher(Files.readString(file));
        if (m.find()) {
          return m.group(1);
        }
      }
    }
    throw new IllegalStateException("no cached access token");
  }

  static String load() {
    try {
      String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return parts[0] + " " + parts[1] + " " + parts[2];
    } catch (IOException e) {
      return "?";
    }
  }
}
