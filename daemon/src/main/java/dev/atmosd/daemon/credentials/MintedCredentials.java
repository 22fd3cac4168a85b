package dev.atmosd.daemon.credentials;

import java.time.Instant;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

/**
 * One set of temporary AWS credentials for an identity, as minted by IAM Identity Center or STS.
 * {@link #toString()} shows only the key id's last four characters, so a stray log line leaks nothing.
 */
public record MintedCredentials(
    String identity,
    String accessKeyId,
    String secretAccessKey,
    String sessionToken,
    Instant expiration,
    String accountId,
    String region,
    Instant mintedAt) {

  /** The credentials as the AWS SDK signs with them (for STS calls made on the identity's behalf). */
  public AwsSessionCredentials asSdkCredentials() {
    return AwsSessionCredentials.builder()
        .accessKeyId(accessKeyId)
        .secretAccessKey(secretAccessKey)
        .sessionToken(sessionToken)
        .expirationTime(expiration)
        .accountId(accountId)
        .build();
  }

  @Override
  public String toString() {
    String tail = accessKeyId == null || accessKeyId.length() < 4 ? "?" : accessKeyId.substring(accessKeyId.length() - 4);
    return "MintedCredentials[identity=" + identity + ", accessKeyId=..." + tail + ", expiration=" + expiration
        + ", accountId=" + accountId + ", region=" + region + "]";
  }
}
