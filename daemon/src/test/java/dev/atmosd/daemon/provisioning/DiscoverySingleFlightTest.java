package dev.atmosd.daemon.provisioning;

import dev.atmosd.daemon.config.ProvisionedIdentity;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.atmosd.daemon.config.ProviderConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Callers share one discovery per provider; a caller that leaves stops nothing. */
class DiscoverySingleFlightTest {
  @TempDir Path dir;
  private ProvisioningFixture f;

  @AfterEach
  void close() {
    if (f != null) {
      f.close();
    }
  }

  @Test
  void aSecondCallerJoinsTheDiscoveryInFlightAndGetsEverything() throws Exception {
    f = new ProvisioningFixture(dir);
    f.emulator.addAccounts(12, 4);
    ProviderConfig provider = f.provider();
    f.signIn(provider);
    CountDownLatch firstIdentitySeen = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    RecordingDiscoveryObserver first = new RecordingDiscoveryObserver() {
      @Override
      public void onIdentity(ProvisionedIdentity identity, int accountsDone, int accountsTotal) {
        super.onIdentity(identity, accountsDone, accountsTotal);
        firstIdentitySeen.countDown();
        try {
          release.await(); // holds the discovery open until the second caller has joined
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    };
    RecordingDiscoveryObserver second = new RecordingDiscoveryObserver();

    CompletableFuture<ProvisioningResult> firstResult = f.discovery.provision(provider, first);
    assertThat(firstIdentitySeen.await(30, TimeUnit.SECONDS)).isTrue();
    CompletableFuture<ProvisioningResult> secondResult = f.discovery.provision(provider, second);
    assertThat(second.identities).isNotEmpty(); // what was already found came at once
    release.countDown();

    ProvisioningResult a = firstResult.get(60, TimeUnit.SECONDS);
    ProvisioningResult b = secondResult.get(60, TimeUnit.SECONDS);
    assertThat(b).isEqualTo(a);
    assertThat(a.identities()).isEqualTo(48);
    assertThat(first.identities).hasSize(48);
    assertThat(second.identities).hasSize(48);
    assertThat(second.names()).containsExactlyInAnyOrderElementsOf(first.names());
    assertThat(f.emulator.calls("ListAccounts")).isEqualTo(1);
    assertThat(f.emulator.calls("ListAccountRoles")).isEqualTo(12);
    assertThat(f.discovery.counters().discoveries()).isEqualTo(1);
  }

  @Test
  void aCallerThatGoesAwayDoesNotStopTheDiscovery() throws Exception {
    f = new ProvisioningFixture(dir);
    f.emulator.addAccounts(12, 4);
    ProviderConfig provider = f.provider();
    f.signIn(provider);
    IdentityProvisioner.ProvisioningObserver cancelled = new IdentityProvisioner.ProvisioningObserver() {
      @Override
      public void onIdentity(ProvisionedIdentity identity, int accountsDone, int accountsTotal) {
        throw new IllegalStateException("CANCELLED: call already cancelled"); // what a dead gRPC stream does
      }
    };

    CompletableFuture<ProvisioningResult> result = f.discovery.provision(provider, cancelled);
    result.cancel(true);

    await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(f.file(provider))
        && f.identitiesInFile(provider).size() == 48);
    assertThat(f.emulator.calls("ListAccountRoles")).isEqualTo(12);
  }

  @Test
  void aLogoutDuringDiscoveryKeepsTheFileFromComingBack() throws Exception {
    f = new ProvisioningFixture(dir);
    f.emulator.addAccounts(4, 2);
    ProviderConfig provider = f.provider();
    f.signIn(provider);
    CountDownLatch identitySeen = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    RecordingDiscoveryObserver holding = new RecordingDiscoveryObserver() {
      @Override
      public void onIdentity(ProvisionedIdentity identity, int accountsDone, int accountsTotal) {
        super.onIdentity(identity, accountsDone, accountsTotal);
        identitySeen.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    };

    CompletableFuture<ProvisioningResult> running = f.discovery.provision(provider, holding);
    assertThat(identitySeen.await(30, TimeUnit.SECONDS)).isTrue();
    f.discovery.forget(provider);
    release.countDown();
    ProvisioningResult result = running.get(60, TimeUnit.SECONDS);

    assertThat(result.file()).isNull();
    assertThat(result.warnings()).anyMatch(w -> w.contains("logged out during discovery"));
    assertThat(Files.exists(f.file(provider))).isFalse();
  }
}
