package dev.atmosd.daemon.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atmosd.daemon.config.AtmosConfig;
import dev.atmosd.daemon.config.ConfigException;
import dev.atmosd.daemon.config.IdentityConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class IdentityChainTest {
  private final ConfigFixtures fixtures = new ConfigFixtures(Path.of("/home/dev/atmos.yaml"))
      .provider("company-sso", null)
      .permissionSet("dev-admin", "company-sso", "AdministratorAccess", "111111111111", null)
      .assumeRole("deployer", "dev-admin", "arn:aws:iam::222222222222:role/deployer")
      .assumeRole("prod-reader", "deployer", "arn:aws:iam::333333333333:role/reader");

  @Test
  void walksViaIdentityDownToTheProviderAndListsTheLinksFromTheRoot() {
    IdentityChain chain = IdentityChain.resolve(fixtures.build(), "prod-reader");

    assertThat(chain.provider().name()).isEqualTo("company-sso");
    assertThat(chain.links()).extracting(IdentityConfig::name).containsExactly("dev-admin", "deployer", "prod-reader");
    assertThat(chain.prefix(1).target().name()).isEqualTo("deployer");
    assertThat(chain.region()).isEqualTo("us-east-1");
  }

  @Test
  void rejectsACycleNamingItsMembers() {
    AtmosConfig config = fixtures
        .assumeRole("a", "b", "arn:aws:iam::111111111111:role/a")
        .assumeRole("b", "a", "arn:aws:iam::111111111111:role/b")
        .build();

    assertThatThrownBy(() -> IdentityChain.resolve(config, "a"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("loops").hasMessageContaining("a -> b -> a");
  }

  @Test
  void anUnknownIdentityIsNotFoundWithTheNearestNames() {
    assertThatThrownBy(() -> IdentityChain.resolve(fixtures.build(), "dev-admn"))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.isNotFound()).isTrue())
        .hasMessageContaining("dev-admin");
  }

  @Test
  void editingAnyLinkOfTheChainChangesTheCacheKey() {
    IdentityChain before = IdentityChain.resolve(fixtures.build(), "prod-reader");
    IdentityChain after = IdentityChain.resolve(fixtures
        .permissionSet("dev-admin", "company-sso", "ReadOnlyAccess", "111111111111", null).build(), "prod-reader");

    assertThat(after.cacheKey().identity()).isEqualTo(before.cacheKey().identity());
    assertThat(after.cacheKey()).isNotEqualTo(before.cacheKey());
    assertThat(IdentityChain.resolve(fixtures.build(), "prod-reader").cacheKey()).isEqualTo(after.cacheKey());
  }
}
