package dev.atmosd.daemon.provisioning;

import dev.atmosd.daemon.config.ProvisionedIdentity;
import dev.atmosd.daemon.config.ProvisionedIdentitiesFile;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atmosd.daemon.config.ProviderConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Never fatal, nothing lost: throttling and server errors are retried; what still fails keeps what it had. */
class DiscoveryFaultsTest {
  @TempDir Path dir;
  private ProvisioningFixture f;

  @AfterEach
  void close() {
    if (f != null) {
      f.close();
    }
  }

  @Test
  void burstsOf429AndServerErrorsAreRetriedToSuccess() throws Exception {
    f = new ProvisioningFixture(dir);
    f.emulator.addAccounts(12, 4);
    ProviderConfig provider = f.provider();
    f.signIn(provider);
    f.emulator.faults().failNext("ListAccounts", 500, "InternalServerException", 2);
    f.emulator.faults().failNext("ListAccountRoles", 429, "TooManyRequestsException", 6);
    f.emulator.faults().failNext("ListAccountRoles", 503, "ServiceUnavailableException", 4);

    ProvisioningResult result = f.provision(provider);

    assertThat(result.warnings()).isEmpty();
    assertThat(result.identities()).isEqualTo(48);
    assertThat(f.emulator.calls("ListAccounts")).isEqualTo(3);
    assertThat(f.emulator.calls("ListAccountRoles")).isEqualTo(12 + 6 + 4);
    DiscoveryCounters counters = f.discovery.counters();
    assertThat(counters.throttled()).isEqualTo(6);
    assertThat(counters.retried()).isEqualTo(2 + 6 + 4);
  }

  @Test
  void droppedConnectionsAreRetriedToSuccess() throws Exception {
    f = new ProvisioningFixture(dir);
    f.emulator.addAccounts(5, 2);
    ProviderConfig provider = f.provider();
    f.signIn(provider);
    f.emulator.faults().resetConnectionNext("ListAccounts", 1);
    f.emulator.faults().resetConnectionNext("ListAccountRoles", 3);

    ProvisioningResult result = f.provision(provider);

    assertThat(result.warnings()).isEmpty();
    assertThat(result.identities()).isEqualTo(10);
    assertThat(f.discovery.counters().retried()).isGreaterThanOrEqualTo(4);
  }

  @Test
  void aRealRateLimitSlowsThePoolDownAndEveryAccountArrives() throws Exception {
    // The production tuning (20 req/s ceiling, 200 ms backoff) against a portal allowing 8 req/s.
    f = new ProvisioningFixture(dir, DiscoveryTuning.DEFAULTS);
    f.emulator.addAccounts(30, 1);
    f.emulator.faults().rateLimit("ListAccountRoles", 8);
    ProviderConfig provider = f.provider();
    f.signIn(provider);

    ProvisioningResult result = f.provision(provider);

    assertThat(result.warnings()).isEmpty();
    assertThat(result.identities()).isEqualTo(30);
  }

  @Test
  void anAccountWhoseRolesCannotBeListedKeepsItsPreviousIdentitiesWhileTheRestUpdate() throws Exception {
    f = new ProvisioningFixture(dir);
    f.emulator.addAccounts(6, 2);
    ProviderConfig provider = f.provider(1); // one worker: the scripted failures all hit the first account
    f.signIn(provider);
    f.provision(provider);
    Map<String, List<String>> before = rolesByAccount(f.identitiesInFile(provider));
    for (String accountId : before.keySet()) {
      f.emulator.addAccount(accountId, accountName(f.identitiesInFile(provider), accountId), accountId + "@example.com",
          "NewRole");
    }
    f.emulator.faults().failNext("ListAccountRoles", 500, "InternalServerException", ProvisioningFixture.FAST.attempts());

    ProvisioningResult result = f.provision(provider);

    assertThat(result.accountsKept()).isEqualTo(1);
    assertThat(result.warnings()).singleElement().asString().contains("kept its 2 previous identities");
    assertThat(result.identities()).isEqualTo(2 + 5 * 3);
    assertThat(result.added()).isEqualTo(5);
    assertThat(result.removed()).isZero();
    Map<String, List<String>> after = rolesByAccount(f.identitiesInFile(provider));
    List<String> unchanged = after.entrySet().stream().filter(e -> !e.getValue().contains("NewRole"))
        .map(Map.Entry::getKey).toList();
    assertThat(unchanged).singleElement();
    assertThat(after.get(unchanged.get(0))).containsExactlyInAnyOrderElementsOf(before.get(unchanged.get(0)));
  }

