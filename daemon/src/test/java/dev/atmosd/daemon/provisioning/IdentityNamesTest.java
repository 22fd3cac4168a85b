package dev.atmosd.daemon.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atmosd.daemon.provisioning.PortalListings.Account;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class IdentityNamesTest {

  @Test
  void uniqueNamesAreKeptAsTheyAre() {
    Map<String, String> labels = IdentityNames.accountLabels(List.of(
        new Account("111111111111", "Prod"), new Account("222222222222", "Team / Sandbox: eu.west"),
        new Account("333333333333", "日本 🚀")));

    assertThat(labels).containsEntry("111111111111", "Prod")
        .containsEntry("222222222222", "Team / Sandbox: eu.west")
        .containsEntry("333333333333", "日本 🚀");
    assertThat(IdentityNames.identityName("Prod", "AdministratorAccess")).isEqualTo("Prod/AdministratorAccess");
  }

  @Test
  void everyMemberOfAClashGetsItsAccountIdWhateverTheCase() {
    Map<String, String> labels = IdentityNames.accountLabels(List.of(
        new Account("111111111111", "Sandbox"), new Account("222222222222", "sandbox"),
        new Account("333333333333", "Prod")));

    assertThat(labels).containsEntry("111111111111", "Sandbox (111111111111)")
        .containsEntry("222222222222", "sandbox (222222222222)")
        .containsEntry("333333333333", "Prod");
  }

  @Test
  void anAccountNamedLikeASuffixedLabelIsDisambiguatedToo() {
    Map<String, String> labels = IdentityNames.accountLabels(List.of(
        new Account("111111111111", "Sandbox"), new Account("222222222222", "Sandbox"),
        new Account("333333333333", "Sandbox (111111111111)")));

    assertThat(new HashSet<>(labels.values())).hasSize(3);
    assertThat(labels).containsEntry("111111111111", "Sandbox (111111111111)")
        .containsEntry("333333333333", "Sandbox (111111111111) (333333333333)");
  }

  @Test
  void labelsDoNotDependOnListingOrder() {
    List<Account> accounts = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      accounts.add(new Account(String.format("%012d", 100 + i), i % 3 == 0 ? "Shared" : "acct-" + (i % 7)));
    }
    Map<String, String> expected = IdentityNames.accountLabels(accounts);
    Random random = new Random(42);
    for (int round = 0; round < 20; round++) {
      List<Account> shuffled = new ArrayList<>(accounts);
      Collections.shuffle(shuffled, random);
      assertThat(IdentityNames.accountLabels(shuffled)).isEqualTo(expected);
    }
    assertThat(new HashSet<>(expected.values())).hasSize(accounts.size());
  }

  @Test
  void controlCharactersBecomeSpacesAndBlankNamesBecomeTheId() {
    Map<String, String> labels = IdentityNames.accountLabels(List.of(
        new Account("111111111111", "  Line\nbreak\tand tab  "), new Account("222222222222", " \u2028 "),
        new Account("333333333333", null)));

    assertThat(labels).containsEntry("111111111111", "Line break and tab")
        .containsEntry("222222222222", "222222222222")
        .containsEntry("333333333333", "333333333333");
  }

  @Test
  void composedAndDecomposedAccentsAreOneName() {
    Map<String, String> labels = IdentityNames.accountLabels(List.of(
        new Account("111111111111", "caf\u00e9"), new Account("222222222222", "cafe\u0301")));

    assertThat(labels).containsEntry("111111111111", "caf\u00e9 (111111111111)")
        .containsEntry("222222222222", "caf\u00e9 (222222222222)");
  }

  @Test
  void aRememberedLabelStaysWhileTheNameIsUnchanged() {
    List<Account> pair = List.of(new Account("111111111111", "Sandbox"), new Account("222222222222", "Sandbox"));
    Map<String, String> first = IdentityNames.accountLabels(pair);

    Map<String, String> alone = IdentityNames.accountLabels(List.of(pair.get(0)), first);
    Map<String, String> renamed = IdentityNames.accountLabels(List.of(new Account("111111111111", "Dev")), first);

    assertThat(alone).containsEntry("111111111111", "Sandbox (111111111111)");
    // A new name in the portal is a new name: the memory applies only to the name it was made from.
    assertThat(renamed).containsEntry("111111111111", "Dev");
  }

  @Test
  void aNewcomerToAClashYieldsToTheRememberedHolder() {
    Map<String, String> before = Map.of("111111111111", "Sandbox");

    Map<String, String> labels = IdentityNames.accountLabels(List.of(
        new Account("111111111111", "Sandbox"), new Account("222222222222", "SANDBOX"),
        new Account("333333333333", "Sandbox")), before);

    assertThat(labels).containsEntry("111111111111", "Sandbox")
        .containsEntry("222222222222", "SANDBOX (222222222222)")
        .containsEntry("333333333333", "Sandbox (333333333333)");
  }

  @Test
  void aRememberedBareLabelGivesWayOnlyWhenNothingElseSeparatesTheClash() {
    // Account 3 is literally named like account 1's remembered label would be once suffixed.
    Map<String, String> before = Map.of("111111111111", "Sandbox", "333333333333", "Sandbox (111111111111)");

    Map<String, String> labels = IdentityNames.accountLabels(List.of(
        new Account("111111111111", "Sandbox"), new Account("333333333333", "Sandbox (111111111111)")), before);

    assertThat(labels).containsEntry("111111111111", "Sandbox")
        .containsEntry("333333333333", "Sandbox (111111111111)");
    assertThat(new HashSet<>(labels.values())).hasSize(2);
  }
}
