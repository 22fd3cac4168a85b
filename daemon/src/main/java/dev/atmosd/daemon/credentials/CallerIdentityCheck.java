package dev.atmosd.daemon.credentials;

import dev.atmosd.daemon.aws.AwsClients;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;

/** Asks STS who an identity's credentials belong to ({@code atmos auth whoami}): proof they work, not just exist. */
final class CallerIdentityCheck {
  private final AwsClients aws;

  CallerIdentityCheck(AwsClients aws) {
    this.aws = aws;
  }

  /** Blocks on STS. */
  VerifiedCaller check(IdentityChain chain, MintedCredentials credentials) {
    GetCallerIdentityResponse response;
    try (StsClient sts = aws.sts(chain.provider().endpoints(), credentials.region(),
        StaticCredentialsProvider.create(credentials.asSdkCredentials()))) {
      response = sts.getCallerIdentity();
    } catch (SdkException e) {
      throw AwsFailures.callerIdentity(chain.target().name(), chain.provider().endpoints().sts(), e);
    }
    return new VerifiedCaller(chain.target().name(), response.account(), response.arn(), response.userId(),
        credentials.expiration(), credentials.region(), chain.provider().name());
  }
}