  @Test
  void anAccountThatVanishedFromTheListingIsDropped() throws Exception {
    f = new ProvisioningFixture(dir);
    f.emulator.addAccounts(2, 1);
    ProviderConfig provider = f.provider();
    f.signIn(provider);
    Files.createDirectories(f.file(provider).getParent());
    Files.write(f.file(provider), ProvisionedIdentitiesFile.render(
        new ProvisionedIdentitiesFile.Metadata(provider.name(), provider.startUrl(), provider.region(), Instant.now(), 1, 1),
        List.of(new ProvisionedIdentity("Closed account/Admin", provider.name(), "999999999999", "Closed account", "Admin"))));

    ProvisioningResult result = f.provision(provider);

    assertThat(result.removed()).isEqualTo(1);
    assertThat(result.added()).isEqualTo(2);
    assertThat(f.identitiesInFile(provider).has("Closed account/Admin")).isFalse();
    assertThat(f.identitiesInFile(provider).size()).isEqualTo(2);
  }

  @Test
  void whenListAccountsFailsThePreviousFileIsLeftUntouched() throws Exception {
    f = new ProvisioningFixture(dir);
    f.emulator.addAccounts(3, 2);
    ProviderConfig provider = f.provider();
    f.signIn(provider);
    f.provision(provider);
    byte[] before = Files.readAllBytes(f.file(provider));
    var modified = Files.getLastModifiedTime(f.file(provider));
    f.emulator.faults().failNext("ListAccounts", 500, "InternalServerException", ProvisioningFixture.FAST.attempts());
    RecordingDiscoveryObserver observer = new RecordingDiscoveryObserver();

    ProvisioningResult result = f.discovery.provision(provider, observer).get();

    assertThat(result.file()).isNull();
    assertThat(result.warnings()).singleElement().asString()
        .contains("could not list the accounts of provider company-sso").contains("left as it was");
    assertThat(observer.warnings).isEqualTo(result.warnings());
    assertThat(Files.readAllBytes(f.file(provider))).isEqualTo(before);
    assertThat(Files.getLastModifiedTime(f.file(provider))).isEqualTo(modified);
  }

  @Test
  void aTokenThePortalRejectsIsHandedBackToTheSessionEngineAndTheFileKept() throws Exception {
    f = new ProvisioningFixture(dir);
    f.emulator.addAccounts(2, 2);
    ProviderConfig provider = f.provider();
    f.signIn(provider);
    f.provision(provider);
    byte[] before = Files.readAllBytes(f.file(provider));
    f.emulator.expireAccessTokens();

    ProvisioningResult result = f.provision(provider);

    assertThat(result.file()).isNull();
    assertThat(result.warnings()).singleElement().asString().contains("401").contains("sign in again").contains("left as it was");
    assertThat(f.emulator.calls("ListAccounts")).isEqualTo(2); // a 401 is not retried
    assertThat(Files.readAllBytes(f.file(provider))).isEqualTo(before);
    assertThat(f.sessions.currentToken(provider.sessionKey())).isEmpty(); // invalidated: the next request renews it
  }

  @Test
  void aCorruptPreviousFileIsReportedAndWrittenAfresh() throws Exception {
    f = new ProvisioningFixture(dir);
    f.emulator.addAccounts(3, 2);
    ProviderConfig provider = f.provider();
    f.signIn(provider);
    Files.createDirectories(f.file(provider).getParent());
    Files.writeString(f.file(provider), "auth:\n  identities: [ this is : not { closed\n");

    ProvisioningResult result = f.provision(provider);

    assertThat(result.warnings()).singleElement().asString().contains("ignored the unreadable");
    assertThat(result.identities()).isEqualTo(6);
    assertThat(f.identitiesInFile(provider).size()).isEqualTo(6);
  }

  private static Map<String, List<String>> rolesByAccount(JsonNode identities) {
    Map<String, List<String>> out = new HashMap<>();
    for (Iterator<JsonNode> it = identities.elements(); it.hasNext(); ) {
      JsonNode identity = it.next();
      out.computeIfAbsent(identity.at("/principal/account/id").asText(), k -> new ArrayList<>())
          .add(identity.at("/principal/name").asText());
    }
    return out;
  }

  private static String accountName(JsonNode identities, String accountId) {
    for (Iterator<JsonNode> it = identities.elements(); it.hasNext(); ) {
      JsonNode identity = it.next();
      if (identity.at("/principal/account/id").asText().equals(accountId)) {
        return identity.at("/principal/account/name").asText();
      }
    }
    throw new AssertionError(accountId);
  }
}
