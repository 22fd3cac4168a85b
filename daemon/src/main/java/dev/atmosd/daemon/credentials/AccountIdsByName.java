package dev.atmosd.daemon.credentials;

import dev.atmosd.daemon.aws.AwsClients;
import dev.atmosd.daemon.config.ProviderConfig;
import dev.atmosd.daemon.rpc.UserFacingException;
import dev.atmosd.daemon.session.AccessToken;
import io.grpc.Status;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sso.SsoClient;
import software.amazon.awssdk.services.sso.model.AccountInfo;
import software.amazon.awssdk.services.sso.model.UnauthorizedException;

/**
 * Resolves {@code principal.account.name} to an account id by listing every page of the portal's accounts. The map
 * is kept per portal session for a while, since listing hundreds of accounts for each mint would be slow and an
 * account's name rarely changes; a name it does not know triggers one early re-listing.
 */
final class AccountIdsByName {
  static final Duration KEEP_LISTING = Duration.ofMinutes(15);
  /** A miss re-lists only when the listing is older than this, so a typo cannot hammer ListAccounts. */
  static final Duration RELIST_ON_MISS_AFTER = Duration.ofMinutes(1);

  private final AwsClients aws;
  private final Clock clock;
  private final Map<String, Listing> listings = new ConcurrentHashMap<>();

  private record Listing(Map<String, String> idsByName, Instant listedAt) {}

  AccountIdsByName(AwsClients aws, Clock clock) {
    this.aws = aws;
    this.clock = clock;
  }

  /**
   * Blocks while listing.
   *
   * @throws PortalRejectedToken when the portal refuses the token
   */
  String accountId(ProviderConfig provider, AccessToken token, String accountName, String identity) {
    String key = provider.sessionKey() + '|' + provider.endpoints().sso();
    // One listing per portal at a time: concurrent mints for many accounts share it.
    synchronized (lockFor(key)) {
      Instant now = clock.instant();
      Listing listing = listings.get(key);
      boolean expired = listing == null || listing.listedAt().plus(KEEP_LISTING).isBefore(now);
      boolean missWorthRelisting = listing != null && !listing.idsByName().containsKey(accountName)
          && listing.listedAt().plus(RELIST_ON_MISS_AFTER).isBefore(now);
      if (expired || missWorthRelisting) {
        listing = new Listing(list(provider, token), now);
        listings.put(key, listing);
      }
      String id = listing.idsByName().get(accountName);
      if (id == null) {
        throw new UserFacingException(Status.FAILED_PRECONDITION, "identity '" + identity + "': provider '"
            + provider.name() + "' can use no account named '" + accountName + "' (" + listing.idsByName().size()
            + " accounts listed); check principal.account.name or set principal.account.id");
      }
      return id;
    }
  }

  private Map<String, String> list(ProviderConfig provider, AccessToken token) {
    SsoClient sso = aws.sso(provider.endpoints(), provider.region(), AwsClients.Retries.SDK_STANDARD);
    Map<String, String> ids = new LinkedHashMap<>();
    try {
      for (AccountInfo account : sso.listAccountsPaginator(r -> r.accessToken(token.value()).maxResults(100)).accountList()) {
        ids.putIfAbsent(account.accountName(), account.accountId());
      }
    } catch (UnauthorizedException e) {
      throw new PortalRejectedToken(token);
    } catch (SdkException e) {
      throw AwsFailures.listAccounts(provider.name(), provider.endpoints().sso(), e);
    }
    return ids;
  }

  private final Map<String, Object> locks = new ConcurrentHashMap<>();

  private Object lockFor(String key) {
    return locks.computeIfAbsent(key, k -> new Object());
  }
}
