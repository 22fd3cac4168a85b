package dev.atmosd.daemon.provisioning;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.sso.SsoClient;
import software.amazon.awssdk.services.sso.model.AccountInfo;
import software.amazon.awssdk.services.sso.model.ListAccountRolesResponse;
import software.amazon.awssdk.services.sso.model.ListAccountsResponse;
import software.amazon.awssdk.services.sso.model.RoleInfo;

/**
 * The portal's listings, every page of them, each page one retried call: accounts (ListAccounts) and an account's
 * permission sets (ListAccountRoles). Pages are walked by hand rather than with the SDK paginators so a retry
 * repeats one page, not the whole listing.
 */
final class PortalListings {
  /** The portal's page size ceiling for both listings. */
  static final int PAGE_SIZE = 100;

  /** One account as ListAccounts names it. */
  record Account(String id, String name) {}

  private final SsoClient sso;
  private final AdaptiveRateLimiter limiter;
  private final PortalCallRetries retries;

  PortalListings(SsoClient sso, AdaptiveRateLimiter limiter, PortalCallRetries retries) {
    this.sso = sso;
    this.limiter = limiter;
    this.retries = retries;
  }

  /** Every account the token may use, in portal order, each id once (a page boundary could repeat one). */
  List<Account> accounts(String accessToken) throws PortalCallFailedException, InterruptedException {
    Map<String, Account> accounts = new LinkedHashMap<>();
    String next = null;
    int page = 0;
    do {
      String token = next;
      page++;
      ListAccountsResponse response = retries.call(limiter, "ListAccounts (page " + page + ")",
          () -> sso.listAccounts(r -> r.accessToken(accessToken).maxResults(PAGE_SIZE).nextToken(token)));
      for (AccountInfo info : response.accountList()) {
        if (info.accountId() != null && !info.accountId().isBlank()) {
          accounts.putIfAbsent(info.accountId(), new Account(info.accountId(), info.accountName()));
        }
      }
      next = blankToNull(response.nextToken());
    } while (next != null);
    return new ArrayList<>(accounts.values());
  }

  /** The permission-set names the token may assume in {@code accountId}, each once, in portal order. */
  List<String> roles(String accessToken, String accountId) throws PortalCallFailedException, InterruptedException {
    Set<String> roles = new LinkedHashSet<>();
    String next = null;
    do {
      String token = next;
      ListAccountRolesResponse response = retries.call(limiter, "ListAccountRoles for account " + accountId,
          () -> sso.listAccountRoles(r -> r.accessToken(accessToken).accountId(accountId).maxResults(PAGE_SIZE).nextToken(token)));
      for (RoleInfo role : response.roleList()) {
        if (role.roleName() != null && !role.roleName().isBlank()) {
          roles.add(role.roleName());
        }
      }
      next = blankToNull(response.nextToken());
    } while (next != null);
    return new ArrayList<>(roles);
  }

  private static String blankToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}
