package dev.atmosd.daemon.provisioning;

import dev.atmosd.daemon.provisioning.PortalListings.Account;
import dev.atmosd.daemon.config.PrintableText;
import dev.atmosd.daemon.config.ProvisionedIdentitiesFile;
import dev.atmosd.daemon.config.ProvisionedIdentity;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Names provisioned identities {@code {account-name}/{permission-set}} (or as {@code identity_name_template} says),
 * deterministically, without collisions, and stably.
 *
 * <p>The rule, applied to the whole ListAccounts result so listing order never matters:
 * <ol>
 *   <li><b>Clean, don't mangle.</b> An account name is trimmed, NFC-normalised, and each control character
 *       (newline, tab, …, U+2028/U+2029) becomes a space; spaces, slashes, dots, quotes and any other Unicode are
 *       kept as they are, so the name stays what people see in the portal. A blank name becomes the account id.
 *       Permission-set names get the same cleaning (AWS allows only {@code [\w+=,.@-]} there anyway).</li>
 *   <li><b>A label once given stays.</b> The previous file remembers each account's label. An account keeps its
 *       label as long as it exists and its name has not changed — {@code Sandbox} stays {@code Sandbox} when a
 *       second {@code Sandbox} appears, and {@code Sandbox (111111111111)} stays so when the other one goes — so
 *       references in atmos.yaml and scripts never move under a user's feet.</li>
 *   <li><b>Newcomers in a clash get their id.</b> An account without a remembered label whose cleaned name equals
 *       another account's, ignoring case (case-folding config loaders such as atmos' Viper would merge them), is
 *       labelled {@code <name> (<account-id>)}; on a first run that names every member of the clash, so none
 *       silently wins and the result does not depend on which account came first.</li>
 *   <li>Should a label so made still equal another (an account literally called {@code Sandbox (111111111111)}),
 *       the un-remembered bare labels of that clash get their id first, then — only when nothing else separates
 *       them — the remembered ones; repeated until no two labels are equal. Labels ending in a (unique) account id
 *       never equal each other, so this ends.</li>
 * </ol>
 *
 * <p>Why this round-trips: the name is only ever a YAML mapping key, which {@link ProvisionedIdentitiesFile}
 * always writes double-quoted (escapes included), so {@code :}, {@code #}, leading {@code -}, {@code yes},
 * {@code .} and non-ASCII survive the file and come back byte-for-byte. The principal carries the account name,
 * id and permission set separately, so nothing ever parses the name.
 */
final class IdentityNames {
  private IdentityNames() {}

  /** The label (the part before {@code /}) of each account, by account id, on a first run. */
  static Map<String, String> accountLabels(List<Account> accounts) {
    return accountLabels(accounts, Map.of());
  }

  /**
   * The label of each account, by account id.
   *
   * @param remembered each account's label in the previous file, by account id
   */
  static Map<String, String> accountLabels(List<Account> accounts, Map<String, String> remembered) {
    Map<String, String> cleaned = new HashMap<>();
    for (Account account : accounts) {
      String name = PrintableText.clean(account.name());
      cleaned.put(account.id(), name.isEmpty() ? account.id() : name);
    }
    Map<String, List<Account>> byName = accounts.stream()
        .collect(Collectors.groupingBy(a -> fold(cleaned.get(a.id()))));
    Map<String, String> labels = new HashMap<>();
    Set<String> pinned = new HashSet<>();
    for (Account account : accounts) {
      String name = cleaned.get(account.id());
      String before = remembered.get(account.id());
      if (before != null && (before.equals(name) || before.equals(withId(name, account.id())))) {
        labels.put(account.id(), before);
        pinned.add(account.id());
      }
    }
    Set<String> taken = labels.values().stream().map(IdentityNames::fold).collect(Collectors.toSet());
    for (Account account : accounts) {
      if (!labels.containsKey(account.id())) {
        String name = cleaned.get(account.id());
        boolean clash = byName.get(fold(name)).size() > 1 || taken.contains(fold(name));
        labels.put(account.id(), clash ? withId(name, account.id()) : name);
      }
    }
    // Each round suffixes bare labels of a clash, newcomers before remembered ones; suffixed labels end in a
    // unique id, so they never equal each other and the loop ends.
    boolean changed = true;
    while (changed) {
      changed = false;
      Map<String, List<Account>> byLabel = accounts.stream()
          .collect(Collectors.groupingBy(a -> fold(labels.get(a.id()))));
      for (List<Account> clash : byLabel.values()) {
        if (clash.size() < 2) {
          continue;
        }
        List<Account> bare = clash.stream()
            .filter(a -> labels.get(a.id()).equals(cleaned.get(a.id())))
            .toList();
        List<Account> newcomers = bare.stream().filter(a -> !pinned.contains(a.id())).toList();
        for (Account account : newcomers.isEmpty() ? bare : newcomers) {
          labels.put(account.id(), withId(cleaned.get(account.id()), account.id()));
          pinned.remove(account.id());
          changed = true;
        }
      }
    }
    return labels;
  }

  /** The label an identity's name was made with, when the name has the default shape. */
  /**
   * The labels a previous file remembers, by account id; a file from before labels were written remembers those its
   * names show ({@code <label>/<permission-set>}).
   */
  static Map<String, String> remembered(ProvisionedIdentitiesFile.Contents previous) {
    if (!previous.accountLabels().isEmpty()) {
      return previous.accountLabels();
    }
    Map<String, String> labels = new HashMap<>();
    for (ProvisionedIdentity identity : previous.identities()) {
      String label = labelOf(identity);
      if (label != null) {
        labels.putIfAbsent(identity.accountId(), label);
      }
    }
    return Map.copyOf(labels);
  }

  static String labelOf(ProvisionedIdentity identity) {
    String suffix = "/" + identity.permissionSet();
    return identity.name().endsWith(suffix)
        ? identity.name().substring(0, identity.name().length() - suffix.length())
        : null;
  }

  /**
   * The identities with names that an {@code identity_name_template} made equal for different accounts (e.g.
   * {@code {{ .RoleName }}}) told apart by {@code " (<account-id>)"} — the same rule as for labels: a name the
   * previous file gave to this account and permission set stays, newcomers to a clash get the id. With the default
   * template labels are already unique, so nothing changes.
   */
  static List<ProvisionedIdentity> separated(Collection<List<ProvisionedIdentity>> perAccount,
      List<ProvisionedIdentity> previous) {
    Map<String, String> nameBefore = new HashMap<>();
    previous.forEach(i -> nameBefore.put(memoryKey(i), i.name()));
    List<ProvisionedIdentity> all = perAccount.stream().flatMap(List::stream).toList();
    Map<String, List<ProvisionedIdentity>> byName = all.stream().collect(Collectors.groupingBy(i -> fold(i.name())));
    List<ProvisionedIdentity> out = new ArrayList<>(all.size());
    for (List<ProvisionedIdentity> group : byName.values()) {
      boolean clash = group.stream().map(ProvisionedIdentity::accountId).distinct().count() > 1;
      List<ProvisionedIdentity> holders = group.stream()
          .filter(i -> i.name().equals(nameBefore.get(memoryKey(i))))
          .toList();
      for (ProvisionedIdentity identity : group) {
        String suffixed = withId(identity.name(), identity.accountId());
        // Suffixed once, suffixed for good; in a clash the one remembered holder keeps the bare name.
        boolean suffix = suffixed.equals(nameBefore.get(memoryKey(identity)))
            || clash && !(holders.size() == 1 && holders.get(0) == identity);
        out.add(suffix ? new ProvisionedIdentity(suffixed, identity.provider(), identity.accountId(),
            identity.accountName(), identity.permissionSet()) : identity);
      }
    }
    return out;
  }

  private static String memoryKey(ProvisionedIdentity identity) {
    return identity.accountId() + "\u0000" + identity.permissionSet();
  }

  static String identityName(String accountLabel, String permissionSet) {
    return accountLabel + "/" + PrintableText.clean(permissionSet);
  }


  private static String withId(String name, String accountId) {
    return name + " (" + accountId + ")";
  }

  private static String fold(String name) {
    return name.toLowerCase(Locale.ROOT);
  }
}
