package dev.atmosd.daemon.credentials;

import dev.atmosd.daemon.config.AtmosConfig;
import dev.atmosd.daemon.config.ConfigException;
import dev.atmosd.daemon.config.IdentityConfig;
import dev.atmosd.daemon.config.ProviderConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * An identity and everything its credentials depend on: the identities it is reached {@code via}, down to the
 * permission set that a provider's portal mints, and that provider. {@code links} runs from the root permission set
 * to the target, so {@code links.get(i)} is minted with the credentials of {@code links.get(i - 1)}.
 */
public record IdentityChain(Path source, ProviderConfig provider, List<IdentityConfig> links) {

  public IdentityConfig target() {
    return links.get(links.size() - 1);
  }

  /** The chain up to and including {@code links.get(index)}. */
  public IdentityChain prefix(int index) {
    return new IdentityChain(source, provider, links.subList(0, index + 1));
  }

  /** The region the target's credentials are for: its {@code principal.region}, else the provider's. */
  public String region() {
    for (int i = links.size() - 1; i >= 0; i--) {
      String region = links.get(i).principalRegion();
      if (region != null && !region.isBlank()) {
        return region;
      }
    }
    return provider.region();
  }

  /**
   * The cache key of the target: editing any definition along the chain (or the provider, or pointing the client at
   * another endpoint) yields a new key, so the daemon never serves credentials minted for an older definition.
   */
  public CacheKey cacheKey() {
    return new CacheKey(String.valueOf(source), target().name(), provider, links);
  }

  /**
   * Where a cache entry belongs: the config file, the identity's name and its whole definition (compared as the
   * immutable config records themselves). Built on every credential request, so it hashes once and compares by
   * record equality rather than rendering and digesting the definition each time.
   */
  public static final class CacheKey {
    private final String source;
    private final String identity;
    private final ProviderConfig provider;
    private final List<IdentityConfig> links;
    private final int hash;

    CacheKey(String source, String identity, ProviderConfig provider, List<IdentityConfig> links) {
      this.source = source;
      this.identity = identity;
      this.provider = provider;
      this.links = List.copyOf(links);
      this.hash = Objects.hash(source, identity, provider, this.links);
    }

    public String source() {
      return source;
    }

    public String identity() {
      return identity;
    }

    @Override
    public boolean equals(Object other) {
      return other == this || other instanceof CacheKey key && key.hash == hash && key.source.equals(source)
          && key.identity.equals(identity) && key.provider.equals(provider) && key.links.equals(links);
    }

    @Override
    public int hashCode() {
      return hash;
    }

    /** Names the entry only: the definition stays out of logs. */
    @Override
    public String toString() {
      return "CacheKey[" + source + ", " + identity + "]";
    }
  }

  /**
   * Walks {@code via} from {@code identityName} down to a provider, with the config's own lookups (case-insensitive,
   * did-you-mean, cycle detection), then checks that each link carries what minting it needs.
   *
   * @throws ConfigException NOT_FOUND for an unknown identity (with the nearest names), INVALID_ARGUMENT for a cycle,
   *     a missing field or an unsupported kind
   */
  public static IdentityChain resolve(AtmosConfig config, String identityName) {
    IdentityConfig target = config.identity(identityName);
    List<IdentityConfig> links = config.chain(target.name());
    IdentityConfig root = links.get(0);
    for (IdentityConfig link : links) {
      if (!link.runByAtmosd()) {
        throw new ConfigException("identity '" + link.name() + "' in " + config.source() + ": "
            + link.notRunReason());
      }
    }
    String rootProviderName = root.viaProvider() != null ? root.viaProvider() : root.provider();
    if (rootProviderName != null) {
      // An assume-role straight off a github/oidc or aws/saml provider is a chain atmosd does not run: say that.
      ProviderConfig rootProvider = config.provider(rootProviderName);
      if (!rootProvider.runByAtmosd()) {
        throw new ConfigException("provider '" + rootProvider.name() + "' in " + config.source() + ": "
            + rootProvider.notRunReason());
      }
    }
    if (IdentityConfig.KIND_ASSUME_ROLE.equals(root.kind())) {
      throw new ConfigException("identity '" + root.name() + "' in " + config.source()
          + " is aws/assume-role but has no via.identity: name the identity whose credentials assume the role");
    }
    if (IdentityConfig.KIND_ASSUME_ROOT.equals(root.kind())) {
      throw new ConfigException("identity '" + root.name() + "' in " + config.source()
          + " is aws/assume-root but has no via.identity: name the identity whose credentials call sts:AssumeRoot");
    }
    for (int i = 0; i < links.size(); i++) {
      IdentityConfig link = links.get(i);
      boolean fits = i == 0 ? IdentityConfig.KIND_PERMISSION_SET.equals(link.kind())
          : IdentityConfig.KIND_ASSUME_ROLE.equals(link.kind()) || IdentityConfig.KIND_ASSUME_ROOT.equals(link.kind());
      if (!fits) {
        throw new ConfigException("identity '" + link.name() + "' in " + config.source() + " has kind '"
            + link.kind() + "'; atmosd mints " + IdentityConfig.KIND_PERMISSION_SET + " via a provider and "
            + IdentityConfig.KIND_ASSUME_ROLE + " / " + IdentityConfig.KIND_ASSUME_ROOT + " via another identity");
      }
      if (IdentityConfig.KIND_ASSUME_ROOT.equals(link.kind())) {
        continue; // its principal was checked as Go checks it when the config was read
      }
      IdentityConfig.Principal principal = link.principal();
      if (i == 0) {
        if (principal == null || blank(principal.permissionSetName())) {
          throw new ConfigException("identity '" + link.name() + "' in " + config.source()
              + " is aws/permission-set but has no principal.name (the permission set)");
        }
        if (blank(principal.accountId()) && blank(principal.accountName())) {
          throw new ConfigException("identity '" + link.name() + "' in " + config.source()
              + " is aws/permission-set but has neither principal.account.id nor principal.account.name");
        }
      } else if (principal == null || blank(principal.assumeRoleArn())) {
        throw new ConfigException("identity '" + link.name() + "' in " + config.source()
            + " is aws/assume-role but has no principal.assume_role (the role ARN)");
      }
    }
    ProviderConfig provider = config.rootProvider(target.name());
    return new IdentityChain(config.source(), provider, links);
  }

  private static boolean blank(String value) {
    return value == null || value.isBlank();
  }

}
