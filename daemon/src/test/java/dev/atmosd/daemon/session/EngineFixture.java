package dev.atmosd.daemon.session;

import dev.atmosd.daemon.aws.AwsClients;
import dev.atmosd.daemon.aws.AwsEndpoints;
import dev.atmosd.daemon.config.ProviderConfig;
import dev.atmosd.daemon.files.DaemonPaths;
import dev.atmosd.emulator.SsoEmulator;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * The real parts a session-engine test needs: the emulator over HTTP, the real AWS SDK clients, a temp cache dir,
 * and registries over them (several, to simulate daemon restarts). Closes everything it made.
 */
final class EngineFixture implements AutoCloseable {
  static final String START_URL = "https://d-1234567890.awsapps.com/start";
  static final String REGION = "us-east-1";

  final SsoEmulator emulator;
  final DaemonPaths paths;
  final AwsClients aws = new AwsClients(Duration.ofSeconds(2), Duration.ofSeconds(10), 64);
  private final List<AutoCloseable> opened = new ArrayList<>();

  EngineFixture(SsoEmulator emulator, Path dir) {
    this.emulator = emulator;
    this.paths = new DaemonPaths(dir.resolve("cache"), dir.resolve("state"));
  }

  ProviderConfig provider(String name) {
    return provider(name, emulator.endpoint());
  }

  static ProviderConfig provider(String name, URI endpoint) {
    return new ProviderConfig(name, ProviderConfig.KIND_IDENTITY_CENTER, START_URL, REGION, false, false,
        new AwsEndpoints(endpoint, endpoint, endpoint), ProviderConfig.ProvisioningSettings.DEFAULT);
  }

  SessionRegistry registry() {
    return registry(Clock.systemUTC());
  }

  SessionRegistry registry(Clock clock) {
    SessionRegistry registry = SessionRegistry.create(aws, paths, clock);
    opened.add(registry);
    return registry;
  }

  /** A registry on a scheduler the test can inspect, with a custom refresh schedule. */
  SessionRegistry registry(Clock clock, ScheduledThreadPoolExecutor scheduler, RefreshSchedule schedule) {
    return registry(clock, scheduler, schedule, SessionRegistry.DEFAULT_SIGN_IN_GRACE);
  }

  /** ... and a custom grace period for device flows no client waits on any more. */
  SessionRegistry registry(Clock clock, ScheduledThreadPoolExecutor scheduler, RefreshSchedule schedule,
      Duration signInGrace) {
    SessionRegistry registry = new SessionRegistry(aws, paths, clock, scheduler, false, schedule, signInGrace);
    opened.add(registry);
    opened.add(scheduler::shutdownNow);
    return registry;
  }

  Path sessionFile() {
    return paths.sessionFile(PortalKey.of(START_URL, REGION));
  }

  long calls(String operation) {
    return emulator.calls(operation);
  }

  static ScheduledThreadPoolExecutor inspectableScheduler() {
    ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(2, runnable -> {
      Thread thread = new Thread(runnable, "test-session-timer");
      thread.setDaemon(true);
      return thread;
    });
    scheduler.setRemoveOnCancelPolicy(true);
    return scheduler;
  }

  @Override
  public void close() throws Exception {
    for (int i = opened.size() - 1; i >= 0; i--) {
      opened.get(i).close();
    }
    aws.close();
    emulator.close();
  }
}
