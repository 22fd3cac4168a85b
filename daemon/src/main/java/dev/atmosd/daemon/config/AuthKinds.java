package dev.atmosd.daemon.config;

import java.util.Set;

/**
 * The provider and identity kinds the Go atmos accepts (its {@code pkg/auth/factory} and {@code pkg/auth/types}
 * constants), and which of them atmosd runs. A kind accepted but not run is loaded, listed and validated; only a
 * command that needs credentials from it fails, with {@link #identityNotRunReason}/{@link #providerNotRunReason}.
 * One list to edit when atmosd learns to run another kind.
 */
public final class AuthKinds {
  private AuthKinds() {}

  /** Go's NewProvider switch plus the kinds registered with its factory (gcp/*). */
  public static final Set<String> GO_PROVIDER_KINDS = Set.of(
      "aws/iam-identity-center", "aws/saml", "github/oidc",
      "azure/cli", "azure/device-code", "azure/oidc",
      "gcp/adc", "gcp/workload-identity-federation",
      // atmos/pro: the Atmos Pro provider (GitHub OIDC federated to Atmos Pro) with its identity of the same kind.
      "atmos/pro",
      "mock", "mock/aws");

  /** Go's NewIdentity switch plus the factory-registered gcp/* and emulator kinds and the ambient kinds. */
  public static final Set<String> GO_IDENTITY_KINDS = Set.of(
      "aws/permission-set", "aws/assume-role", "aws/assume-root", "aws/user", "aws/ambient", "ambient",
      "azure/subscription", "gcp/service-account", "gcp/project",
      "aws/emulator", "gcp/emulator", "azure/emulator", "kubernetes/emulator",
      "atmos/pro",
      "mock", "mock/aws");

  /** Kinds atmosd signs in / mints itself. */
  public static final Set<String> RUN_PROVIDER_KINDS = Set.of(ProviderConfig.KIND_IDENTITY_CENTER);
  public static final Set<String> RUN_IDENTITY_KINDS = Set.of(
      IdentityConfig.KIND_PERMISSION_SET, IdentityConfig.KIND_ASSUME_ROLE, IdentityConfig.KIND_ASSUME_ROOT);

  /** Empty when atmosd runs {@code kind}; else the one line a command using it fails with. */
  public static String providerNotRunReason(String kind) {
    if (RUN_PROVIDER_KINDS.contains(kind)) {
      return "";
    }
    return "atmosd accepts provider kind " + kind + " but does not run it: use the Go atmos for it, or an "
        + ProviderConfig.KIND_IDENTITY_CENTER + " provider";
  }

  public static String identityNotRunReason(String kind) {
    if (RUN_IDENTITY_KINDS.contains(kind)) {
      return "";
    }
    if (IdentityConfig.KIND_AWS_AMBIENT.equals(kind) || IdentityConfig.KIND_AMBIENT.equals(kind)) {
      return "identity kind " + kind + " is the credentials already in your environment: `atmos auth exec`, `auth"
          + " shell`, `auth env` and `atmos terraform` pass them through; atmosd does not mint them for"
          + " credential-process or whoami, nor chain another identity on them (use the Go atmos for that)";
    }
    return "atmosd accepts identity kind " + kind + " but does not run it: use the Go atmos for it, or an "
        + IdentityConfig.KIND_PERMISSION_SET + " / " + IdentityConfig.KIND_ASSUME_ROLE + " / "
        + IdentityConfig.KIND_ASSUME_ROOT + " identity";
  }
}
