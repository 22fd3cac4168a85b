package dev.atmosd.daemon.rpc;

import static dev.atmosd.daemon.credentials.BrokerFixture.DEV_ACCOUNT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.atmosd.daemon.config.ConfigLoader;
import dev.atmosd.daemon.credentials.BrokerFixture;
import dev.atmosd.daemon.endpoint.ContainerCredentialsEndpoint;
import dev.atmosd.v1.AuthEvent;
import dev.atmosd.v1.ClientContext;
import dev.atmosd.v1.CredentialState;
import dev.atmosd.v1.EndpointGrant;
import dev.atmosd.v1.IdentitiesGrpc;
import dev.atmosd.v1.IdentityInfo;
import dev.atmosd.v1.IdentityRequest;
import dev.atmosd.v1.ListIdentitiesReply;
import dev.atmosd.v1.ListIdentitiesRequest;
import dev.atmosd.v1.RevokeEndpointRequest;
import dev.atmosd.v1.RoleCredentials;
import dev.atmosd.v1.SessionState;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Identities gRPC service over a real gRPC transport, with the real broker, endpoint, engine and emulator. */
class IdentitiesServiceTest {
  @TempDir Path dir;
  private BrokerFixture fixture;
  private ContainerCredentialsEndpoint endpoint;
  private Server server;
  private ManagedChannel channel;
  private IdentitiesGrpc.IdentitiesBlockingStub identities;
  private Path atmosYaml;

