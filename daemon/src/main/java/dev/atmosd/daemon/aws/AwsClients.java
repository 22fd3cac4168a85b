package dev.atmosd.daemon.aws;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.DefaultRetryStrategy;
import software.amazon.awssdk.utils.SdkAutoCloseable;
import software.amazon.awssdk.services.sso.SsoClient;
import software.amazon.awssdk.services.ssooidc.SsoOidcClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * Builds and shares the daemon's AWS clients: one HTTP connection pool for all, one client per
 * (service, endpoint, region, retry policy). The SSO OIDC and portal calls are unsigned, so those clients carry
 * anonymous credentials and never look at the user's profiles or environment keys.
 */
public final class AwsClients implements AutoCloseable {
  /** How a caller wants failures retried: the SDK's standard policy, or none because it runs its own backoff. */
  public enum Retries { SDK_STANDARD, NONE }

  private final SdkHttpClient http;
  private final Map<String, Object> clients = new ConcurrentHashMap<>();

  public AwsClients() {
    this(Duration.ofSeconds(5), Duration.ofSeconds(30), 64);
  }

  public AwsClients(Duration connectTimeout, Duration socketTimeout, int maxConnections) {
    this.http = ApacheHttpClient.builder()
        .connectionTimeout(connectTimeout)
        .socketTimeout(socketTimeout)
        .maxConnections(maxConnections)
        .build();
  }

  public SsoOidcClient ssoOidc(AwsEndpoints endpoints, String region, Retries retries) {
    return client("oidc", endpoints.ssoOidc(), region, retries,
        () -> configure(SsoOidcClient.builder(), endpoints.ssoOidc(), region, retries, AnonymousCredentialsProvider.create()).build());
  }

  public SsoClient sso(AwsEndpoints endpoints, String region, Retries retries) {
    return client("sso", endpoints.sso(), region, retries,
        () -> configure(SsoClient.builder(), endpoints.sso(), region, retries, AnonymousCredentialsProvider.create()).build());
  }

  /** An STS client signing with the given credentials; not shared, since its credentials are the caller's. */
  public StsClient sts(AwsEndpoints endpoints, String region, AwsCredentialsProvider credentials) {
    return configure(StsClient.builder(), endpoints.sts(), region, Retries.SDK_STANDARD, credentials).build();
  }

  @SuppressWarnings("unchecked")
  private <T> T client(String service, URI endpoint, String region, Retries retries, java.util.function.Supplier<T> build) {
    String key = service + '|' + endpoint + '|' + region + '|' + retries;
    return (T) clients.computeIfAbsent(key, (Function<String, Object>) k -> build.get());
  }

  private <B extends AwsClientBuilder<B, ?> & software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder<B, ?>> B configure(
      B builder, URI endpoint, String region, Retries retries, AwsCredentialsProvider credentials) {
    builder.region(Region.of(region))
        .credentialsProvider(credentials)
        .httpClient(http)
        .overrideConfiguration(retries == Retries.NONE
            ? ClientOverrideConfiguration.builder().retryStrategy(DefaultRetryStrategy.doNotRetry()).build()
            : ClientOverrideConfiguration.builder().retryStrategy(RetryMode.STANDARD).build());
    if (endpoint != null) {
      builder.endpointOverride(endpoint);
    }
    return builder;
  }

  @Override
  public void close() {
    clients.values().forEach(c -> ((SdkAutoCloseable) c).close());
    http.close();
  }
}
