package dev.atmosd.daemon.credentials;

import dev.atmosd.daemon.aws.AwsClients;
import dev.atmosd.daemon.files.DaemonPaths;
import dev.atmosd.daemon.session.SessionRegistry;
import dev.atmosd.daemon.session.SignInObserver;
import dev.atmosd.emulator.SsoEmulator;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The real parts a broker test needs: the emulator over HTTP, the real AWS SDK clients, the real session engine
 * on a temp cache dir (the emulator approves device codes at once), and a broker over them. Closes what it made.
 */
public final class BrokerFixture implements AutoCloseable {
  public static final String ADMIN = "AdministratorAccess";
  public static final String DEV_ACCOUNT = "111111111111";
  public static final String PROD_ACCOUNT = "222222222222";

  public final SsoEmulator emulator;
  public final AwsClients aws = new AwsClients(Duration.ofSeconds(2), Duration.ofSeconds(10), 64);
  public final DaemonPaths paths;
  public final SessionRegistry sessions;
  public final CredentialBroker broker;
  private final List<AutoCloseable> opened = new ArrayList<>();

  public BrokerFixture(Path dir) {
    this(dir, SsoEmulator.builder().autoApprove(true), Clock.systemUTC());
  }

  public BrokerFixture(Path dir, SsoEmulator.Builder emulator, Clock clock) {
    this.emulator = emulator.autoApprove(true).build().start();
    this.emulator.addAccount(DEV_ACCOUNT, "dev", "dev@example.com", ADMIN, "ReadOnlyAccess");
    this.emulator.addAccount(PROD_ACCOUNT, "prod", "prod@example.com", "ReadOnlyAccess");
    this.paths = new DaemonPaths(dir.resolve("cache"), dir.resolve("state"));
    this.sessions = SessionRegistry.create(aws, paths, clock);
    this.broker = CredentialBroker.create(aws, sessions, clock);
    opened.add(this.emulator);
    opened.add(aws);
    opened.add(sessions);
    opened.add(broker);
  }

  /** A config whose provider {@code company-sso} points at the emulator. */
  public ConfigFixtures config(Path source) {
    return new ConfigFixtures(source).provider("company-sso", emulator.endpoint());
  }

  public MintedCredentials credentials(dev.atmosd.daemon.config.AtmosConfig config, String identity) {
    return broker.credentials(config, identity, SignInObserver.NOBODY).join();
  }

  @Override
  public void close() throws Exception {
    for (int i = opened.size() - 1; i >= 0; i--) {
      opened.get(i).close();
    }
  }
}
