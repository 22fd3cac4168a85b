package dev.atmosd.cli;

import dev.atmosd.v1.EndpointGrant;
import dev.atmosd.v1.RoleCredentials;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The variables that hand an identity to a tool. The identity's own {@code env:} entries come first so the
 * credential variables always win: an atmos.yaml cannot accidentally point a tool at other credentials.
 */
public final class CredentialEnvironment {
  /**
   * Variables that, when present, make an AWS SDK use something other than what we hand it (the environment and
   * profile providers come before the container provider in every SDK's default chain).
   */
  public static final List<String> SHADOWING = List.of(
      "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN",
      "AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN",
      "AWS_ROLE_SESSION_NAME", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
      "AWS_CREDENTIAL_EXPIRATION");

  /** Variables that hold AWS secrets themselves: they never leave this process for the daemon. */
  private static final List<String> AWS_SECRETS = List.of("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
      "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN", "AWS_CONTAINER_AUTHORIZATION_TOKEN");

  private CredentialEnvironment() {}

  public static boolean isAwsCredentialVariable(String name) {
    return AWS_SECRETS.contains(name);
  }

  /**
   * The container-credentials endpoint: tools refresh from it on their own, so long runs outlive one set of keys.
   * Every SDK's default chain asks the shared config and credentials files before the container provider, so a
   * {@code [default]} profile in ~/.aws (keys, SSO or a credential_process) would win: the files are pointed at
   * nothing, as the Go atmos points them at its own, and instance metadata is never asked.
   */
  public static SortedMap<String, String> forGrant(EndpointGrant grant) {
    SortedMap<String, String> vars = new TreeMap<>(grant.getIdentityEnvironmentMap());
    if (grant.getPassthrough()) {
      // Go's ambient PrepareEnvironment: nothing cleared, no files or metadata switched off; the region if configured.
      putRegion(vars, grant.getRegion());
      return vars;
    }
    vars.put("AWS_CONFIG_FILE", "/dev/null");
    vars.put("AWS_SHARED_CREDENTIALS_FILE", "/dev/null");
    vars.put("AWS_EC2_METADATA_DISABLED", "true");
    vars.put("AWS_CONTAINER_CREDENTIALS_FULL_URI", grant.getFullUri());
    vars.put("AWS_CONTAINER_AUTHORIZATION_TOKEN", grant.getAuthorizationToken());
    putRegion(vars, grant.getRegion());
    return vars;
  }

  /** Static keys ({@code --static}): for tools that read only the environment. They stop working at expiry. */
  public static SortedMap<String, String> forCredentials(RoleCredentials credentials) {
    SortedMap<String, String> vars = new TreeMap<>(credentials.getIdentityEnvironmentMap());
    vars.put("AWS_ACCESS_KEY_ID", credentials.getAccessKeyId());
    vars.put("AWS_SECRET_ACCESS_KEY", credentials.getSecretAccessKey());
    vars.put("AWS_SESSION_TOKEN", credentials.getSessionToken());
    if (Timestamps.isSet(credentials.getExpiration())) {
      vars.put("AWS_CREDENTIAL_EXPIRATION", Timestamps.iso(credentials.getExpiration()));
    }
    putRegion(vars, credentials.getRegion());
    return vars;
  }

  /** The shadowing variables this output must unset: those it does not set itself. */
  public static List<String> toUnset(Map<String, String> set) {
    return SHADOWING.stream().filter(name -> !set.containsKey(name)).sorted().toList();
  }

  private static void putRegion(Map<String, String> vars, String region) {
    if (region != null && !region.isEmpty()) {
      vars.put("AWS_REGION", region);
      vars.put("AWS_DEFAULT_REGION", region);
    }
  }
}
