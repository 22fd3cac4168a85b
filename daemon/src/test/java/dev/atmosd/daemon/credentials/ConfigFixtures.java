package dev.atmosd.daemon.credentials;

import dev.atmosd.daemon.aws.AwsEndpoints;
import dev.atmosd.daemon.config.AtmosConfig;
import dev.atmosd.daemon.config.IdentityConfig;
import dev.atmosd.daemon.config.ProviderConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds an {@link AtmosConfig} in code, the shape the config loader produces, for tests of the broker. */
public final class ConfigFixtures {
  private final Path source;
  private final Map<String, ProviderConfig> providers = new LinkedHashMap<>();
  private final Map<String, IdentityConfig> identities = new LinkedHashMap<>();

  public ConfigFixtures(Path source) {
    this.source = source;
  }

  public ConfigFixtures provider(String name, URI endpoint) {
    return providerWithEndpoints(name, endpoint == null ? AwsEndpoints.AWS_DEFAULTS : new AwsEndpoints(endpoint, endpoint, endpoint));
  }

  public ConfigFixtures providerWithEndpoints(String name, AwsEndpoints endpoints) {
    providers.put(name, new ProviderConfig(name, ProviderConfig.KIND_IDENTITY_CENTER,
        "https://d-1234567890.awsapps.com/start", "us-east-1", false, providers.isEmpty(), endpoints,
        ProviderConfig.ProvisioningSettings.DEFAULT));
    return this;
  }

  public ConfigFixtures permissionSet(String name, String provider, String permissionSet, String accountId,
      String accountName) {
    return add(new IdentityConfig(name, IdentityConfig.KIND_PERMISSION_SET, provider, null, provider,
        new IdentityConfig.Principal(permissionSet, accountId, accountName, null, null, null, null, null),
        false, false, Map.of()));
  }

  public ConfigFixtures assumeRole(String name, String viaIdentity, String roleArn) {
    return assumeRole(name, viaIdentity, roleArn, null, null);
  }

  public ConfigFixtures assumeRole(String name, String viaIdentity, String roleArn, Duration duration, String externalId) {
    return add(new IdentityConfig(name, IdentityConfig.KIND_ASSUME_ROLE, null, viaIdentity, null,
        new IdentityConfig.Principal(null, null, null, roleArn, externalId, duration, null, null),
        false, false, Map.of()));
  }

  public ConfigFixtures add(IdentityConfig identity) {
    identities.put(identity.name(), identity);
    return this;
  }

  public ConfigFixtures makeDefault(String name) {
    IdentityConfig i = identities.get(name);
    identities.put(name, new IdentityConfig(i.name(), i.kind(), i.viaProvider(), i.viaIdentity(), i.provider(),
        i.principal(), true, i.provisioned(), i.env()));
    return this;
  }

  public ConfigFixtures env(String name, Map<String, String> env) {
    IdentityConfig i = identities.get(name);
    identities.put(name, new IdentityConfig(i.name(), i.kind(), i.viaProvider(), i.viaIdentity(), i.provider(),
        i.principal(), i.isDefault(), i.provisioned(), env));
    return this;
  }

  public AtmosConfig build() {
    return new AtmosConfig(source, new LinkedHashMap<>(providers), new LinkedHashMap<>(identities), List.of(), List.of());
  }
}
