package dev.atmosd.daemon.config;

import dev.atmosd.daemon.aws.AwsEndpoints;
import dev.atmosd.daemon.session.PortalKey;
import java.time.Duration;

/** One entry of {@code auth.providers} in atmos.yaml, with endpoint overrides already resolved for the asking client. */
public record ProviderConfig(
    String name,
    String kind,
    String startUrl,
    String region,
    boolean autoProvisionIdentities,
    boolean isDefault,
    AwsEndpoints endpoints,
    ProvisioningSettings provisioning) {

  public static final String KIND_IDENTITY_CENTER = "aws/iam-identity-center";

  /** Every provider pointing at one portal shares one session, whatever it is called. */
  public String sessionKey() {
    return PortalKey.of(startUrl, region);
  }

  public boolean isIdentityCenter() {
    return KIND_IDENTITY_CENTER.equals(kind);
  }

  /** {@code auth.providers.<name>.provisioning}: how discovery runs for auto_provision_identities. */
  public record ProvisioningSettings(Duration interval, int parallelism) {
    public static final ProvisioningSettings DEFAULT = new ProvisioningSettings(Duration.ofHours(1), 8);
  }
}
