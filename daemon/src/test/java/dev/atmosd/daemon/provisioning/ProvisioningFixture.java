package dev.atmosd.daemon.provisioning;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.atmosd.daemon.aws.AwsClients;
import dev.atmosd.daemon.aws.AwsEndpoints;
import dev.atmosd.daemon.config.ProviderConfig;
import dev.atmosd.daemon.config.ProviderConfig.ProvisioningSettings;
import dev.atmosd.daemon.files.DaemonPaths;
import dev.atmosd.daemon.session.AccessToken;
import dev.atmosd.daemon.session.SessionRegistry;
import dev.atmosd.daemon.session.SignInObserver;
import dev.atmosd.emulator.SsoEmulator;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The real parts a discovery test needs: the emulator over HTTP, the real AWS SDK, the real session engine (which
 * signs in through the emulator's auto-approved device flow), a temp cache dir, and the discovery under test with
 * retry delays shrunk to milliseconds so fault tests stay fast. Closes everything it made.
 */
final class ProvisioningFixture implements AutoCloseable {
  static final String START_URL = "https://d-9999999999.awsapps.com/start";
  static final String REGION = "eu-west-1";
  /** DEFAULTS with millisecond backoff and a rate budget well above what a test emulator answers. */
  static final DiscoveryTuning FAST =
      new DiscoveryTuning(32, 10, Duration.ofMillis(1), Duration.ofMillis(20), 2000, 200, 2000, 100, 200);

  final SsoEmulator emulator;
  final DaemonPaths paths;
  final AwsClients aws = new AwsClients(Duration.ofSeconds(2), Duration.ofSeconds(10), 64);
  final SessionRegistry sessions;
  final IdentityDiscovery discovery;

  ProvisioningFixture(Path dir) {
    this(dir, FAST);
  }

  ProvisioningFixture(Path dir, DiscoveryTuning tuning) {
    emulator = SsoEmulator.builder().autoApprove(true).build();
    emulator.start();
    paths = new DaemonPaths(dir.resolve("cache"), dir.resolve("state"));
    sessions = SessionRegistry.create(aws, paths, Clock.systemUTC());
    discovery = IdentityDiscovery.create(aws, paths, sessions, Clock.systemUTC(), tuning);
  }

  /** A provider discovered on demand only, so a test's sign-in does not start a discovery of its own. */
  ProviderConfig provider() {
    return provider("company-sso", 8, Duration.ofHours(1), false);
  }

  ProviderConfig provider(int parallelism) {
    return provider("company-sso", parallelism, Duration.ofHours(1), false);
  }

  ProviderConfig provider(String name, int parallelism, Duration interval, boolean autoProvision) {
    return new ProviderConfig(name, ProviderConfig.KIND_IDENTITY_CENTER, START_URL, REGION, autoProvision, false,
        new AwsEndpoints(emulator.endpoint(), emulator.endpoint(), emulator.endpoint()),
        new ProvisioningSettings(interval, parallelism));
  }

  /** Signs in for real (device flow, auto-approved) so later provisions find a session. */
  AccessToken signIn(ProviderConfig provider) throws Exception {
    return sessions.accessToken(provider, SignInObserver.NOBODY).get(30, TimeUnit.SECONDS);
  }

  ProvisioningResult provision(ProviderConfig provider) throws Exception {
    return discovery.provision(provider, IdentityProvisioner.ProvisioningObserver.NOBODY).get(60, TimeUnit.SECONDS);
  }

  Path file(ProviderConfig provider) {
    return paths.provisionedIdentitiesFile(provider.name());
  }

  JsonNode identitiesInFile(ProviderConfig provider) throws Exception {
    return new YAMLMapper().readTree(file(provider).toFile()).path("auth").path("identities");
  }

  @Override
  public void close() {
    discovery.close();
    sessions.close();
    aws.close();
    emulator.close();
  }
}
