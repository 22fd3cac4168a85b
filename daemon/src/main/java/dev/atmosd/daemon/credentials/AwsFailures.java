package dev.atmosd.daemon.credentials;

import dev.atmosd.daemon.rpc.UserFacingException;
import io.grpc.Status;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Turns what the AWS SDK threw into one line the user can act on. Error codes, names, ARNs and the service's own
 * error message reach it, never the SDK's exception message (which may quote a request, and a request may carry a
 * token). An AWS refusal is the operation failing (exit 1), not a config error: the config was read and was valid,
 * AWS said no — so never INVALID_ARGUMENT / NOT_FOUND / FAILED_PRECONDITION (exit 2) for an AWS answer, except where
 * the answer proves an atmos.yaml entry names something that does not exist.
 */
final class AwsFailures {
  private AwsFailures() {}

  /** GetRoleCredentials for {@code permissionSet} in {@code accountId} failed. */
  static RuntimeException roleCredentials(String identity, String permissionSet, String accountId, URI endpoint,
      SdkException failure) {
    if (failure instanceof AwsServiceException service) {
      String code = errorCode(service);
      if (service.statusCode() == 403 || "ForbiddenException".equals(code) || "AccessDeniedException".equals(code)) {
        return new UserFacingException(Status.PERMISSION_DENIED, "IAM Identity Center refused " + permissionSet
            + " in account " + accountId + " (" + code + "): check the assignment of identity '" + identity
            + "' (principal.name and principal.account), or sign in again with `atmos auth login --force`");
      }
      if ("ResourceNotFoundException".equals(code)) {
        return new UserFacingException(Status.FAILED_PRECONDITION, "IAM Identity Center has no permission set "
            + permissionSet + " assigned in account " + accountId + " (" + code + ") for identity '" + identity
            + "': check principal.name and principal.account in atmos.yaml");
      }
    }
    return common("IAM Identity Center", "GetRoleCredentials for identity '" + identity + "'", endpoint, failure);
  }

  /** ListAccounts failed while resolving an account name. */
  static RuntimeException listAccounts(String provider, URI endpoint, SdkException failure) {
    return common("IAM Identity Center", "ListAccounts for provider '" + provider + "'", endpoint, failure);
  }

  /** STS AssumeRole of {@code roleArn} failed. */
  static RuntimeException assumeRole(String identity, String roleArn, URI endpoint, SdkException failure) {
    return stsAssume("AssumeRole", identity, roleArn, roleArn, endpoint, failure,
        "check principal.assume_role, principal.duration, principal.external_id and principal.session_name in "
            + "atmos.yaml",
        "check the role's trust policy and the permissions of the identity it is assumed via");
  }

  /** STS AssumeRoot of member account {@code target} failed (Go's assume_root.go hints, as one line). */
  static RuntimeException assumeRoot(String identity, String target, String taskPolicyArn, URI endpoint,
      SdkException failure) {
    return stsAssume("AssumeRoot", identity, target + ", " + taskPolicyArn, target, endpoint, failure,
        "check principal.target_principal, principal.task_policy_arn and principal.duration in atmos.yaml",
        "check that " + target + " is a member of your organization with centralized root access enabled, and"
            + " that the identity it is assumed via may call sts:AssumeRoot");
  }

  /**
   * An STS Assume* call for {@code identity} failed: a refusal names what was asked ({@code subject}) and what AWS
   * answered, with {@code parameterHint} for a rejected request (400 other than AccessDenied) and
   * {@code permissionHint} for a denial; anything else is {@link #common}.
   */
  private static RuntimeException stsAssume(String operation, String identity, String subject, String target,
      URI endpoint, SdkException failure, String parameterHint, String permissionHint) {
    if (failure instanceof AwsServiceException service && isRefusal(service)) {
      String code = errorCode(service);
      String hint = service.statusCode() == 400 && !"AccessDenied".equals(code) ? parameterHint : permissionHint;
      return new UserFacingException(refusalStatus(service), "AWS STS refused " + operation + " for '" + identity
          + "' (" + subject + "): " + code + awsMessage(service) + "; " + hint);
    }
    return common("STS", operation + " of " + target + " for identity '" + identity + "'", endpoint, failure);
  }

