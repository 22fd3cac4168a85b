package dev.atmosd.daemon.credentials;

import dev.atmosd.daemon.aws.AwsClients;
import dev.atmosd.daemon.config.IdentityConfig;
import dev.atmosd.daemon.config.ProviderConfig;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.AssumeRoleRequest;
import software.amazon.awssdk.services.sts.model.AssumeRoleResponse;
import software.amazon.awssdk.services.sts.model.Credentials;

/** Mints an aws/assume-role identity's credentials: STS AssumeRole signed with the credentials of its via.identity. */
final class AssumeRoleMinter {
  /** STS allows {@code [\w+=,.@-]{2,64}} for RoleSessionName. */
  private static final int MAX_SESSION_NAME = 64;

  private final AwsClients aws;
  private final Clock clock;

  AssumeRoleMinter(AwsClients aws, Clock clock) {
    this.aws = aws;
    this.clock = clock;
  }

  /** Blocks on STS. {@code parent} are the credentials of the link before the chain's target. */
  MintedCredentials mint(IdentityChain chain, MintedCredentials parent) {
    IdentityConfig identity = chain.target();
    IdentityConfig.Principal principal = identity.principal();
    ProviderConfig provider = chain.provider();
    String region = chain.region();
    AssumeRoleRequest.Builder request = AssumeRoleRequest.builder()
        .roleArn(principal.assumeRoleArn())
        .roleSessionName(sessionName(principal.sessionName()));
    if (principal.externalId() != null && !principal.externalId().isBlank()) {
      request.externalId(principal.externalId());
    }
    // Go's assume_role.go reads principal.duration; session.duration is the identity-level spelling atmos documents.
    java.time.Duration duration = principal.duration() != null ? principal.duration() : identity.sessionDuration();
    if (duration != null) {
      request.durationSeconds((int) duration.toSeconds());
    }
    Instant askedAt = clock.instant();
    AssumeRoleResponse response;
    try (StsClient sts = aws.sts(provider.endpoints(), region, StaticCredentialsProvider.create(parent.asSdkCredentials()))) {
      response = sts.assumeRole(request.build());
    } catch (SdkException e) {
      throw AwsFailures.assumeRole(identity.name(), principal.assumeRoleArn(), provider.endpoints().sts(), e);
    }
    Credentials credentials = response.credentials();
    String assumedArn = response.assumedRoleUser() == null ? null : response.assumedRoleUser().arn();
    return new MintedCredentials(identity.name(), credentials.accessKeyId(), credentials.secretAccessKey(),
        credentials.sessionToken(), credentials.expiration(), accountOf(assumedArn, principal.assumeRoleArn()), region,
        askedAt);
  }

  /** {@code principal.session_name}, else {@code atmos-<user>}, trimmed to what STS accepts. */
  static String sessionName(String configured) {
    String name = configured != null && !configured.isBlank()
        ? configured
        : "atmos-" + System.getProperty("user.name", "user").toLowerCase(Locale.ROOT);
    String safe = name.replaceAll("[^\\w+=,.@-]", "-");
    if (safe.length() < 2) {
      safe = "atmos-" + safe;
    }
    return safe.length() > MAX_SESSION_NAME ? safe.substring(0, MAX_SESSION_NAME) : safe;
  }

  /** The account of {@code arn:aws:sts::123456789012:assumed-role/...}, falling back to the role ARN's. */
  static String accountOf(String assumedArn, String roleArn) {
    for (String arn : new String[] {assumedArn, roleArn}) {
      if (arn != null) {
        String[] parts = arn.split(":", 6);
        if (parts.length >= 5 && parts[4].matches("\\d{12}")) {
          return parts[4];
        }
      }
    }
    return null;
  }
}
