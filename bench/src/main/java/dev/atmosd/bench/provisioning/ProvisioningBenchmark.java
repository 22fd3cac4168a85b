package dev.atmosd.bench.provisioning;

import dev.atmosd.daemon.aws.AwsClients;
import dev.atmosd.daemon.aws.AwsEndpoints;
import dev.atmosd.daemon.config.ProviderConfig;
import dev.atmosd.daemon.files.DaemonPaths;
import dev.atmosd.daemon.provisioning.DiscoveryCounters;
import dev.atmosd.daemon.provisioning.IdentityDiscovery;
import dev.atmosd.daemon.provisioning.IdentityProvisioner;
import dev.atmosd.daemon.provisioning.ProvisioningResult;
import dev.atmosd.daemon.session.AccessToken;
import dev.atmosd.daemon.session.SessionRegistry;
import dev.atmosd.daemon.session.SignInObserver;
import dev.atmosd.emulator.SsoEmulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.services.sso.SsoClient;
import software.amazon.awssdk.services.sso.model.AccountInfo;
import software.amazon.awssdk.services.sso.model.ListAccountRolesResponse;
import software.amazon.awssdk.services.sso.model.ListAccountsResponse;

/**
 * Discovery of a portal's identities, atmosd's {@link IdentityDiscovery} (bounded parallel workers, one adaptive
 * rate limiter, its own backoff) against the serial approach of atmos and aws-sso-util (one account at a time,
 * the SDK's standard retries), in the same run, against the emulator with 50 ms latency on every portal call and a
 * ListAccountRoles rate limit of 20 requests/s. Prints a Markdown table: median (min–max) wall time, identities
 * found, API calls and 429s.
 *
 * <p>Usage: {@code bench/run-provisioning.sh} (or this class's main with the bench classpath). Arguments, all
 * optional: {@code runsSmall runsLarge runsUnthrottled}, defaults 5, 2 and 1.
 */
public final class ProvisioningBenchmark {
  private static final String START_URL = "https://d-0000000000.awsapps.com/start";
  private static final String REGION = "us-east-1";
  private static final Duration LATENCY = Duration.ofMillis(50);
  private static final double ROLES_RATE_LIMIT = 20;

  record Scenario(String name, int accounts, int rolesPerAccount, Duration latency, int runs) {}

  record Run(String approach, Duration took, int identities, long listAccountsCalls, long listRolesCalls, long throttled,
      int failedAccounts) {}

  public static void main(String[] args) throws Exception {
    // The SDK and HTTP client log every request at DEBUG under logback's default setup; the table is what matters.
    ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
        .setLevel(ch.qos.logback.classic.Level.WARN);
    int runsSmall = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    int runsLarge = args.length > 1 ? Integer.parseInt(args[1]) : 2;
    int runsUnthrottled = args.length > 2 ? Integer.parseInt(args[2]) : 1;
    List<Scenario> scenarios = List.of(
        new Scenario("12 accounts × 4 roles", 12, 4, LATENCY, runsSmall),
        new Scenario("1,000 accounts × 3 roles", 1000, 3, LATENCY, runsLarge),
        // No latency: nothing holds a serial client below the limit, so this is where 429s (and losses) show.
        new Scenario("300 accounts × 3 roles, 0 ms latency", 300, 3, Duration.ZERO, runsUnthrottled));
    System.out.printf(Locale.ROOT, "machine: %d cores, %s, Java %s (%s)%n", Runtime.getRuntime().availableProcessors(),
        System.getProperty("os.name") + " " + System.getProperty("os.arch"), System.getProperty("java.version"),
        System.getProperty("java.vm.name"));
    System.out.printf(Locale.ROOT, "emulator: %d ms latency (unless the scenario says otherwise) on ListAccounts and"
        + " ListAccountRoles, ListAccountRoles limited to %.0f req/s%n%n", LATENCY.toMillis(), ROLES_RATE_LIMIT);
    List<String> rows = new ArrayList<>();
    for (Scenario scenario : scenarios) {
      if (scenario.runs() > 0) {
        rows.addAll(run(scenario));
      }
    }
    System.out.println();
    System.out.println("| scenario | approach | runs | wall time median (min–max) | identities found | ListAccounts calls | ListAccountRoles calls | 429s | accounts failed |");
    System.out.println("|---|---|---|---|---|---|---|---|---|");
    rows.forEach(System.out::println);
    System.exit(0);
  }

  private static List<String> run(Scenario scenario) throws Exception {
    Path dir = Files.createTempDirectory("atmosd-bench-prov");
    SsoEmulator emulator = SsoEmulator.builder().autoApprove(true).build();
    emulator.start();
    AwsClients aws = new AwsClients();
    SessionRegistry sessions = SessionRegistry.create(aws, new DaemonPaths(dir.resolve("sessions"), dir.resolve("state")),
        Clock.systemUTC());
    try {
      emulator.addAccounts(scenario.accounts(), scenario.rolesPerAccount());
      ProviderConfig provider = new ProviderConfig("bench-sso", ProviderConfig.KIND_IDENTITY_CENTER, START_URL, REGION,
          false, false, new AwsEndpoints(emulator.endpoint(), emulator.endpoint(), emulator.endpoint()),
          ProviderConfig.ProvisioningSettings.DEFAULT);
      AccessToken token = sessions.accessToken(provider, SignInObserver.NOBODY).get(60, TimeUnit.SECONDS);
      emulator.faults().latency("ListAccounts", scenario.latency());
      emulator.faults().latency("ListAccountRoles", scenario.latency());
      emulator.faults().rateLimit("ListAccountRoles", ROLES_RATE_LIMIT);

      int expected = scenario.accounts() * scenario.rolesPerAccount();
      List<Run> parallel = new ArrayList<>();
      List<Run> serial = new ArrayList<>();
      for (int i = 1; i <= scenario.runs(); i++) {
        quiet(); // let the portal's bucket refill so every run starts alike
        parallel.add(parallel(emulator, aws, sessions, provider, dir.resolve("run-" + i)));
        report(scenario, i, parallel.get(parallel.size() - 1), expected);
        quiet();
        serial.add(serial(emulator, aws, provider, token));
        report(scenario, i, serial.get(serial.size() - 1), expected);
      }
      return List.of(row(scenario, parallel, expected), row(scenario, serial, expected));
    } finally {
      sessions.close();
      aws.close();
      emulator.close();
    }
  }

