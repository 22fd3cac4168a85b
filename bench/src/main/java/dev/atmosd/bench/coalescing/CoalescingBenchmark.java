package dev.atmosd.bench.coalescing;

import dev.atmosd.bench.support.Sandbox;
import dev.atmosd.bench.support.Stats;
import dev.atmosd.emulator.SsoEmulator;
import dev.atmosd.v1.AuthEvent;
import dev.atmosd.v1.IdentitiesGrpc;
import dev.atmosd.v1.IdentityRequest;
import dev.atmosd.v1.LogoutRequest;
import dev.atmosd.v1.SessionsGrpc;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sso.SsoClient;
import software.amazon.awssdk.services.ssooidc.SsoOidcClient;
import software.amazon.awssdk.services.ssooidc.model.AuthorizationPendingException;
import software.amazon.awssdk.services.ssooidc.model.CreateTokenResponse;
import software.amazon.awssdk.services.ssooidc.model.RegisterClientResponse;
import software.amazon.awssdk.services.ssooidc.model.SlowDownException;
import software.amazon.awssdk.services.ssooidc.model.StartDeviceAuthorizationResponse;

/**
 * N clients that all need credentials for one portal with no session, at once.
 *
 * <ul>
 *   <li><b>atmosd, CLI processes</b>: N real {@code atmos auth credential-process --identity bench/Admin} processes
 *       (CI=1: none opens a browser) against one daemon started from the packaged {@code bin/atmosd}. Once every
 *       process has printed the user code on stderr, the harness approves it at the emulator (the user's one click)
 *       and times how long until the last process has written its credentials JSON to stdout.</li>
 *   <li><b>atmosd, gRPC streams</b>: N concurrent {@code GetCredentials} streams from this JVM (what N CLI processes
 *       send, without N JVMs), same approval and timing.</li>
 *   <li><b>independent sign-ins</b>: what the AWS CLI and Go atmos do per process: every client registers, starts its
 *       own device authorization, polls CreateToken at the portal's interval, then calls GetRoleCredentials (the
 *       AWS SDK for Java, N threads in this JVM). All N codes are approved at once (in reality: N browser
 *       approvals).</li>
 * </ul>
 * Counts StartDeviceAuthorization (device flows) and GetRoleCredentials at the emulator for each run.
 *
 * <p>Every run starts with no portal session (Logout all) and an identity never used before (the daemon keeps role
 * credentials it minted across a logout, so reusing one identity would skip the sign-in).
 *
 * <p>Usage: {@code bench/run-coalescing.sh [runs] [clientCounts]}, e.g. {@code 3 1,20,200}. CLI processes are run only
 * for counts up to {@code -Dbench.maxProcesses} (default 20).
 */
public final class CoalescingBenchmark {
  private static final Pattern USER_CODE = Pattern.compile("[A-Z0-9]{4}-[A-Z0-9]{4}");

  record Run(int deviceFlows, long roleCredentialCalls, double approvalToLastMs, double approvalToFirstMs, int ok) {}

  public static void main(String[] args) throws Exception {
    ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
        .setLevel(ch.qos.logback.classic.Level.WARN);
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    List<Integer> counts = new ArrayList<>();
    for (String c : (args.length > 1 ? args[1] : "1,20,200").split(",")) {
      counts.add(Integer.parseInt(c.strip()));
    }
    int maxProcesses = Integer.getInteger("bench.maxProcesses", 20);
    System.out.printf(Locale.ROOT, "machine: %d cores, Java %s (harness); load %s%n",
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), load());

