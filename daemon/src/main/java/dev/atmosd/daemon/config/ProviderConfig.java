package dev.atmosd.daemon.config;

import dev.atmosd.daemon.aws.AwsEndpoints;
import dev.atmosd.daemon.session.PortalKey;
import java.time.Duration;
import java.util.Map;

/**
 * One entry of {@code auth.providers} in atmos.yaml, typed for every kind the Go atmos accepts, with endpoint
 * overrides already resolved for the asking client.
 *
 * @param startUrl aws/iam-identity-center {@code start_url}; aws/saml {@code url}
 * @param sessionDuration {@code session.duration}
 * @param consoleSessionDuration {@code console.session_duration}
 * @param audience github/oidc {@code spec.audience}
 * @param spec the {@code spec} mapping as written (secrets removed), for kinds whose settings live there
 * @param definition the merged entry as written, secrets removed
 * @param notRunReason empty when atmosd runs this kind, else the one line a command using it fails with
 */
public record ProviderConfig(
    String name,
    String kind,
    String startUrl,
    String region,
    boolean autoProvisionIdentities,
    boolean isDefault,
    AwsEndpoints endpoints,
    ProvisioningSettings provisioning,
    Duration sessionDuration,
    Duration consoleSessionDuration,
    String audience,
    Map<String, Object> spec,
    Map<String, Object> definition,
    String notRunReason) {

  public static final String KIND_IDENTITY_CENTER = "aws/iam-identity-center";
  public static final String KIND_SAML = "aws/saml";
  public static final String KIND_GITHUB_OIDC = "github/oidc";

  /** The shape before issue 10. */
  public ProviderConfig(String name, String kind, String startUrl, String region, boolean autoProvisionIdentities,
      boolean isDefault, AwsEndpoints endpoints, ProvisioningSettings provisioning) {
    this(name, kind, startUrl, region, autoProvisionIdentities, isDefault, endpoints, provisioning, null, null, null,
        Map.of(), Map.of(), AuthKinds.providerNotRunReason(kind));
  }

  /** Every provider pointing at one portal shares one session, whatever it is called. */
  public String sessionKey() {
    return PortalKey.of(startUrl, region);
  }

  public boolean isIdentityCenter() {
    return KIND_IDENTITY_CENTER.equals(kind);
  }

  public boolean runByAtmosd() {
    return notRunReason == null || notRunReason.isEmpty();
  }

  /**
   * How discovery runs for auto_provision_identities ({@code auth.providers.<name>.provisioning}: atmosd's own
   * interval and parallelism) and what it writes ({@code spec.discovery}: the atmos PRD's filters and
   * identity_name_template).
   */
  public record ProvisioningSettings(Duration interval, int parallelism, DiscoveryFilter filter,
      IdentityNameTemplate nameTemplate) {
    public static final ProvisioningSettings DEFAULT = new ProvisioningSettings(Duration.ofHours(1), 8);

    public ProvisioningSettings(Duration interval, int parallelism) {
      this(interval, parallelism, DiscoveryFilter.ALL, IdentityNameTemplate.DEFAULT);
    }
  }
}