  /** atmosd: a fresh IdentityDiscovery (so no rate learnt in an earlier run), default tuning and parallelism 8. */
  private static Run parallel(SsoEmulator emulator, AwsClients aws, SessionRegistry sessions, ProviderConfig provider,
      Path dir) throws Exception {
    long accountsBefore = emulator.calls("ListAccounts");
    long rolesBefore = emulator.calls("ListAccountRoles");
    try (IdentityDiscovery discovery = IdentityDiscovery.create(aws, new DaemonPaths(dir, dir), sessions, Clock.systemUTC())) {
      long start = System.nanoTime();
      ProvisioningResult result = discovery.provision(provider, IdentityProvisioner.ProvisioningObserver.NOBODY)
          .get(10, TimeUnit.MINUTES);
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      DiscoveryCounters counters = discovery.counters();
      int failed = (int) result.warnings().stream().filter(w -> w.startsWith("could not list the permission sets")).count();
      return new Run("atmosd IdentityDiscovery (8 workers, adaptive)", took, result.identities(),
          emulator.calls("ListAccounts") - accountsBefore, emulator.calls("ListAccountRoles") - rolesBefore,
          counters.throttled(), failed);
    }
  }

  /** What atmos and aws-sso-util do: every page of ListAccounts, then each account's roles in turn, SDK retries. */
  private static Run serial(SsoEmulator emulator, AwsClients aws, ProviderConfig provider, AccessToken token) {
    long accountsBefore = emulator.calls("ListAccounts");
    long rolesBefore = emulator.calls("ListAccountRoles");
    SsoClient sso = aws.sso(provider.endpoints(), provider.region(), AwsClients.Retries.SDK_STANDARD);
    long start = System.nanoTime();
    List<String> accountIds = new ArrayList<>();
    String next = null;
    do {
      String page = next;
      ListAccountsResponse response = sso.listAccounts(r -> r.accessToken(token.value()).nextToken(page));
      response.accountList().stream().map(AccountInfo::accountId).forEach(accountIds::add);
      next = response.nextToken();
    } while (next != null);
    int identities = 0;
    int failed = 0;
    long rolePagesOk = 0;
    for (String accountId : accountIds) {
      try {
        String rolesNext = null;
        int found = 0;
        do {
          String page = rolesNext;
          ListAccountRolesResponse response = sso.listAccountRoles(
              r -> r.accessToken(token.value()).accountId(accountId).nextToken(page));
          rolePagesOk++;
          found += response.roleList().size();
          rolesNext = response.nextToken();
        } while (rolesNext != null);
        identities += found;
      } catch (RuntimeException e) {
        failed++; // atmos: log.Warn("Failed to list roles for account, skipping") and go on
      }
    }
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    long roleCalls = emulator.calls("ListAccountRoles") - rolesBefore;
    return new Run("serial, SDK standard retries (atmos, aws-sso-util)", took, identities,
        emulator.calls("ListAccounts") - accountsBefore, roleCalls, roleCalls - rolePagesOk, failed);
  }

  private static void report(Scenario scenario, int i, Run run, int expected) {
    System.out.printf(Locale.ROOT, "%s, run %d, %s: %.2f s, %d/%d identities, %d+%d calls, %d 429s, %d accounts failed%n",
        scenario.name(), i, run.approach(), run.took().toMillis() / 1000.0, run.identities(), expected,
        run.listAccountsCalls(), run.listRolesCalls(), run.throttled(), run.failedAccounts());
  }

  private static String row(Scenario scenario, List<Run> runs, int expected) {
    List<Run> byTime = runs.stream().sorted(Comparator.comparing(Run::took)).toList();
    double median = median(byTime.stream().mapToDouble(r -> r.took().toMillis() / 1000.0).toArray());
    return String.format(Locale.ROOT, "| %s | %s | %d | %.2f s (%.2f–%.2f) | %s of %d | %s | %s | %s | %s |",
        scenario.name(), runs.get(0).approach(), runs.size(), median,
        byTime.get(0).took().toMillis() / 1000.0, byTime.get(byTime.size() - 1).took().toMillis() / 1000.0,
        span(runs.stream().mapToLong(Run::identities).toArray()), expected,
        span(runs.stream().mapToLong(Run::listAccountsCalls).toArray()),
        span(runs.stream().mapToLong(Run::listRolesCalls).toArray()),
        span(runs.stream().mapToLong(Run::throttled).toArray()),
        span(runs.stream().mapToLong(Run::failedAccounts).toArray()));
  }

  private static double median(double[] sorted) {
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  /** "7" when every run saw 7, else "min–max". */
  private static String span(long[] values) {
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    for (long v : values) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    return min == max ? Long.toString(min) : min + "–" + max;
  }

  private static void quiet() throws InterruptedException {
    Thread.sleep(1500);
  }

  private ProvisioningBenchmark() {}
}
