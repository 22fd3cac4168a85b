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
 * Turns what the AWS SDK threw into one line the user can act on. Only error codes, names and ARNs reach the
 * message: an SDK message may quote a request, and a request may carry a token.
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
      if (service.statusCode() == 404 || "ResourceNotFoundException".equals(code)) {
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
    if (failure instanceof AwsServiceException service) {
      String code = errorCode(service);
      if (service.statusCode() == 403 || "AccessDenied".equals(code) || "AccessDeniedException".equals(code)) {
        return new UserFacingException(Status.PERMISSION_DENIED, "STS refused AssumeRole of " + roleArn
            + " for identity '" + identity + "' (" + code + "): check the role's trust policy and the permissions of "
            + "the identity it is assumed via");
      }
      if (service.statusCode() == 400 && !service.isThrottlingException()) {
        return new UserFacingException(Status.FAILED_PRECONDITION, "STS rejected AssumeRole of " + roleArn
            + " for identity '" + identity + "' (" + code + "): check principal.assume_role, principal.duration, "
            + "principal.external_id and principal.session_name in atmos.yaml");
      }
    }
    return common("STS", "AssumeRole of " + roleArn + " for identity '" + identity + "'", endpoint, failure);
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
      return new UserFacingException(Status.FAILED_PRECONDITION, service + " rejected " + what + " (HTTP "
          + aws.statusCode() + " " + code + ")");
    }
    if (failure instanceof SdkClientException) {
      return new UserFacingException(Status.UNAVAILABLE, "could not reach " + service + " at " + where(endpoint)
          + " for " + what + " (" + networkReason(failure) + "); check the network or the endpoint_url / "
          + "AWS_ENDPOINT_URL* settings");
    }
    return new UserFacingException(Status.UNAVAILABLE, service + " call " + what + " failed ("
        + failure.getClass().getSimpleName() + ")");
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
