package dev.atmosd.it.container;

import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;

/**
 * Runs INSIDE the test container: an ordinary AWS SDK for Java program with no configuration of its own. Credentials
 * come from the SDK's default chain, region and STS endpoint from the environment (AWS_REGION,
 * AWS_ENDPOINT_URL_STS). Prints one line of JSON for the test to read; exits 1 on any failure.
 */
public final class ContainerSdkWhoami {
  private ContainerSdkWhoami() {}

  public static void main(String[] args) {
    try (DefaultCredentialsProvider provider = DefaultCredentialsProvider.builder().build();
         StsClient sts = StsClient.builder().credentialsProvider(provider).build()) {
      AwsCredentials credentials = provider.resolveCredentials();
      GetCallerIdentityResponse who = sts.getCallerIdentity();
      String expiration = credentials instanceof AwsSessionCredentials session
          ? session.expirationTime().map(Object::toString).orElse("") : "";
      System.out.println("{\"account\":\"" + who.account() + "\",\"arn\":\"" + who.arn()
          + "\",\"credentials\":\"" + credentials.getClass().getSimpleName()
          + "\",\"accessKeyPrefix\":\"" + credentials.accessKeyId().substring(0, 4)
          + "\",\"expiration\":\"" + expiration + "\"}");
    } catch (RuntimeException failed) {
      System.err.println("container whoami failed: " + failed);
      System.exit(1);
    }
  }
}
