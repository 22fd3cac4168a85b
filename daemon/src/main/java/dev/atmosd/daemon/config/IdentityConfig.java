package dev.atmosd.daemon.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One entry of {@code auth.identities} in atmos.yaml (hand-written or provisioned, after the deep merge), typed for
 * every kind the Go atmos accepts. Fields a kind does not use are null/empty.
 *
 * @param principal aws/permission-set and aws/assume-role principal (null for other kinds)
 * @param rootPrincipal aws/assume-root principal (null for other kinds)
 * @param credentials aws/user {@code credentials} block (null when absent; Go then reads the keyring)
 * @param sessionDuration {@code session.duration}: the credential lifetime asked of AWS (assume-role, aws/user)
 * @param definition the merged entry as written, secrets removed, for listings that echo Go's shape
 * @param notRunReason empty when atmosd runs this kind, else the one line a command using it fails with
 */
public record IdentityConfig(
    String name,
    String kind,
    String viaProvider,
    String viaIdentity,
    String provider,
    Principal principal,
    boolean isDefault,
    boolean provisioned,
    Map<String, String> env,
    String alias,
    List<String> tags,
    boolean required,
    Duration sessionDuration,
    AssumeRootPrincipal rootPrincipal,
    UserCredentials credentials,
    String principalRegion,
    Map<String, Object> definition,
    String notRunReason) {

  public static final String KIND_PERMISSION_SET = "aws/permission-set";
  public static final String KIND_ASSUME_ROLE = "aws/assume-role";
  public static final String KIND_ASSUME_ROOT = "aws/assume-root";
  public static final String KIND_USER = "aws/user";
  public static final String KIND_AWS_AMBIENT = "aws/ambient";
  public static final String KIND_AMBIENT = "ambient";

  /** The shape before issue 10: a permission set or assume-role with no extra settings. */
  public IdentityConfig(String name, String kind, String viaProvider, String viaIdentity, String provider,
      Principal principal, boolean isDefault, boolean provisioned, Map<String, String> env) {
    this(name, kind, viaProvider, viaIdentity, provider, principal, isDefault, provisioned, env, null, List.of(),
        false, null, null, null, principal == null ? null : principal.region(), Map.of(),
        AuthKinds.identityNotRunReason(kind));
  }

  /** aws/ambient or ambient: credentials the caller already has, which the client passes through to what it runs. */
  public boolean isAmbient() {
    return KIND_AWS_AMBIENT.equals(kind) || KIND_AMBIENT.equals(kind);
  }

  public boolean runByAtmosd() {
    return notRunReason == null || notRunReason.isEmpty();
  }

  /**
   * {@code principal}: for aws/permission-set {@code name} and {@code account.id|name}; for aws/assume-role
   * {@code assume_role}, {@code external_id}, {@code duration}, {@code session_name}. {@code region} for both.
   * Absent fields are null.
   */
  public record Principal(
      String permissionSetName,
      String accountId,
      String accountName,
      String assumeRoleArn,
      String externalId,
      Duration duration,
      String sessionName,
      String region) {}

  /** aws/assume-root {@code principal}: the member account and the AWS-managed task policy (Go's assume_root.go). */
  public record AssumeRootPrincipal(String targetPrincipal, String taskPolicyArn, Duration duration, String region) {}

  /**
   * aws/user {@code credentials}. The secret stays in this record only: never in {@link #definition}, logs or
   * listings. {@code toString} leaves it out.
   */
  public record UserCredentials(String accessKeyId, String secretAccessKey, String region, String mfaArn) {
    @Override
    public String toString() {
      return "UserCredentials[accessKeyId=" + (accessKeyId == null ? "" : "***") + ", region=" + region
          + ", mfaArn=" + mfaArn + "]";
    }
  }
}
