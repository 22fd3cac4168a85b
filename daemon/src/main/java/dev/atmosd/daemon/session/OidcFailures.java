package dev.atmosd.daemon.session;

import dev.atmosd.daemon.config.ProviderConfig;
import dev.atmosd.daemon.rpc.StatusErrors;
import dev.atmosd.daemon.rpc.UserFacingException;
import io.grpc.Status;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.concurrent.CancellationException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.ssooidc.model.ExpiredTokenException;
import software.amazon.awssdk.services.ssooidc.model.InvalidClientException;
import software.amazon.awssdk.services.ssooidc.model.InvalidGrantException;
import software.amazon.awssdk.services.ssooidc.model.SlowDownException;

/**
 * Turns what an SSO OIDC call failed with into the one-line, actionable {@link UserFacingException} the CLI shows.
 * Messages name the portal or endpoint and what to do; they quote only error codes and network reasons, never an
 * SDK message (which may echo a request) and never a token.
 */
final class OidcFailures {
  private OidcFailures() {}

  static UserFacingException denied(ProviderConfig provider) {
    return new UserFacingException(Status.PERMISSION_DENIED, "sign-in to " + provider.startUrl()
        + " was denied in the browser; run `atmos auth login` to try again");
  }

  static UserFacingException codeExpired(ProviderConfig provider) {
    return new UserFacingException(Status.DEADLINE_EXCEEDED, "the sign-in code expired before it was approved; run "
        + "`atmos auth login` to get a new code for " + provider.startUrl());
  }

  /**
   * Nobody waiting can show a device-flow code (an SDK's credential_process, CI, background work). The session is
   * missing, not the config wrong: UNAUTHENTICATED, which the CLI exits 1 on.
   */
  static UserFacingException needsSignIn(ProviderConfig provider) {
    return new UserFacingException(Status.UNAUTHENTICATED, "no SSO session for " + provider.name()
        + ": run `atmos auth login --provider " + provider.name() + "`");
  }

  /** Whether a refresh-token exchange failed because the refresh token or client registration is no longer accepted. */
  static boolean refreshRejected(Throwable failure) {
    Throwable cause = StatusErrors.unwrap(failure);
    return cause instanceof InvalidGrantException || cause instanceof InvalidClientException
        || cause instanceof ExpiredTokenException;
  }

  /** Whether retrying later may help (network, throttling, server faults), as opposed to a definite answer. */
  static boolean isTransient(Throwable failure) {
    Throwable cause = StatusErrors.unwrap(failure);
    if (cause instanceof SdkClientException) {
      return true;
    }
    if (cause instanceof AwsServiceException service) {
      return service.isThrottlingException() || service.statusCode() == 429 || service.statusCode() >= 500
          || cause instanceof SlowDownException;
    }
    return false;
  }

  /** The user-facing form of any failure of an OIDC call for {@code provider}. */
  static RuntimeException toUserFacing(ProviderConfig provider, Throwable failure) {
    Throwable cause = StatusErrors.unwrap(failure);
    if (cause instanceof UserFacingException || cause instanceof CancellationException) {
      return (RuntimeException) cause;
    }
    String endpoint = endpoint(provider);
    if (cause instanceof SdkClientException client) {
      Throwable network = networkCause(client);
      if (network != null) {
        return new UserFacingException(Status.UNAVAILABLE, "cannot reach IAM Identity Center at " + endpoint + ": "
            + reason(network) + "; check the network or spec.endpoint_url");
      }
      return new UserFacingException(Status.UNAVAILABLE, "IAM Identity Center at " + endpoint
          + " could not be used (" + cause.getClass().getSimpleName() + "); check the network or spec.endpoint_url");
    }
    if (cause instanceof AwsServiceException service) {
      String code = errorCode(service);
      if (service.isThrottlingException() || service.statusCode() == 429 || cause instanceof SlowDownException) {
        return new UserFacingException(Status.RESOURCE_EXHAUSTED, "IAM Identity Center is throttling sign-in requests for "
            + provider.startUrl() + " (" + code + "); wait a minute and try again");
      }
      if (service.statusCode() >= 500) {
        return new UserFacingException(Status.UNAVAILABLE, "IAM Identity Center at " + endpoint + " failed (HTTP "
            + service.statusCode() + " " + code + "); try again in a minute");
      }
      if (service.statusCode() == 404 && !code.endsWith("NotFoundException")) {
        // No AWS error code: the URL is not an SSO OIDC API at all (a wrong AWS_ENDPOINT_URL_SSO_OIDC or region).
        // The sign-in was never refused, and the call failed rather than the config being invalid: exit 1.
        return new UserFacingException(Status.UNAVAILABLE, "the SSO OIDC endpoint " + endpoint
            + " answered HTTP 404: check AWS_ENDPOINT_URL_SSO_OIDC / spec.endpoint_url / the region (" + provider.region()
            + ") of provider " + provider.name());
      }
      return new UserFacingException(Status.FAILED_PRECONDITION, "IAM Identity Center at " + endpoint
          + " refused the sign-in for " + provider.startUrl() + " (" + code + "); check start_url and region of provider "
          + provider.name());
    }
    if (cause instanceof RuntimeException runtime) {
      return runtime;
    }
    return new IllegalStateException(cause.getClass().getSimpleName(), cause);
  }

  /** A few words on why a call failed, for logs and warnings: an error code or a network reason, nothing quoted. */
  static String shortReason(ProviderConfig provider, Throwable failure) {
    Throwable cause = StatusErrors.unwrap(failure);
    if (cause instanceof java.util.concurrent.TimeoutException) {
      return "no answer in time";
    }
    if (cause instanceof UserFacingException user) {
      return user.getMessage();
    }
    if (cause instanceof SdkClientException client) {
      Throwable network = networkCause(client);
      return network != null ? "unreachable: " + reason(network) : cause.getClass().getSimpleName();
    }
    if (cause instanceof AwsServiceException service) {
      return errorCode(service) + ", HTTP " + service.statusCode();
    }
    return cause.getClass().getSimpleName();
  }

  static String endpoint(ProviderConfig provider) {
    URI override = provider.endpoints() == null ? null : provider.endpoints().ssoOidc();
    return override != null ? override.toString() : "https://oidc." + provider.region() + ".amazonaws.com";
  }

  private static String errorCode(AwsServiceException service) {
    if (service.awsErrorDetails() != null && service.awsErrorDetails().errorCode() != null) {
      return service.awsErrorDetails().errorCode();
    }
    return service.getClass().getSimpleName();
  }

  private static Throwable networkCause(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof ConnectException || t instanceof UnknownHostException || t instanceof NoRouteToHostException
          || t instanceof SocketTimeoutException) {
        Throwable deepest = t;
        while (deepest.getCause() != null && deepest.getCause() != deepest) {
          deepest = deepest.getCause();
        }
        return deepest.getMessage() != null ? deepest : t;
      }
    }
    return null;
  }

  private static String reason(Throwable network) {
    if (network instanceof UnknownHostException) {
      return "unknown host " + oneLine(network.getMessage());
    }
    String message = network.getMessage();
    return message == null || message.isBlank() ? network.getClass().getSimpleName() : oneLine(message);
  }

  private static String oneLine(String text) {
    return text == null ? "" : text.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
  }
}
