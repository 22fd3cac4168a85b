package dev.atmosd.daemon.credentials;

import static dev.atmosd.daemon.credentials.BrokerFixture.ADMIN;
import static dev.atmosd.daemon.credentials.BrokerFixture.DEV_ACCOUNT;
import static dev.atmosd.daemon.credentials.BrokerFixture.PROD_ACCOUNT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.atmosd.daemon.config.AtmosConfig;
import dev.atmosd.daemon.rpc.StatusErrors;
import dev.atmosd.daemon.session.SignInObserver;
import dev.atmosd.emulator.MutableClock;
import dev.atmosd.emulator.SsoEmulator;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;

/** The broker against the real session engine, the real AWS SDK and the emulator over HTTP. */
class CredentialBrokerTest {
  @TempDir Path dir;

  private Path source() {
    return dir.resolve("atmos.yaml");
  }

  @Test
  void aHundredConcurrentRequestsShareOneSignInAndOneGetRoleCredentials() throws Exception {
    try (BrokerFixture fixture = new BrokerFixture(dir)) {
      AtmosConfig config = fixture.config(source()).permissionSet("dev-admin", "company-sso", ADMIN, DEV_ACCOUNT, null).build();
      ExecutorService clients = Executors.newFixedThreadPool(100);
      CountDownLatch start = new CountDownLatch(1);
      List<CompletableFuture<MintedCredentials>> requests = IntStream.range(0, 100)
          .mapToObj(i -> CompletableFuture.supplyAsync(() -> {
            try {
              start.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            return fixture.credentials(config, "dev-admin");
          }, clients))
          .toList();
      start.countDown();
      List<MintedCredentials> results = requests.stream().map(CompletableFuture::join).toList();
      clients.shutdown();

      assertThat(fixture.emulator.calls("GetRoleCredentials")).isEqualTo(1);
      assertThat(fixture.emulator.calls("StartDeviceAuthorization")).isEqualTo(1);
      assertThat(results).extracting(MintedCredentials::accessKeyId).containsOnly(results.get(0).accessKeyId());
      assertThat(results.get(0).accountId()).isEqualTo(DEV_ACCOUNT);
    }
  }

  @Test
  void anAccountNameIsResolvedAcrossEveryPageOfAccountsAndRemembered() throws Exception {
    try (BrokerFixture fixture = new BrokerFixture(dir)) {
      fixture.emulator.addAccounts(250, 2);
      AtmosConfig config = fixture.config(source())
          .permissionSet("last", "company-sso", "AdministratorAccess", null, "account-0250")
          .permissionSet("first", "company-sso", "ReadOnlyAccess", null, "account-0001")
          .build();

      MintedCredentials last = fixture.credentials(config, "last");
      MintedCredentials first = fixture.credentials(config, "first");

      assertThat(last.accountId()).isEqualTo("100000000250");
      assertThat(first.accountId()).isEqualTo("100000000001");
      assertThat(fixture.emulator.calls("ListAccounts")).isEqualTo(3); // 252 accounts, 100 a page, listed once
    }
  }

  @Test
  void anUnknownAccountNameFailsNamingIt() throws Exception {
    try (BrokerFixture fixture = new BrokerFixture(dir)) {
      AtmosConfig config = fixture.config(source()).permissionSet("x", "company-sso", ADMIN, null, "staging").build();

      assertThat(failure(fixture, config, "x"))
          .satisfies(s -> assertThat(s.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION))
          .hasMessageContaining("no account named 'staging'");
    }
  }

  @Test
  void anAssumeRoleChainOfDepthThreeIsSignedAtEveryStepAndVerifiedByStsSigV4() throws Exception {
    try (BrokerFixture fixture = new BrokerFixture(dir)) {
      AtmosConfig config = fixture.config(source())
          .permissionSet("dev-admin", "company-sso", ADMIN, DEV_ACCOUNT, null)
          .assumeRole("hop-1", "dev-admin", "arn:aws:iam::" + PROD_ACCOUNT + ":role/hop-1")
          .assumeRole("hop-2", "hop-1", "arn:aws:iam::" + DEV_ACCOUNT + ":role/hop-2", Duration.ofMinutes(30), "ext-42")
          .assumeRole("hop-3", "hop-2", "arn:aws:iam::" + PROD_ACCOUNT + ":role/deployer")
          .build();
      fixture.emulator.requireExternalId("arn:aws:iam::" + DEV_ACCOUNT + ":role/hop-2", "ext-42");

      MintedCredentials hop3 = fixture.credentials(config, "hop-3");

      assertThat(fixture.emulator.calls("AssumeRole")).isEqualTo(3);
      assertThat(fixture.emulator.calls("GetRoleCredentials")).isEqualTo(1);
      assertThat(hop3.accountId()).isEqualTo(PROD_ACCOUNT);
      assertThat(callerArn(fixture, hop3)).contains(":assumed-role/deployer/");

      fixture.credentials(config, "hop-2");
      assertThat(fixture.emulator.calls("AssumeRole")).as("the links were cached on the way").isEqualTo(3);
    }
  }

  @Test
  void sessionDurationIsTheRoleDurationAskedOfSts() throws Exception {
    // issue 10 item 4: an identity's session.duration reaches AssumeRole (the emulator honours DurationSeconds).
    try (BrokerFixture fixture = new BrokerFixture(dir)) {
      ConfigFixtures fixtures = fixture.config(source())
          .permissionSet("dev-admin", "company-sso", ADMIN, DEV_ACCOUNT, null);
      fixtures.add(new dev.atmosd.daemon.config.IdentityConfig("short", "aws/assume-role", null, "dev-admin", null,
          new dev.atmosd.daemon.config.IdentityConfig.Principal(null, null, null,
              "arn:aws:iam::" + PROD_ACCOUNT + ":role/short", null, null, null, null),
          false, false, java.util.Map.of(), null, java.util.List.of(), false, Duration.ofMinutes(20), null, null, null,
          java.util.Map.of(), ""));
      MintedCredentials minted = fixture.credentials(fixtures.build(), "short");
      assertThat(Duration.between(java.time.Instant.now(), minted.expiration()))
          .isGreaterThan(Duration.ofMinutes(15)).isLessThanOrEqualTo(Duration.ofMinutes(20));
    }
  }

  @Test
  void aKindAtmosdDoesNotRunFailsOnlyWhenUsedWithOneLine() throws Exception {
    try (BrokerFixture fixture = new BrokerFixture(dir)) {
      ConfigFixtures fixtures = fixture.config(source())
          .permissionSet("dev-admin", "company-sso", ADMIN, DEV_ACCOUNT, null);
      fixtures.add(new dev.atmosd.daemon.config.IdentityConfig("me", "aws/user", null, null, null, null, false, false,
          java.util.Map.of()));
      AtmosConfig config = fixtures.build();
      assertThat(failure(fixture, config, "me"))
          .satisfies(s -> assertThat(s.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT))
          .hasMessageContaining("identity 'me' in " + source() + ": atmosd accepts identity kind aws/user but does not"
              + " run it");
      assertThat(fixture.emulator.counters().values()).allMatch(count -> count == 0);
      assertThat(fixture.credentials(config, "dev-admin").accountId()).isEqualTo(DEV_ACCOUNT);
    }
  }

  @Test
  void aViaIdentityCycleIsRejectedBeforeAnyAwsCall() throws Exception {
    try (BrokerFixture fixture = new BrokerFixture(dir)) {
      AtmosConfig config = fixture.config(source())
          .assumeRole("a", "b", "arn:aws:iam::" + DEV_ACCOUNT + ":role/a")
          .assumeRole("b", "c", "arn:aws:iam::" + DEV_ACCOUNT + ":role/b")
          .assumeRole("c", "a", "arn:aws:iam::" + DEV_ACCOUNT + ":role/c")
          .build();

      assertThat(failure(fixture, config, "a"))
          .satisfies(s -> assertThat(s.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT))
          .hasMessageContaining("a -> b -> c -> a");
      assertThat(fixture.emulator.counters().values()).allMatch(count -> count == 0);
    }
  }

  @Test
  void anUnknownIdentityIsNotFoundWithTheNearestNames() throws Exception {
    try (BrokerFixture fixture = new BrokerFixture(dir)) {
      AtmosConfig config = fixture.config(source()).permissionSet("dev-admin", "company-sso", ADMIN, DEV_ACCOUNT, null).build();

      assertThat(failure(fixture, config, "dev-admn"))
          .satisfies(s -> assertThat(s.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND))
          .hasMessageContaining("dev-admin");
    }
  }

  @Test
  void handedOutCredentialsHaveMoreThanFifteenMinutesLeftAndAgedOnesAreReMinted() throws Exception {
    MutableClock clock = new MutableClock(Instant.now());
    try (BrokerFixture fixture = new BrokerFixture(dir, SsoEmulator.builder().clock(clock)
        .accessTokenLifetime(Duration.ofHours(8)), clock)) {
      AtmosConfig config = fixture.config(source()).permissionSet("dev-admin", "company-sso", ADMIN, DEV_ACCOUNT, null).build();

      MintedCredentials first = fixture.credentials(config, "dev-admin");
      assertThat(Duration.between(clock.instant(), first.expiration())).isGreaterThan(Duration.ofMinutes(15));

      clock.advance(Duration.ofMinutes(30));
      assertThat(fixture.credentials(config, "dev-admin").accessKeyId()).isEqualTo(first.accessKeyId());
      assertThat(fixture.broker.cachedStatus(config, "dev-admin").state()).isEqualTo(CredentialBroker.CachedState.VALID);

      clock.advance(Duration.ofMinutes(15)); // 15 minutes left: botocore would refresh on every call
      assertThat(fixture.broker.cachedStatus(config, "dev-admin").state()).isEqualTo(CredentialBroker.CachedState.EXPIRING);
      MintedCredentials second = fixture.credentials(config, "dev-admin");

      assertThat(second.accessKeyId()).isNotEqualTo(first.accessKeyId());
      assertThat(Duration.between(clock.instant(), second.expiration())).isGreaterThan(Duration.ofMinutes(15));
      assertThat(fixture.emulator.calls("GetRoleCredentials")).isEqualTo(2);
    }
  }

  @Test
  void identitiesInUseAreReMintedInTheBackgroundBeforeTheyGoStale() throws Exception {
    try (BrokerFixture fixture = new BrokerFixture(dir,
        SsoEmulator.builder().roleCredentialLifetime(Duration.ofSeconds(3)), Clock.systemUTC())) {
      AtmosConfig config = fixture.config(source())
          .permissionSet("dev-admin", "company-sso", ADMIN, DEV_ACCOUNT, null)
          .permissionSet("unused", "company-sso", "ReadOnlyAccess", DEV_ACCOUNT, null)
          .build();
      MintedCredentials first = fixture.credentials(config, "dev-admin");

      await().atMost(Duration.ofSeconds(60)).until(() -> fixture.emulator.calls("GetRoleCredentials") >= 3);

      MintedCredentials later = fixture.credentials(config, "dev-admin");
      assertThat(later.accessKeyId()).isNotEqualTo(first.accessKeyId());
      assertThat(fixture.broker.cachedStatus(config, "unused").state()).isEqualTo(CredentialBroker.CachedState.UNKNOWN);
    }
  }

  @Test
  void anIdentityStaysInUseForAnHourAfterItsLastRequestOrWhileAGrantHoldsIt() throws Exception {
    MutableClock clock = new MutableClock(Instant.now());
    try (BrokerFixture fixture = new BrokerFixture(dir, SsoEmulator.builder().clock(clock), clock)) {
      AtmosConfig config = fixture.config(source()).permissionSet("dev-admin", "company-sso", ADMIN, DEV_ACCOUNT, null).build();
      fixture.credentials(config, "dev-admin");
      assertThat(fixture.broker.keptFresh(config, "dev-admin")).isTrue();

      clock.advance(Duration.ofMinutes(61));
      assertThat(fixture.broker.keptFresh(config, "dev-admin")).isFalse();

      AutoCloseable grant = fixture.broker.holdFresh(source(), "dev-admin");
      assertThat(fixture.broker.keptFresh(config, "dev-admin")).isTrue();
      grant.close();
      grant.close();
      assertThat(fixture.broker.keptFresh(config, "dev-admin")).isFalse();
    }
  }

  @Test
  void aPortal401InvalidatesTheTokenAndRetriesOnceWithARefreshedOne() throws Exception {
    try (BrokerFixture fixture = new BrokerFixture(dir)) {
      AtmosConfig config = fixture.config(source())
          .permissionSet("dev-admin", "company-sso", ADMIN, DEV_ACCOUNT, null)
          .permissionSet("dev-reader", "company-sso", "ReadOnlyAccess", DEV_ACCOUNT, null)
          .build();
      fixture.credentials(config, "dev-admin");
      fixture.emulator.expireAccessTokens();

      MintedCredentials reader = fixture.credentials(config, "dev-reader");

      assertThat(reader.accountId()).isEqualTo(DEV_ACCOUNT);
      assertThat(fixture.emulator.calls("GetRoleCredentials")).isEqualTo(3);
      assertThat(fixture.emulator.calls("StartDeviceAuthorization")).as("renewed by refresh token").isEqualTo(1);
    }
  }

  @Test
  void anUnassignedPermissionSetIsPermissionDeniedAndLeavesOtherIdentitiesAlone() throws Exception {
    try (BrokerFixture fixture = new BrokerFixture(dir)) {
      AtmosConfig config = fixture.config(source())
          .permissionSet("prod-admin", "company-sso", ADMIN, PROD_ACCOUNT, null)
          .permissionSet("prod-reader", "company-sso", "ReadOnlyAccess", PROD_ACCOUNT, null)
          .build();

      assertThat(failure(fixture, config, "prod-admin"))
          .satisfies(s -> assertThat(s.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED))
          .hasMessageContaining("IAM Identity Center refused AdministratorAccess in account " + PROD_ACCOUNT
              + " (ForbiddenException): check the assignment");
      assertThat(fixture.credentials(config, "prod-reader").accountId()).isEqualTo(PROD_ACCOUNT);
    }
  }

  @Test
  void anUnknownAccountIsAFailedPreconditionNamingIt() throws Exception {
    try (BrokerFixture fixture = new BrokerFixture(dir)) {
      AtmosConfig config = fixture.config(source()).permissionSet("gone", "company-sso", ADMIN, "999999999999", null).build();

      assertThat(failure(fixture, config, "gone"))
          .satisfies(s -> assertThat(s.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION))
          .hasMessageContaining("account 999999999999").hasMessageContaining("ResourceNotFoundException");
    }
  }

  @Test
  void aRefusedAssumeRoleIsPermissionDeniedNamingTheRoleArn() throws Exception {
    try (BrokerFixture fixture = new BrokerFixture(dir)) {
      String arn = "arn:aws:iam::" + PROD_ACCOUNT + ":role/forbidden";
      fixture.emulator.denyAssumeRole(arn);
      AtmosConfig config = fixture.config(source())
          .permissionSet("dev-admin", "company-sso", ADMIN, DEV_ACCOUNT, null)
          .assumeRole("forbidden", "dev-admin", arn)
          .build();

      assertThat(failure(fixture, config, "forbidden"))
          .satisfies(s -> assertThat(s.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED))
          .hasMessageContaining(arn).hasMessageContaining("AccessDenied");
      assertThat(fixture.credentials(config, "dev-admin").accountId()).isEqualTo(DEV_ACCOUNT);
    }
  }

  @Test
  void throttlingThatOutlastsTheSdkRetriesIsResourceExhaustedAndTheNextRequestRecovers() throws Exception {
    try (BrokerFixture fixture = new BrokerFixture(dir)) {
      AtmosConfig config = fixture.config(source()).permissionSet("dev-admin", "company-sso", ADMIN, DEV_ACCOUNT, null).build();
      fixture.sessions.accessToken(config.provider("company-sso"), SignInObserver.NOBODY).join();
      fixture.emulator.faults().failNext("GetRoleCredentials", 429, "TooManyRequestsException", 3);

      assertThat(failure(fixture, config, "dev-admin"))
          .satisfies(s -> assertThat(s.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED))
          .hasMessageContaining("throttled");
      assertThat(fixture.emulator.calls("GetRoleCredentials")).as("the SDK retried").isEqualTo(3);
      assertThat(fixture.credentials(config, "dev-admin").accountId()).isEqualTo(DEV_ACCOUNT);
    }
  }

  @Test
  void anUnreachablePortalIsUnavailableWithoutSecrets() throws Exception {
    try (BrokerFixture fixture = new BrokerFixture(dir)) {
      AtmosConfig config = fixture.config(source()).permissionSet("dev-admin", "company-sso", ADMIN, DEV_ACCOUNT, null).build();
      String token = fixture.sessions.accessToken(config.provider("company-sso"), SignInObserver.NOBODY).join().value();
      fixture.emulator.close();

      StatusRuntimeException failure = failure(fixture, config, "dev-admin");

      assertThat(failure.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
      assertThat(failure).hasMessageContaining("could not reach IAM Identity Center at " + fixture.emulator.endpoint())
          .hasMessageContaining("connection refused")
          .hasMessageNotContaining(token);
    }
  }

  @Test
  void credentialsNeverShowTheirSecretsWhenPrinted() throws Exception {
    try (BrokerFixture fixture = new BrokerFixture(dir)) {
      AtmosConfig config = fixture.config(source()).permissionSet("dev-admin", "company-sso", ADMIN, DEV_ACCOUNT, null).build();

      MintedCredentials minted = fixture.credentials(config, "dev-admin");

      assertThat(minted.toString()).doesNotContain(minted.secretAccessKey()).doesNotContain(minted.sessionToken())
          .doesNotContain(minted.accessKeyId());
    }
  }

  private static StatusRuntimeException failure(BrokerFixture fixture, AtmosConfig config, String identity) {
    CompletableFuture<MintedCredentials> request = fixture.broker.credentials(config, identity, SignInObserver.NOBODY);
    assertThatThrownBy(request::join).isNotNull();
    return StatusErrors.toStatus(request.handle((ok, e) -> e).join());
  }

  private static String callerArn(BrokerFixture fixture, MintedCredentials credentials) {
    try (StsClient sts = fixture.aws.sts(new dev.atmosd.daemon.aws.AwsEndpoints(null, null, fixture.emulator.endpoint()),
        "us-east-1", StaticCredentialsProvider.create(credentials.asSdkCredentials()))) {
      GetCallerIdentityResponse response = sts.getCallerIdentity();
      return response.arn();
    }
  }
}
