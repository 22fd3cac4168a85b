package dev.atmosd.daemon.provisioning;

import dev.atmosd.daemon.provisioning.AccountDirectory.Account;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Names provisioned identities {@code {account-name}/{permission-set}}, deterministically and without collisions.
 *
 * <p>The rule, applied to the whole ListAccounts result so listing order never matters:
 * <ol>
 *   <li><b>Clean, don't mangle.</b> An account name is trimmed, NFC-normalised, and each control character
 *       (newline, tab, …, U+2028/U+2029) becomes a space; spaces, slashes, dots, quotes and any other Unicode are
 *       kept as they are, so the name stays what people see in the portal. A blank name becomes the account id.
 *       Permission-set names get the same cleaning (AWS allows only {@code [\w+=,.@-]} there anyway).</li>
 *   <li><b>Clashes name every member.</b> Accounts whose cleaned names are equal ignoring case (case-folding
 *       config loaders such as atmos' Viper would merge them) are all labelled {@code <name> (<account-id>)},
 *       e.g. {@code Sandbox (111111111111)/Admin} and {@code Sandbox (222222222222)/Admin} — none keeps the bare
 *       name, so no one silently wins and the result does not depend on which account came first.</li>
 *   <li>Should a label so made still equal another account's name (an account literally called
 *       {@code Sandbox (111111111111)}), every account in that clash not yet labelled gets its id too, repeated
 *       until no two labels are equal; labels ending in a (unique) account id never equal each other, so this
 *       ends.</li>
 * </ol>
 * A name is stable across runs as long as the set of same-named accounts is; an account joining a clash renames
 * the others' identities, which the added/removed counts of that run show.
 *
 * <p>Why this round-trips: the name is only ever a YAML mapping key, which {@link ProvisionedIdentitiesFile}
 * always writes double-quoted (escapes included), so {@code :}, {@code #}, leading {@code -}, {@code yes},
 * {@code .} and non-ASCII survive the file and come back byte-for-byte. The principal carries the account name,
 * id and permission set separately, so nothing ever parses the name.
 */
final class IdentityNames {
  private IdentityNames() {}

  /** The label (the part before {@code /}) of each account, by account id. */
  static Map<String, String> accountLabels(List<Account> accounts) {
    Map<String, String> labels = new HashMap<>();
    Map<String, String> cleaned = new HashMap<>();
    for (Account account : accounts) {
      String name = clean(account.name());
      cleaned.put(account.id(), name.isEmpty() ? account.id() : name);
    }
    Map<String, List<Account>> byName = accounts.stream()
        .collect(Collectors.groupingBy(a -> fold(cleaned.get(a.id()))));
    for (Account account : accounts) {
      String name = cleaned.get(account.id());
      labels.put(account.id(), byName.get(fold(name)).size() > 1 ? withId(name, account.id()) : name);
    }
    // Suffixed labels end in a unique id, so they never equal each other; each round only suffixes bare ones.
    boolean changed = true;
    while (changed) {
      changed = false;
      Map<String, List<Account>> byLabel = accounts.stream()
          .collect(Collectors.groupingBy(a -> fold(labels.get(a.id()))));
      for (List<Account> clash : byLabel.values()) {
        if (clash.size() > 1) {
          for (Account account : clash) {
            String name = cleaned.get(account.id());
            if (labels.get(account.id()).equals(name)) {
              labels.put(account.id(), withId(name, account.id()));
              changed = true;
            }
          }
        }
      }
    }
    return labels;
  }

  static String identityName(String accountLabel, String permissionSet) {
    return accountLabel + "/" + clean(permissionSet);
  }

  /** Trimmed, NFC, control characters as spaces; never null. */
  static String clean(String raw) {
    if (raw == null) {
      return "";
    }
    String nfc = Normalizer.normalize(raw, Normalizer.Form.NFC);
    StringBuilder out = new StringBuilder(nfc.length());
    nfc.codePoints().forEach(cp -> {
      boolean control = Character.isISOControl(cp) || cp == 0x2028 || cp == 0x2029 || cp == 0xFEFF
          || Character.getType(cp) == Character.SURROGATE;
      out.appendCodePoint(control ? ' ' : cp);
    });
    return out.toString().strip();
  }

  private static String withId(String name, String accountId) {
    return name + " (" + accountId + ")";
  }

  private static String fold(String name) {
    return name.toLowerCase(Locale.ROOT);
  }

  /** All labels, in account order (for tests and logs). */
  static List<String> labelsInOrder(List<Account> accounts) {
    Map<String, String> labels = accountLabels(accounts);
    List<String> out = new ArrayList<>();
    accounts.forEach(a -> out.add(labels.get(a.id())));
    return out;
  }
}
