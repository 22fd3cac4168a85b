package dev.atmosd.daemon.provisioning;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.services.sso.model.UnauthorizedException;

/**
 * Runs one portal call under the shared {@link AdaptiveRateLimiter}, retrying what a retry can fix: 429
 * TooManyRequests (which also slows the whole pool down), 5xx and connection errors. Our own loop rather than the
 * SDK's retry strategy because the SDK's backoff is per request and knows nothing of the other workers, and its
 * 3 attempts are what made peers fail at a few hundred accounts. Delays double from {@code backoffBase} up to
 * {@code backoffCap}, with equal jitter so the pool's retries do not line up.
 */
final class PortalCallRetries {
  private final DiscoveryTuning tuning;
  private final LongAdder calls;
  private final LongAdder throttled;
  private final LongAdder retried;

  PortalCallRetries(DiscoveryTuning tuning, LongAdder calls, LongAdder throttled, LongAdder retried) {
    this.tuning = tuning;
    this.calls = calls;
    this.throttled = throttled;
    this.retried = retried;
  }

  <T> T call(AdaptiveRateLimiter limiter, String what, Supplier<T> call) throws PortalCallFailedException, InterruptedException {
    for (int attempt = 1; ; attempt++) {
      AdaptiveRateLimiter.Permit permit = limiter.acquire();
      calls.increment();
      if (attempt > 1) {
        retried.increment();
      }
      SdkException failure;
      try {
        T result = call.get();
        limiter.onSuccess(permit);
        return result;
      } catch (UnauthorizedException e) {
        throw new PortalCallFailedException(what + ": the portal rejected the session (401); sign in again", true, e);
      } catch (SdkServiceException e) {
        if (e.isThrottlingException() || e.statusCode() == 429) {
          throttled.increment();
          limiter.onThrottled(permit);
        } else if (e.statusCode() < 500) {
          throw new PortalCallFailedException(what + ": " + describe(e), false, e);
        }
        failure = e;
      } catch (SdkClientException e) {
        if (Thread.currentThread().isInterrupted()) {
          throw new InterruptedException(what + " interrupted");
        }
        failure = e;
      }
      if (attempt >= tuning.attempts()) {
        throw new PortalCallFailedException(what + ": gave up after " + attempt + " attempts: " + describe(failure), false, failure);
      }
      TimeUnit.NANOSECONDS.sleep(backoffNanos(attempt));
    }
  }

  private long backoffNanos(int attempt) {
    long cap = tuning.backoffCap().toNanos();
    long exp = Math.min(cap, tuning.backoffBase().toNanos() << Math.min(attempt - 1, 30));
    long half = Math.max(1, exp / 2);
    return half + ThreadLocalRandom.current().nextLong(half);
  }

  /** One line naming the error, never request headers (the token travels in one). */
  static String describe(Throwable e) {
    if (e instanceof SdkServiceException service) {
      AwsErrorDetails details = service instanceof AwsServiceException aws ? aws.awsErrorDetails() : null;
      String code = details != null ? details.errorCode() : null;
      String message = details != null ? details.errorMessage() : null;
      return (code != null ? code : "HTTP error") + " (HTTP " + service.statusCode() + ")"
          + (message != null && !message.isBlank() ? ": " + oneLine(message) : "");
    }
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
    return "connection failed: " + oneLine(message);
  }

  private static String oneLine(String s) {
    String line = s.replaceAll("\\s+", " ").strip();
    return line.length() > 200 ? line.substring(0, 200) + "…" : line;
  }
}
