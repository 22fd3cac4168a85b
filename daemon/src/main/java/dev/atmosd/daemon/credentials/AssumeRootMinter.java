package dev.atmosd.daemon.credentials;

import dev.atmosd.daemon.aws.AwsClients;
import dev.atmosd.daemon.config.IdentityConfig;
import dev.atmosd.daemon.config.ProviderConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.AssumeRootRequest;
import software.amazon.awssdk.services.sts.model.AssumeRootResponse;
import software.amazon.awssdk.services.sts.model.Credentials;
import software.amazon.awssdk.services.sts.model.PolicyDescriptorType;

/**
 * Mints an aws/assume-root identity's credentials: STS AssumeRoot of the member account {@code target_principal}
 * with the AWS-managed task policy {@code task_policy_arn}, signed with the credentials of its via.identity (as the
 * Go atmos's assume_root.go). A root session lasts at most 15 minutes: a longer duration is capped, with a warning.
 */
final class AssumeRootMinter {
  private static final Logger log = LoggerFactory.getLogger(AssumeRootMinter.class);
  static final Duration MAX_DURATION = Duration.ofMinutes(15);

  private final AwsClients aws;
  private final Clock clock;

  AssumeRootMinter(AwsClients aws, Clock clock) {
    this.aws = aws;
    this.clock = clock;
  }

  /** Blocks on STS. {@code parent} are the credentials of the link before the chain's target. */
  MintedCredentials mint(IdentityChain chain, MintedCredentials parent) {
    IdentityConfig identity = chain.target();
    IdentityConfig.AssumeRootPrincipal principal = identity.rootPrincipal();
    ProviderConfig provider = chain.provider();
    String region = chain.region();
    AssumeRootRequest.Builder request = AssumeRootRequest.builder()
        .targetPrincipal(principal.targetPrincipal())
        .taskPolicyArn(PolicyDescriptorType.builder().arn(principal.taskPolicyArn()).build());
    Duration duration = principal.duration() != null ? principal.duration() : identity.sessionDuration();
    if (duration != null) {
      if (duration.compareTo(MAX_DURATION) > 0) {
        log.warn("identity '{}': duration {} exceeds AssumeRoot's maximum of 900s; asking for 900s", identity.name(),
            duration);
        duration = MAX_DURATION;
      }
      request.durationSeconds((int) duration.toSeconds());
    }
    Instant askedAt = clock.instant();
    AssumeRootResponse response;
    try (StsClient sts = aws.sts(provider.endpoints(), region, StaticCredentialsProvider.create(parent.asSdkCredentials()))) {
      response = sts.assumeRoot(request.build());
    } catch (SdkException e) {
      throw AwsFailures.assumeRoot(identity.name(), principal.targetPrincipal(), principal.taskPolicyArn(),
          provider.endpoints().sts(), e);
    }
    Credentials credentials = response.credentials();
    return new MintedCredentials(identity.name(), credentials.accessKeyId(), credentials.secretAccessKey(),
        credentials.sessionToken(), credentials.expiration(), principal.targetPrincipal(), region, askedAt);
  }
}