  @BeforeEach
  void start() throws IOException {
    fixture = new BrokerFixture(dir);
    atmosYaml = dir.resolve("atmos.yaml");
    Files.writeString(atmosYaml, String.join("\n",
        "auth:",
        "  providers:",
        "    company-sso:",
        "      kind: aws/iam-identity-center",
        "      start_url: https://d-1234567890.awsapps.com/start",
        "      region: us-east-1",
        "      spec:",
        "        endpoint_url: " + fixture.emulator.endpoint(),
        "  identities:",
        "    dev-admin:",
        "      kind: aws/permission-set",
        "      default: true",
        "      via: { provider: company-sso }",
        "      principal: { name: AdministratorAccess, account: { name: dev } }",
        "      env: { TF_VAR_stage: dev }",
        "    deployer:",
        "      kind: aws/assume-role",
        "      via: { identity: dev-admin }",
        "      principal: { assume_role: 'arn:aws:iam::" + DEV_ACCOUNT + ":role/deployer', region: eu-west-1 }",
        ""));
    ConfigLoader loader = new ConfigLoader(fixture.paths, Map.of());
    endpoint = ContainerCredentialsEndpoint.start(fixture.broker, loader, 0, java.time.Clock.systemUTC());
    server = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
        .addService(new IdentitiesService(loader, fixture.broker, endpoint, fixture.sessions))
        .build().start();
    channel = NettyChannelBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getPort()))
        .usePlaintext().build();
    identities = IdentitiesGrpc.newBlockingStub(channel);
  }

  @AfterEach
  void stop() throws Exception {
    channel.shutdownNow();
    server.shutdownNow();
    endpoint.close();
    fixture.close();
  }

  @Test
  void anEmptyIdentityMeansTheDefaultAndTheLastEventCarriesCredentialsAndTheIdentitysEnv() {
    List<AuthEvent> events = events(identities.getCredentials(request("")));

    RoleCredentials credentials = events.get(events.size() - 1).getCredentials();
    assertThat(credentials.getIdentity()).isEqualTo("dev-admin");
    assertThat(credentials.getAccountId()).isEqualTo(DEV_ACCOUNT);
    assertThat(credentials.getAccessKeyId()).isNotEmpty();
    assertThat(credentials.getRegion()).isEqualTo("us-east-1");
    assertThat(credentials.getIdentityEnvironmentMap()).containsEntry("TF_VAR_stage", "dev");
    assertThat(Instant.ofEpochSecond(credentials.getExpiration().getSeconds()))
        .isAfter(Instant.now().plus(Duration.ofMinutes(15)));
  }

  @Test
  void listingShowsProvidersWithTheirSessionAndIdentitiesWithPassiveCredentialState() {
    ListIdentitiesReply before = identities.listIdentities(ListIdentitiesRequest.newBuilder().setContext(context()).build());
    assertThat(before.getIdentitiesList()).extracting(IdentityInfo::getCredentialState)
        .containsOnly(CredentialState.CREDENTIAL_STATE_UNKNOWN);
    assertThat(fixture.emulator.counters().values()).as("listing is passive").allMatch(count -> count == 0);

    events(identities.getCredentials(request("deployer")));
    ListIdentitiesReply after = identities.listIdentities(ListIdentitiesRequest.newBuilder().setContext(context()).build());

    assertThat(after.getConfigPath()).isEqualTo(atmosYaml.toString());
    assertThat(after.getProviders(0).getName()).isEqualTo("company-sso");
    assertThat(after.getProviders(0).getSession().getState()).isEqualTo(SessionState.SESSION_STATE_ACTIVE);
    IdentityInfo devAdmin = after.getIdentities(0);
    IdentityInfo deployer = after.getIdentities(1);
    assertThat(devAdmin.getName()).isEqualTo("dev-admin");
    assertThat(devAdmin.getIsDefault()).isTrue();
    assertThat(devAdmin.getRootProvider()).isEqualTo("company-sso");
    assertThat(devAdmin.getAccountName()).isEqualTo("dev");
    assertThat(devAdmin.getPermissionSet()).isEqualTo("AdministratorAccess");
    assertThat(devAdmin.getCredentialState()).isEqualTo(CredentialState.CREDENTIAL_STATE_VALID);
    assertThat(deployer.getKind()).isEqualTo("aws/assume-role");
    assertThat(deployer.getViaIdentity()).isEqualTo("dev-admin");
    assertThat(deployer.getRootProvider()).isEqualTo("company-sso");
    assertThat(deployer.getRoleArn()).endsWith(":role/deployer");
    assertThat(deployer.getRegion()).isEqualTo("eu-west-1");
    assertThat(deployer.getCredentialState()).isEqualTo(CredentialState.CREDENTIAL_STATE_VALID);
    assertThat(deployer.getCredentialsExpireAt().getSeconds()).isPositive();
  }

  @Test
  void listingCarriesWhatGoEchoesAndMarksKindsAtmosdDoesNotRun() throws IOException {
    Files.writeString(atmosYaml, Files.readString(atmosYaml)
        .replace("    deployer:\n", "      alias: admin\n      tags: [dev, team-a]\n      required: true\n    deployer:\n")
        .replace("  identities:\n", "    ci:\n      kind: github/oidc\n      region: us-east-1\n"
            + "      spec: { audience: sts.amazonaws.com, client_secret: shh }\n  identities:\n")
        + "      session: { duration: 30m }\n"
        + "    breakglass:\n      kind: aws/user\n      credentials: { access_key_id: AKIAX, secret_access_key: s3cr3t }\n");
    ListIdentitiesReply reply = identities.listIdentities(ListIdentitiesRequest.newBuilder().setContext(context()).build());

    assertThat(reply.getProvidersList()).extracting(p -> p.getName()).containsExactly("company-sso", "ci");
    var ci = reply.getProviders(1);
    assertThat(ci.getNotRunReason()).contains("provider kind github/oidc");
    assertThat(ci.hasSession()).as("no session for a kind atmosd does not run").isFalse();
    assertThat(ci.getDefinition().getFieldsOrThrow("spec").getStructValue().getFieldsMap())
        .containsKey("audience").doesNotContainKey("client_secret");
    assertThat(reply.getProviders(0).getNotRunReason()).isEmpty();

    IdentityInfo devAdmin = reply.getIdentities(0);
    assertThat(devAdmin.getAlias()).isEqualTo("admin");
    assertThat(devAdmin.getTagsList()).containsExactly("dev", "team-a");
    assertThat(devAdmin.getRequired()).isTrue();
    assertThat(devAdmin.getDefinition().getFieldsOrThrow("kind").getStringValue()).isEqualTo("aws/permission-set");
    assertThat(reply.getIdentities(1).getSessionDuration().getSeconds()).isEqualTo(1800);
    IdentityInfo breakglass = reply.getIdentities(2);
    assertThat(breakglass.getNotRunReason()).contains("identity kind aws/user");
    assertThat(breakglass.getDefinition().toString()).doesNotContain("s3cr3t").doesNotContain("AKIAX");
  }

  @Test
  void aGrantServesItsIdentityUntilRevoked() throws Exception {
    List<AuthEvent> events = events(identities.grantEndpoint(request("deployer")));
    EndpointGrant grant = events.get(events.size() - 1).getEndpointGrant();

    assertThat(grant.getFullUri()).startsWith(endpoint.endpointUrl() + "/v1/credentials/");
    assertThat(grant.getRegion()).isEqualTo("eu-west-1");
    assertThat(fetch(grant)).isEqualTo(200);

    assertThat(identities.revokeEndpoint(RevokeEndpointRequest.newBuilder().setGrantId(grant.getGrantId()).build())
        .getRevoked()).isTrue();
    assertThat(fetch(grant)).isEqualTo(403);
  }

  @Test
  void whoamiAsksStsWithTheIdentitysCredentials() {
    List<AuthEvent> events = events(identities.whoami(request("deployer")));

    var caller = events.get(events.size() - 1).getCallerIdentity();
    assertThat(caller.getIdentity()).isEqualTo("deployer");
    assertThat(caller.getAccount()).isEqualTo(DEV_ACCOUNT);
    assertThat(caller.getArn()).contains(":assumed-role/deployer/");
    assertThat(caller.getProvider()).isEqualTo("company-sso");
    assertThat(caller.getRegion()).isEqualTo("eu-west-1");
  }

  @Test
  void anUnknownIdentityIsNotFound() {
    assertThatThrownBy(() -> events(identities.getCredentials(request("dev-admn"))))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND))
        .hasMessageContaining("dev-admin");
  }

  @Test
  void noConfigPathIsAUsageError() {
    assertThatThrownBy(() -> events(identities.getCredentials(IdentityRequest.newBuilder()
        .setContext(ClientContext.newBuilder()).setIdentity("dev-admin").build())))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT))
        .hasMessageContaining("atmos.yaml");
  }

  private ClientContext context() {
    return ClientContext.newBuilder().setConfigPath(atmosYaml.toString()).setCommand("test").build();
  }

  private IdentityRequest request(String identity) {
    return IdentityRequest.newBuilder().setContext(context()).setIdentity(identity).build();
  }

  private static List<AuthEvent> events(java.util.Iterator<AuthEvent> stream) {
    List<AuthEvent> events = new ArrayList<>();
    stream.forEachRemaining(events::add);
    return events;
  }

  private static int fetch(EndpointGrant grant) throws IOException {
    HttpURLConnection connection = (HttpURLConnection) URI.create(grant.getFullUri()).toURL().openConnection();
    connection.setRequestProperty("Authorization", grant.getAuthorizationToken());
    try {
      return connection.getResponseCode();
    } finally {
      connection.disconnect();
    }
  }
}