    Map<String, List<Run>> results = new LinkedHashMap<>();
    try (SsoEmulator emulator = SsoEmulator.builder().autoApprove(false).build().start()) {
      emulator.addAccount(Sandbox.ACCOUNT_ID, "bench", "bench@example.com", "AdministratorAccess");
      int fresh = runs * counts.size() * 2;
      for (int i = 1; i <= fresh; i++) {
        emulator.addAccount(Sandbox.freshAccount(i), "fresh-" + i, "fresh" + i + "@example.com", "AdministratorAccess");
      }
      try (Sandbox sandbox = Sandbox.create(emulator.endpoint(), false, fresh)) {
        int next = 0;
        var info = sandbox.startDaemon();
        System.out.printf(Locale.ROOT, "daemon: pid %d, java %s, flags %s%n", info.getPid(), info.getJavaVersion(),
            sandbox.daemonJvmFlags());
        ManagedChannel control = sandbox.channel();
        for (int run = 1; run <= runs; run++) {
          for (int n : counts) {
            if (n <= maxProcesses) {
              logout(sandbox, control);
              results.computeIfAbsent("atmosd, " + n + " CLI processes", k -> new ArrayList<>())
                  .add(report("cli", n, run, cliProcesses(sandbox, emulator, n, Sandbox.freshIdentity(++next))));
            }
            logout(sandbox, control);
            results.computeIfAbsent("atmosd, " + n + " gRPC streams (one JVM)", k -> new ArrayList<>())
                .add(report("grpc", n, run, grpcStreams(sandbox, emulator, n, Sandbox.freshIdentity(++next))));
            results.computeIfAbsent("independent sign-ins, " + n + " SDK device flows", k -> new ArrayList<>())
                .add(report("independent", n, run, independent(emulator, n)));
          }
        }
        logout(sandbox, control);
        control.shutdownNow();
      }
    }
    System.out.println();
    System.out.println("| clients | approach | runs | device flows started (per run) | GetRoleCredentials calls "
        + "(per run) | approval → last client has credentials, ms: median (min–max) | approval → first, ms |");
    System.out.println("|---|---|---|---|---|---|---|");
    results.forEach((name, list) -> System.out.printf(Locale.ROOT, "| %s | %s | %d | %s | %s | %s | %s |%n",
        name.replaceAll("\\D*(\\d+).*", "$1"), name.replaceAll(", \\d+ ", ", "), list.size(),
        distinct(list.stream().map(r -> (double) r.deviceFlows()).toList()),
        distinct(list.stream().map(r -> (double) r.roleCredentialCalls()).toList()),
        Stats.medianMinMax(list.stream().map(Run::approvalToLastMs).toList(), "%.0f"),
        Stats.medianMinMax(list.stream().map(Run::approvalToFirstMs).toList(), "%.0f")));
    System.out.println("load after: " + load());
    System.exit(0);
  }

  private static String distinct(List<Double> values) {
    return values.stream().map(v -> String.format(Locale.ROOT, "%.0f", v)).distinct()
        .reduce((a, b) -> a + ", " + b).orElse("–");
  }

  private static Run report(String what, int n, int run, Run r) {
    System.out.printf(Locale.ROOT, "run %d %-12s n=%-4d device flows %d, GetRoleCredentials %d, approval→last %.0f ms,"
            + " →first %.0f ms, ok %d/%d, load %s%n", run, what, n, r.deviceFlows(), r.roleCredentialCalls(),
        r.approvalToLastMs(), r.approvalToFirstMs(), r.ok(), n, load());
    if (r.ok() != n) {
      throw new IllegalStateException(what + ": only " + r.ok() + " of " + n + " clients got credentials");
    }
    return r;
  }

  /** Signs out everywhere so the next round starts with no session and no cached credentials. */
  private static void logout(Sandbox sandbox, ManagedChannel channel) {
    SessionsGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS).logout(LogoutRequest.newBuilder()
        .setAll(true).build());
  }

  private static Run cliProcesses(Sandbox sandbox, SsoEmulator emulator, int n, String identity) throws Exception {
    emulator.resetCounters();
    CountDownLatch waiting = new CountDownLatch(n);
    CountDownLatch done = new CountDownLatch(n);
    ConcurrentLinkedQueue<Long> credentialTimes = new ConcurrentLinkedQueue<>();
    List<Process> processes = new ArrayList<>();
    ExecutorService readers = Executors.newCachedThreadPool();
    for (int i = 0; i < n; i++) {
      ProcessBuilder pb = new ProcessBuilder(sandbox.dist.resolve("bin/atmos").toString(), "auth",
          "credential-process", "--identity", identity);
      pb.environment().clear();
      pb.environment().putAll(sandbox.env());
      pb.directory(sandbox.dir.resolve("work").toFile());
      Process p = pb.start();
      processes.add(p);
      readers.submit(() -> {
        readUntil(p.getErrorStream(), waiting);
        return null;
      });
      readers.submit(() -> {
        InputStream out = p.getInputStream();
        int first = out.read();
        if (first >= 0) {
          credentialTimes.add(System.nanoTime());
          out.readAllBytes();
        }
        done.countDown();
        return null;
      });
    }
    if (!waiting.await(180, TimeUnit.SECONDS)) {
      throw new IllegalStateException("not every CLI printed a user code within 180 s (" + waiting.getCount()
          + " missing)");
    }
    long approved = approve(emulator);
    done.await(120, TimeUnit.SECONDS);
    for (Process p : processes) {
      p.waitFor(30, TimeUnit.SECONDS);
    }
    readers.shutdownNow();
    int ok = (int) processes.stream().filter(p -> !p.isAlive() && p.exitValue() == 0).count();
    return result(emulator, approved, credentialTimes, ok);
  }

  /** Reads a CLI's stderr; counts the latch down once the user code shows, then drains the rest. */
  private static void readUntil(InputStream err, CountDownLatch waiting) throws IOException {
    BufferedReader reader = new BufferedReader(new InputStreamReader(err, StandardCharsets.UTF_8));
    boolean seen = false;
    for (String line; (line = reader.readLine()) != null; ) {
      if (!seen && USER_CODE.matcher(line).find()) {
        seen = true;
        waiting.countDown();
      }
    }
  }

  private static long approve(SsoEmulator emulator) {
    List<String> pending = emulator.pendingUserCodes();
    long approved = System.nanoTime();
    emulator.approveAllPending();
    if (pending.isEmpty()) {
      throw new IllegalStateException("nothing to approve");
    }
    return approved;
  }

  private static Run result(SsoEmulator emulator, long approved, ConcurrentLinkedQueue<Long> times, int ok) {
    long last = times.stream().mapToLong(Long::longValue).max().orElse(approved);
    long first = times.stream().mapToLong(Long::longValue).min().orElse(approved);
    return new Run((int) emulator.calls("StartDeviceAuthorization"), emulator.calls("GetRoleCredentials"),
        (last - approved) / 1e6, (first - approved) / 1e6, ok);
  }

  private static Run grpcStreams(Sandbox sandbox, SsoEmulator emulator, int n, String identity) throws Exception {
    emulator.resetCounters();
    CountDownLatch waiting = new CountDownLatch(n);
    CountDownLatch done = new CountDownLatch(n);
    ConcurrentLinkedQueue<Long> times = new ConcurrentLinkedQueue<>();
    AtomicInteger ok = new AtomicInteger();
    // A few connections, as separate processes would have separate ones (HTTP/2 allows 100+ streams on each).
    int channels = Math.max(1, Math.min(n, 8));
    List<ManagedChannel> pool = new ArrayList<>();
    for (int i = 0; i < channels; i++) {
      pool.add(sandbox.channel());
    }
    IdentityRequest request = IdentityRequest.newBuilder().setContext(sandbox.context("auth credential-process"))
        .setIdentity(identity).build();
    for (int i = 0; i < n; i++) {
      IdentitiesGrpc.newStub(pool.get(i % channels)).withDeadlineAfter(10, TimeUnit.MINUTES)
          .getCredentials(request, new StreamObserver<>() {
            boolean prompted;

            @Override
            public void onNext(AuthEvent event) {
              if (event.hasDeviceAuthorization() && !prompted) {
                prompted = true;
                waiting.countDown();
              } else if (event.hasCredentials()) {
                times.add(System.nanoTime());
                ok.incrementAndGet();
              }
            }

            @Override
            public void onError(Throwable t) {
              System.err.println("stream failed: " + t);
              done.countDown();
            }

            @Override
            public void onCompleted() {
              done.countDown();
            }
          });
    }
    if (!waiting.await(120, TimeUnit.SECONDS)) {
      throw new IllegalStateException((waiting.getCount()) + " streams saw no device authorization within 120 s");
    }
    long approved = approve(emulator);
    done.await(120, TimeUnit.SECONDS);
    pool.forEach(ManagedChannel::shutdownNow);
    return result(emulator, approved, times, ok.get());
  }

  /** N clients that each run their own device flow with the AWS SDK, as N AWS CLI / Go atmos processes would. */
  private static Run independent(SsoEmulator emulator, int n) throws Exception {
    emulator.resetCounters();
    SdkHttpClient http = ApacheHttpClient.builder().maxConnections(Math.max(n, 10)).build();
    SsoOidcClient oidc = SsoOidcClient.builder().region(Region.of(Sandbox.REGION)).httpClient(http)
        .credentialsProvider(AnonymousCredentialsProvider.create()).endpointOverride(emulator.endpoint()).build();
    SsoClient sso = SsoClient.builder().region(Region.of(Sandbox.REGION)).httpClient(http)
        .credentialsProvider(AnonymousCredentialsProvider.create()).endpointOverride(emulator.endpoint()).build();
    ExecutorService pool = Executors.newFixedThreadPool(n);
    ConcurrentLinkedQueue<Long> times = new ConcurrentLinkedQueue<>();
    AtomicInteger ok = new AtomicInteger();
    AtomicLong approvedAt = new AtomicLong();
    CountDownLatch done = new CountDownLatch(n);
    for (int i = 0; i < n; i++) {
      pool.submit(() -> {
        try {
          RegisterClientResponse reg = oidc.registerClient(r -> r.clientName("bench-independent").clientType("public")
              .scopes("sso:account:access"));
          StartDeviceAuthorizationResponse auth = oidc.startDeviceAuthorization(r -> r.clientId(reg.clientId())
              .clientSecret(reg.clientSecret()).startUrl(Sandbox.START_URL));
          long interval = Math.max(1, auth.interval() == null ? 5 : auth.interval()) * 1000L;
          CreateTokenResponse token = null;
          while (token == null) {
            Thread.sleep(interval);
            try {
              token = oidc.createToken(r -> r.clientId(reg.clientId()).clientSecret(reg.clientSecret())
                  .grantType("urn:ietf:params:oauth:grant-type:device_code").deviceCode(auth.deviceCode()));
            } catch (AuthorizationPendingException pending) {
              // keep polling
            } catch (SlowDownException slow) {
              interval += 5000;
            }
          }
          String accessToken = token.accessToken();
          sso.getRoleCredentials(r -> r.accessToken(accessToken).accountId(Sandbox.ACCOUNT_ID)
              .roleName("AdministratorAccess"));
          times.add(System.nanoTime());
          ok.incrementAndGet();
        } catch (Exception e) {
          System.err.println("independent sign-in failed: " + e);
        } finally {
          done.countDown();
        }
        return null;
      });
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (emulator.pendingUserCodes().size() < n && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    approvedAt.set(approve(emulator));
    done.await(180, TimeUnit.SECONDS);
    pool.shutdownNow();
    oidc.close();
    sso.close();
    http.close();
    return result(emulator, approvedAt.get(), times, ok.get());
  }

  static String load() {
    try {
      String[] parts = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ");
      return parts[0] + " " + parts[1] + " " + parts[2];
    } catch (IOException e) {
      return "?";
    }
  }
}
