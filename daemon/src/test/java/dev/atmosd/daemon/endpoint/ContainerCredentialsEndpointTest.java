package dev.atmosd.daemon.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.atmosd.daemon.credentials.MintedCredentials;
import dev.atmosd.daemon.rpc.UserFacingException;
import io.grpc.Status;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;

/** The endpoint's HTTP contract and defences, with credentials from a stand-in so no AWS is needed. */
class ContainerCredentialsEndpointTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant EXPIRES = Instant.now().plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS);

  private final Map<String, MintedCredentials> byIdentity = new ConcurrentHashMap<>();
  private final Map<String, RuntimeException> failures = new ConcurrentHashMap<>();
  private final List<String> held = new CopyOnWriteArrayList<>();
  private ContainerCredentialsEndpoint endpoint;
  private int port;

  @BeforeEach
  void start() {
    byIdentity.put("dev-admin", minted("dev-admin", "ASIADEVADMIN0000001", "111111111111"));
    byIdentity.put("prod-reader", minted("prod-reader", "ASIAPRODREADER00002", "222222222222"));
    endpoint = ContainerCredentialsEndpoint.start(0,
        new EndpointLimits(Duration.ofMillis(300), 8 * 1024, 1024, Duration.ofSeconds(30)),
        fileWork -> new GrantedCredentials() {
          @Override
          public CompletableFuture<MintedCredentials> credentials(CredentialGrant grant) {
            RuntimeException failure = failures.get(grant.identity());
            return failure != null ? CompletableFuture.failedFuture(failure)
                : CompletableFuture.completedFuture(byIdentity.get(grant.identity()));
          }

          @Override
          public AutoCloseable holdFresh(CredentialGrant grant) {
            held.add(grant.identity());
            return () -> held.remove(grant.identity());
          }
        });
    port = URI.create(endpoint.endpointUrl()).getPort();
  }

  @AfterEach
  void stop() {
    endpoint.close();
  }

  @Test
  void theAwsSdkForJavasContainerProviderFetchesTheGrantedIdentity() {
    IssuedGrant grant = grant("dev-admin");

    AwsCredentials credentials = withContainerProperties(grant,
        () -> ContainerCredentialsProvider.builder().build().resolveCredentials());

    assertThat(credentials).isInstanceOfSatisfying(AwsSessionCredentials.class, session -> {
      assertThat(session.accessKeyId()).isEqualTo("ASIADEVADMIN0000001");
      assertThat(session.secretAccessKey()).isEqualTo("secret-of-dev-admin");
      assertThat(session.sessionToken()).isEqualTo("token-of-dev-admin");
      assertThat(session.expirationTime()).contains(EXPIRES);
    });
  }

  @Test
  void servesTheContainerCredentialsShapeWithoutCaching() throws Exception {
    IssuedGrant grant = grant("dev-admin");

    RawHttp.Response response = RawHttp.exchange(port, RawHttp.get(path(grant), "127.0.0.1:" + port, grant.authorizationToken()));

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.headers()).containsEntry("content-type", "application/json").containsEntry("cache-control", "no-store");
    JsonNode body = JSON.readTree(response.body());
    assertThat(body.fieldNames()).toIterable()
        .containsExactly("AccessKeyId", "SecretAccessKey", "Token", "Expiration", "AccountId");
    assertThat(body.get("Expiration").asText()).isEqualTo(EXPIRES.toString()).endsWith("Z");
    assertThat(body.get("AccountId").asText()).isEqualTo("111111111111");
  }

  @Test
  void aGrantIsARandomTokenForExactlyOneIdentityAtALoopbackUri() {
    IssuedGrant first = grant("dev-admin");
    IssuedGrant second = grant("dev-admin");

    assertThat(first.fullUri()).startsWith("http://127.0.0.1:" + port + "/v1/credentials/");
    assertThat(first.authorizationToken()).matches("[A-Za-z0-9_-]{43}").isNotEqualTo(second.authorizationToken());
    assertThat(first.grantId()).isNotEqualTo(second.grantId());
    assertThat(first.toString()).doesNotContain(first.authorizationToken());
    assertThat(held).containsExactly("dev-admin", "dev-admin");
  }

  @Test
  void aWrongTokenIsRefused() throws Exception {
    IssuedGrant grant = grant("dev-admin");

    RawHttp.Response response = RawHttp.exchange(port,
        RawHttp.get(path(grant), "127.0.0.1:" + port, grant.authorizationToken() + "x"));

    assertThat(response.status()).isEqualTo(403);
    assertThat(JSON.readTree(response.body()).get("code").asText()).isEqualTo("AccessDenied");
    assertThat(response.body()).doesNotContain("ASIA");
  }

  @Test
  void anotherGrantsTokenDoesNotOpenThisGrant() throws Exception {
    IssuedGrant devAdmin = grant("dev-admin");
    IssuedGrant prodReader = grant("prod-reader");

    RawHttp.Response response = RawHttp.exchange(port,
        RawHttp.get(path(prodReader), "127.0.0.1:" + port, devAdmin.authorizationToken()));

    assertThat(response.status()).isEqualTo(403);
    assertThat(response.body()).doesNotContain("ASIAPRODREADER");
  }

  @Test
  void aMissingAuthorizationHeaderIsUnauthorized() throws Exception {
    IssuedGrant grant = grant("dev-admin");

    RawHttp.Response response = RawHttp.exchange(port, RawHttp.get(path(grant), "127.0.0.1:" + port, null));

    assertThat(response.status()).isEqualTo(401);
  }

  @Test
  void aRevokedGrantStopsWorkingAtOnce() throws Exception {
    IssuedGrant grant = grant("dev-admin");

    assertThat(endpoint.revoke(grant.grantId())).isTrue();
    RawHttp.Response response = RawHttp.exchange(port,
        RawHttp.get(path(grant), "127.0.0.1:" + port, grant.authorizationToken()));

    assertThat(response.status()).isEqualTo(403);
    assertThat(held).isEmpty();
    assertThat(endpoint.revoke(grant.grantId())).isFalse();
  }

  @Test
  void aForeignHostHeaderIsRefusedAgainstDnsRebinding() throws Exception {
    IssuedGrant grant = grant("dev-admin");

    for (String host : List.of("evil.example.com:" + port, "127.0.0.1:1", "127.0.0.1", "localhost.evil.example:" + port)) {
      RawHttp.Response response = RawHttp.exchange(port, RawHttp.get(path(grant), host, grant.authorizationToken()));
      assertThat(response.status()).as(host).isEqualTo(403);
    }
    RawHttp.Response localhost = RawHttp.exchange(port,
        RawHttp.get(path(grant), "localhost:" + port, grant.authorizationToken()));
    assertThat(localhost.status()).isEqualTo(200);
  }

  @Test
  void onlyGetIsAllowed() throws Exception {
    IssuedGrant grant = grant("dev-admin");

    RawHttp.Response response = RawHttp.exchange(port, "POST " + path(grant) + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
        + "\r\nAuthorization: " + grant.authorizationToken() + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");

    assertThat(response.status()).isEqualTo(405);
    assertThat(response.headers()).containsEntry("allow", "GET");
  }

  @Test
  void aHugeHeaderIsRejected() throws Exception {
    IssuedGrant grant = grant("dev-admin");
    String huge = "X-Padding: " + "a".repeat(64 * 1024) + "\r\n";

    RawHttp.Response response = RawHttp.exchange(port, "GET " + path(grant) + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
        + "\r\nAuthorization: " + grant.authorizationToken() + "\r\n" + huge + "\r\n");

    assertThat(response).isNotNull();
    assertThat(response.status()).isEqualTo(431);
    assertThat(response.body()).doesNotContain("ASIA");
  }

  @Test
  void aClientThatNeverFinishesItsRequestIsCutOff() throws Exception {
    IssuedGrant grant = grant("dev-admin");
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout(30_000); // a guard against a hung test, not an assertion
      socket.getOutputStream().write(("GET " + path(grant) + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();

      InputStream in = socket.getInputStream();
      assertThat(in.read()).isEqualTo(-1);
    }
  }

  @Test
  void aFailureToMintIsAOneLineJsonMessageWithoutSecrets() throws Exception {
    failures.put("dev-admin", new UserFacingException(Status.UNAVAILABLE,
        "could not reach IAM Identity Center at http://127.0.0.1:1 (connection refused)"));
    failures.put("prod-reader", new UserFacingException(Status.PERMISSION_DENIED,
        "IAM Identity Center refused ReadOnly in account 222222222222 (ForbiddenException): check the assignment"));
    IssuedGrant unreachable = grant("dev-admin");
    IssuedGrant refused = grant("prod-reader");

    RawHttp.Response unavailable = RawHttp.exchange(port,
        RawHttp.get(path(unreachable), "127.0.0.1:" + port, unreachable.authorizationToken()));
    RawHttp.Response badGateway = RawHttp.exchange(port,
        RawHttp.get(path(refused), "127.0.0.1:" + port, refused.authorizationToken()));

    assertThat(unavailable.status()).isEqualTo(503);
    assertThat(JSON.readTree(unavailable.body()).get("message").asText()).contains("connection refused").doesNotContain("\n");
    assertThat(badGateway.status()).isEqualTo(502);
    assertThat(JSON.readTree(badGateway.body()).get("message").asText()).contains("ForbiddenException");
  }

  @Test
  void anUnknownPathIsNotFound() throws Exception {
    IssuedGrant grant = grant("dev-admin");

    RawHttp.Response response = RawHttp.exchange(port,
        RawHttp.get("/latest/meta-data/", "127.0.0.1:" + port, grant.authorizationToken()));

    assertThat(response.status()).isEqualTo(404);
  }

  private IssuedGrant grant(String identity) {
    return endpoint.grant(Path.of("/home/dev/atmos.yaml"), Map.of(), identity);
  }

  private static String path(IssuedGrant grant) {
    return URI.create(grant.fullUri()).getPath();
  }

  private static MintedCredentials minted(String identity, String keyId, String account) {
    return new MintedCredentials(identity, keyId, "secret-of-" + identity, "token-of-" + identity, EXPIRES, account,
        "us-east-1", Instant.now());
  }

  /** The Java SDK reads these system properties before the environment variables of the same meaning. */
  static <T> T withContainerProperties(IssuedGrant grant, java.util.function.Supplier<T> action) {
    System.setProperty("aws.containerCredentialsFullUri", grant.fullUri());
    System.setProperty("aws.containerAuthorizationToken", grant.authorizationToken());
    try {
      return action.get();
    } finally {
      System.clearProperty("aws.containerCredentialsFullUri");
      System.clearProperty("aws.containerAuthorizationToken");
    }
  }
}
