package dev.atmosd.emulator;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sso.SsoClient;
import software.amazon.awssdk.services.ssooidc.SsoOidcClient;
import software.amazon.awssdk.services.ssooidc.model.CreateTokenResponse;
import software.amazon.awssdk.services.ssooidc.model.RegisterClientResponse;
import software.amazon.awssdk.services.ssooidc.model.StartDeviceAuthorizationResponse;
import software.amazon.awssdk.services.sts.StsClient;

/** Real AWS SDK v2 clients pointed at an emulator, with retries off so every call is visible to the test. */
@SuppressWarnings("deprecation") // ApacheHttpClient: the same HTTP client the daemon ships with (see daemon/pom.xml)
final class SdkClients implements AutoCloseable {
    static final String START_URL = "https://d-1234567890.awsapps.com/start";
    static final String DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";

    final SsoOidcClient oidc;
    final SsoClient sso;
    private final SsoEmulator emulator;
    private final URI endpoint;

    SdkClients(SsoEmulator emulator) {
        this(emulator, emulator.endpoint());
    }

    /** Clients for an emulator in another process, known only by its endpoint. */
    SdkClients(URI endpoint) {
        this(null, endpoint);
    }

    private SdkClients(SsoEmulator emulator, URI endpoint) {
        this.emulator = emulator;
        this.endpoint = endpoint;
        this.oidc = SsoOidcClient.builder()
                .region(Region.US_EAST_1)
                .endpointOverride(endpoint)
                .credentialsProvider(AnonymousCredentialsProvider.create())
                .httpClientBuilder(ApacheHttpClient.builder())
                .overrideConfiguration(noRetries())
                .build();
        this.sso = SsoClient.builder()
                .region(Region.US_EAST_1)
                .endpointOverride(endpoint)
                .credentialsProvider(AnonymousCredentialsProvider.create())
                .httpClientBuilder(ApacheHttpClient.builder())
                .overrideConfiguration(noRetries())
                .build();
    }

    StsClient sts(AwsCredentialsProvider credentials) {
        return StsClient.builder()
                .region(Region.US_EAST_1)
                .endpointOverride(endpoint)
                .credentialsProvider(credentials)
                .httpClientBuilder(ApacheHttpClient.builder())
                .overrideConfiguration(noRetries())
                .build();
    }

    static ClientOverrideConfiguration noRetries() {
        return ClientOverrideConfiguration.builder().retryStrategy(AwsRetryStrategy.doNotRetry()).build();
    }

    RegisterClientResponse register(boolean withScopes) {
        return oidc.registerClient(r -> {
            r.clientName("atmosd-test").clientType("public");
            if (withScopes) {
                r.scopes("sso:account:access");
            }
        });
    }

    StartDeviceAuthorizationResponse start(RegisterClientResponse client) {
        return oidc.startDeviceAuthorization(r -> r.clientId(client.clientId()).clientSecret(client.clientSecret())
                .startUrl(START_URL));
    }

    CreateTokenResponse poll(RegisterClientResponse client, StartDeviceAuthorizationResponse device) {
        return oidc.createToken(r -> r.clientId(client.clientId()).clientSecret(client.clientSecret())
                .grantType(DEVICE_GRANT).deviceCode(device.deviceCode()));
    }

    /** Registers, starts a device flow, approves it and redeems it: a signed-in access token. */
    CreateTokenResponse signIn() {
        RegisterClientResponse client = register(true);
        StartDeviceAuthorizationResponse device = start(client);
        emulator.approve(device.userCode());
        return poll(client, device);
    }

    @Override
    public void close() {
        oidc.close();
        sso.close();
    }
}
