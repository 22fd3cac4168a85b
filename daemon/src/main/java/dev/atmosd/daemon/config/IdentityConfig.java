package dev.atmosd.daemon.config;

import java.time.Duration;
import java.util.Map;

/** One entry of {@code auth.identities} in atmos.yaml (hand-written or provisioned, after the deep merge). */
public record IdentityConfig(
    String name,
    String kind,
    String viaProvider,
    String viaIdentity,
    String provider,
    Principal principal,
    boolean isDefault,
    boolean provisioned,
    Map<String, String> env) {

  public static final String KIND_PERMISSION_SET = "aws/permission-set";
  public static final String KIND_ASSUME_ROLE = "aws/assume-role";

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
}
