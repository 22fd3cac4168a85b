package dev.atmosd.daemon.config;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * {@code spec.discovery.filters}: which accounts and permission sets discovery turns into identities (the atmos
 * PRD {@code docs/prd/sso-role-auto-discovery.md} §6, phase 2).
 *
 * <p>An account is kept when no account filter is set, or when it matches any entry of {@code accounts} (its name
 * or its id; {@code *} and {@code ?} as wildcards; case ignored, as people type portal names) or the
 * {@code account_pattern} regular expression (searched in the name or the id, as Go's {@code regexp.MatchString}
 * does: anchor it with {@code ^…$} to match the whole). Roles likewise with {@code roles}/{@code role_pattern}
 * against the permission-set name. Within one side the entries are alternatives ("OR", as the PRD says).
 * Equal when written the same, so a reloaded config with the same filters is not a change.
 */
public final class DiscoveryFilter {
  public static final DiscoveryFilter ALL = new DiscoveryFilter(List.of(), null, List.of(), null);

  private final List<String> accounts;
  private final String accountPattern;
  private final List<String> roles;
  private final String rolePattern;
  private final List<Pattern> accountGlobs;
  private final Pattern accountRegex;
  private final List<Pattern> roleGlobs;
  private final Pattern roleRegex;

  /** @throws java.util.regex.PatternSyntaxException when a pattern is not a regular expression */
  public DiscoveryFilter(List<String> accounts, String accountPattern, List<String> roles, String rolePattern) {
    this.accounts = List.copyOf(accounts);
    this.accountPattern = accountPattern;
    this.roles = List.copyOf(roles);
    this.rolePattern = rolePattern;
    this.accountGlobs = this.accounts.stream().map(DiscoveryFilter::glob).toList();
    this.accountRegex = accountPattern == null ? null : Pattern.compile(accountPattern);
    this.roleGlobs = this.roles.stream().map(DiscoveryFilter::glob).toList();
    this.roleRegex = rolePattern == null ? null : Pattern.compile(rolePattern);
  }

  /** Whether some accounts may be left out (then their roles are never even listed). */
  public boolean filtersAccounts() {
    return !accounts.isEmpty() || accountPattern != null;
  }

  public boolean isEmpty() {
    return !filtersAccounts() && roles.isEmpty() && rolePattern == null;
  }

  public boolean admitsAccount(String name, String id) {
    if (!filtersAccounts()) {
      return true;
    }
    return accountGlobs.stream().anyMatch(glob -> matches(glob, name) || matches(glob, id))
        || accountRegex != null && (found(accountRegex, name) || found(accountRegex, id));
  }

  public boolean admitsRole(String permissionSet) {
    if (roles.isEmpty() && rolePattern == null) {
      return true;
    }
    return roleGlobs.stream().anyMatch(glob -> matches(glob, permissionSet))
        || roleRegex != null && found(roleRegex, permissionSet);
  }

  private static boolean matches(Pattern glob, String value) {
    return value != null && glob.matcher(value).matches();
  }

  private static boolean found(Pattern regex, String value) {
    return value != null && regex.matcher(value).find();
  }

  /** {@code *} any run, {@code ?} one character, everything else literal; case ignored. */
  private static Pattern glob(String glob) {
    StringBuilder regex = new StringBuilder();
    StringBuilder literal = new StringBuilder();
    for (char c : glob.toCharArray()) {
      if (c == '*' || c == '?') {
        if (!literal.isEmpty()) {
          regex.append(Pattern.quote(literal.toString()));
          literal.setLength(0);
        }
        regex.append(c == '*' ? ".*" : ".");
      } else {
        literal.append(c);
      }
    }
    if (!literal.isEmpty()) {
      regex.append(Pattern.quote(literal.toString()));
    }
    return Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.DOTALL);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof DiscoveryFilter that && accounts.equals(that.accounts)
        && Objects.equals(accountPattern, that.accountPattern) && roles.equals(that.roles)
        && Objects.equals(rolePattern, that.rolePattern);
  }

  @Override
  public int hashCode() {
    return Objects.hash(accounts, accountPattern, roles, rolePattern);
  }

  @Override
  public String toString() {
    return "accounts=" + accounts + " account_pattern=" + accountPattern + " roles=" + roles + " role_pattern="
        + rolePattern;
  }
}
