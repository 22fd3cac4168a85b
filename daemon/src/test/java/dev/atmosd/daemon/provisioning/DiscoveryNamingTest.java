package dev.atmosd.daemon.provisioning;

import dev.atmosd.daemon.config.ProvisionedIdentitiesFile;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atmosd.daemon.config.ProviderConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Names as the portal gives them, distinct when accounts share a name, and surviving the file byte for byte. */
class DiscoveryNamingTest {
  @TempDir Path dir;
  private ProvisioningFixture f;

  @AfterEach
  void close() {
    if (f != null) {
      f.close();
    }
  }

  @Test
  void accountsSharingANameGetDistinctStableNames() throws Exception {
    f = new ProvisioningFixture(dir);
    f.emulator.addAccount("222222222222", "Sandbox", "b@example.com", "Admin", "ReadOnly");
    f.emulator.addAccount("111111111111", "Sandbox", "a@example.com", "Admin");
    f.emulator.addAccount("333333333333", "sandbox", "c@example.com", "Admin");
    f.emulator.addAccount("444444444444", "Prod", "d@example.com", "Admin");
    ProviderConfig provider = f.provider();
    f.signIn(provider);

    ProvisioningResult first = f.provision(provider);
    byte[] firstIdentities = identitiesSection(f.file(provider));
    ProvisioningResult second = f.provision(provider);

    assertThat(first.identities()).isEqualTo(5);
    assertThat(fieldNames(f.identitiesInFile(provider))).containsExactly(
        "Prod/Admin",
        "Sandbox (111111111111)/Admin",
        "Sandbox (222222222222)/Admin",
        "Sandbox (222222222222)/ReadOnly",
        "sandbox (333333333333)/Admin");
    assertThat(f.identitiesInFile(provider).get("Sandbox (111111111111)/Admin").at("/principal/account/name").asText())
        .isEqualTo("Sandbox");
    assertThat(second.added()).isZero();
    assertThat(second.removed()).isZero();
    assertThat(identitiesSection(f.file(provider))).isEqualTo(firstIdentities);
  }

  /**
   * Issue 11 item 9: a name, once given to an account id, stays that account's while the account exists — whether
   * a second account of the same name appears, or the other member of a clash goes away. The previous file is the
   * memory (its {@code _metadata.account_labels}).
   */
  @Test
  void namesStayWhenTheSetOfSameNamedAccountsChanges() throws Exception {
    f = new ProvisioningFixture(dir);
    f.emulator.addAccount("100000000008", "account-008", "a@example.com", "Admin");
    f.emulator.addAccount("200000000008", "account-008", "b@example.com", "Admin");
    f.emulator.addAccount("300000000001", "Prod", "p@example.com", "Admin");
    ProviderConfig provider = f.provider();
    f.signIn(provider);

    f.provision(provider);
    assertThat(fieldNames(f.identitiesInFile(provider))).containsExactly(
        "Prod/Admin", "account-008 (100000000008)/Admin", "account-008 (200000000008)/Admin");

    // One of the pair goes: the other keeps its suffixed name (before the fix it became "account-008/Admin").
    f.emulator.removeAccount("200000000008");
    ProvisioningResult afterRemoval = f.provision(provider);
    assertThat(fieldNames(f.identitiesInFile(provider))).containsExactly(
        "Prod/Admin", "account-008 (100000000008)/Admin");
    assertThat(afterRemoval.added()).isZero();

    // A second "Prod" appears: the first keeps the bare name, the newcomer gets its id.
    f.emulator.addAccount("400000000001", "prod", "q@example.com", "Admin");
    ProvisioningResult afterJoin = f.provision(provider);
    assertThat(fieldNames(f.identitiesInFile(provider))).containsExactly(
        "Prod/Admin", "account-008 (100000000008)/Admin", "prod (400000000001)/Admin");
    assertThat(afterJoin.added()).isEqualTo(1);
    assertThat(afterJoin.removed()).isZero();
  }

  @Test
  void awkwardAccountNamesRoundTripThroughTheFile() throws Exception {
    f = new ProvisioningFixture(dir);
    List<String> names = List.of("Team / Prod: eu-west-1", "café.dev", "日本 🚀", "#hash", "- dash", "yes", "say \"hi\"",
        "it's", "back\\slash", "a.b.c", "[x]", "{y}", "&z", "*w", "null", "1e3");
    for (int i = 0; i < names.size(); i++) {
      f.emulator.addAccount(String.format("%012d", 700 + i), names.get(i), i + "@example.com", "Admin");
    }
    ProviderConfig provider = f.provider();
    f.signIn(provider);
    RecordingDiscoveryObserver observer = new RecordingDiscoveryObserver();

    ProvisioningResult result = f.discovery.provision(provider, observer).get(60, TimeUnit.SECONDS);

    assertThat(result.identities()).isEqualTo(names.size());
    JsonNode identities = f.identitiesInFile(provider);
    assertThat(fieldNames(identities)).containsExactlyInAnyOrderElementsOf(names.stream().map(n -> n + "/Admin").toList());
    for (String name : names) {
      JsonNode identity = identities.get(name + "/Admin");
      assertThat(identity.at("/principal/account/name").asText()).isEqualTo(name);
      assertThat(identity.at("/principal/name").asText()).isEqualTo("Admin");
    }
    assertThat(observer.names()).containsExactlyInAnyOrderElementsOf(fieldNames(identities));
    // And our own reader (the next run's "previous file") agrees.
    assertThat(ProvisionedIdentitiesFile.readBack(f.file(provider)).orElseThrow().identities())
        .containsExactlyInAnyOrderElementsOf(observer.identities);
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  /** The file minus its header and metadata (provisioned_at changes every run). */
  private static byte[] identitiesSection(Path file) throws Exception {
    String text = Files.readString(file);
    return text.substring(text.indexOf("  identities:")).getBytes();
  }
}