  /** STS GetCallerIdentity failed. */
  static RuntimeException callerIdentity(String identity, URI endpoint, SdkException failure) {
    return common("STS", "GetCallerIdentity for identity '" + identity + "'", endpoint, failure);
  }

  private static RuntimeException common(String service, String what, URI endpoint, SdkException failure) {
    if (failure instanceof AwsServiceException aws) {
      String code = errorCode(aws);
      if (aws.isThrottlingException() || aws.statusCode() == 429) {
        return new UserFacingException(Status.RESOURCE_EXHAUSTED, service + " throttled " + what + " (" + code
            + ") even after retries; try again in a minute");
      }
      if (aws.statusCode() >= 500) {
        return new UserFacingException(Status.UNAVAILABLE, service + " failed " + what + " (HTTP " + aws.statusCode()
            + " " + code + "); try again shortly");
      }
      if (aws.statusCode() == 404 && !code.endsWith("NotFoundException")) {
        // No AWS error code: the endpoint itself is not an AWS API (a wrong AWS_ENDPOINT_URL* or region).
        return new UserFacingException(Status.UNAVAILABLE, "the " + service + " endpoint " + (endpoint == null ? "of the region" : endpoint)
            + " answered HTTP 404 to " + what + ": check " + endpointSetting(service) + " / the provider's region");
      }
      return new UserFacingException(refusalStatus(aws), service + " refused " + what + ": HTTP " + aws.statusCode()
          + " " + code + awsMessage(aws));
    }
    if (failure instanceof SdkClientException) {
      return new UserFacingException(Status.UNAVAILABLE, "could not reach " + service + " at " + where(endpoint)
          + " for " + what + " (" + networkReason(failure) + "); check the network or the endpoint_url / "
          + "AWS_ENDPOINT_URL* settings");
    }
    return new UserFacingException(Status.UNAVAILABLE, service + " call " + what + " failed ("
        + failure.getClass().getSimpleName() + ")");
  }

  /** A definite "no" from the service, as opposed to throttling or a server fault worth retrying. */
  private static boolean isRefusal(AwsServiceException failure) {
    return failure.statusCode() >= 400 && failure.statusCode() < 500 && failure.statusCode() != 429
        && !failure.isThrottlingException();
  }

  /** Codes the CLI exits 1 on (atmosd.proto): the call was made and AWS refused it. */
  private static Status refusalStatus(AwsServiceException failure) {
    return failure.statusCode() == 401 || failure.statusCode() == 403 ? Status.PERMISSION_DENIED : Status.ABORTED;
  }

  /** The service's own words (": User ... is not authorized ..."), one bounded line; empty when it sent none. */
  static String awsMessage(AwsServiceException failure) {
    String message = failure.awsErrorDetails() == null ? null : failure.awsErrorDetails().errorMessage();
    if (message == null || message.isBlank()) {
      return "";
    }
    String line = message.replaceAll("\\s+", " ").strip();
    return ": " + (line.length() <= MAX_AWS_MESSAGE ? line : line.substring(0, MAX_AWS_MESSAGE - 1) + "…");
  }

  private static final int MAX_AWS_MESSAGE = 300;

  private static String endpointSetting(String service) {
    return "STS".equals(service) ? "AWS_ENDPOINT_URL_STS" : "AWS_ENDPOINT_URL_SSO";
  }

  static String errorCode(AwsServiceException failure) {
    if (failure.awsErrorDetails() != null && failure.awsErrorDetails().errorCode() != null) {
      return failure.awsErrorDetails().errorCode();
    }
    return failure.getClass().getSimpleName();
  }

  private static String where(URI endpoint) {
    return endpoint == null ? "its AWS endpoint" : endpoint.getScheme() + "://" + endpoint.getAuthority();
  }

  private static String networkReason(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof ConnectException) {
        return "connection refused";
      }
      if (cause instanceof UnknownHostException) {
        return "unknown host";
      }
      if (cause instanceof SocketTimeoutException) {
        return "timed out";
      }
    }
    return failure.getClass().getSimpleName();
  }
}
