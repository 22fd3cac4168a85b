package dev.atmosd.daemon.credentials;

import dev.atmosd.daemon.aws.AwsClients;
import dev.atmosd.daemon.config.IdentityConfig;
import dev.atmosd.daemon.config.ProviderConfig;
import dev.atmosd.daemon.session.AccessToken;
import java.time.Clock;
import java.time.Instant;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sso.SsoClient;
import software.amazon.awssdk.services.sso.model.RoleCredentials;
import software.amazon.awssdk.services.sso.model.UnauthorizedException;

/** Mints an aws/permission-set identity's credentials: the portal's GetRoleCredentials with the provider's token. */
final class PermissionSetMinter {
  private final AwsClients aws;
  private final AccountIdsByName accounts;
  private final Clock clock;

  PermissionSetMinter(AwsClients aws, AccountIdsByName accounts, Clock clock) {
    this.aws = aws;
    this.accounts = accounts;
    this.clock = clock;
  }

  /**
   * Blocks on the portal.
   *
   * @param chain a chain whose target is the permission set
   * @throws PortalRejectedToken when the portal refuses {@code token}
   */
  MintedCredentials mint(IdentityChain chain, AccessToken token) {
    IdentityConfig identity = chain.target();
    IdentityConfig.Principal principal = identity.principal();
    ProviderConfig provider = chain.provider();
    String accountId = principal.accountId() != null && !principal.accountId().isBlank()
        ? principal.accountId()
        : accounts.accountId(provider, token, principal.accountName(), identity.name());
    SsoClient sso = aws.sso(provider.endpoints(), provider.region(), AwsClients.Retries.SDK_STANDARD);
    Instant askedAt = clock.instant();
    RoleCredentials role;
    try {
      role = sso.getRoleCredentials(r -> r.accessToken(token.value())
          .accountId(accountId)
          .roleName(principal.permissionSetName())).roleCredentials();
    } catch (UnauthorizedException e) {
      throw new PortalRejectedToken(token);
    } catch (SdkException e) {
      throw AwsFailures.roleCredentials(identity.name(), principal.permissionSetName(), accountId,
          provider.endpoints().sso(), e);
    }
    return new MintedCredentials(identity.name(), role.accessKeyId(), role.secretAccessKey(), role.sessionToken(),
        Instant.ofEpochMilli(role.expiration()), accountId, chain.region(), askedAt);
  }
}
