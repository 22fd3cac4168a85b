package dev.atmosd.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.sso.model.RoleCredentials;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.AssumeRoleResponse;
import software.amazon.awssdk.services.sts.model.AssumeRootResponse;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;
import software.amazon.awssdk.services.sts.model.StsException;

/** STS with SigV4 verification, driven by the real AWS SDK for Java v2 StsClient. */
class StsTest {
    private static final String ACCOUNT = "111111111111";
    private static final String OTHER_ACCOUNT = "222222222222";

    private final MutableClock clock = MutableClock.startingNow();
    private SsoEmulator emulator;
    private SdkClients aws;
    private RoleCredentials credentials;

    @BeforeEach
    void start() {
        emulator = SsoEmulator.builder().clock(clock).userName("jane@example.com").build().start();
        emulator.addAccount(ACCOUNT, "dev", "dev@example.com", "AdministratorAccess");
        emulator.addAccount(OTHER_ACCOUNT, "prod", "prod@example.com", "ReadOnlyAccess");
        aws = new SdkClients(emulator);
        String token = aws.signIn().accessToken();
        credentials = aws.sso.getRoleCredentials(r -> r.accessToken(token).accountId(ACCOUNT)
                .roleName("AdministratorAccess")).roleCredentials();
    }

    @AfterEach
    void stop() {
        aws.close();
        emulator.close();
    }

    @Test
    void getCallerIdentityNamesThePermissionSetSession() {
        try (StsClient sts = sts(credentials.secretAccessKey(), credentials.sessionToken())) {
            GetCallerIdentityResponse identity = sts.getCallerIdentity();

            assertThat(identity.account()).isEqualTo(ACCOUNT);
            assertThat(identity.arn()).matches("arn:aws:sts::111111111111:assumed-role/"
                    + "AWSReservedSSO_AdministratorAccess_[0-9a-f]{16}/jane@example.com");
            assertThat(identity.userId()).matches("AROA[0-9A-F]{17}:jane@example.com");
        }
        assertThat(emulator.calls("GetCallerIdentity")).isEqualTo(1);
    }

    @Test
    void aWrongSecretIsSignatureDoesNotMatch() {
        try (StsClient sts = sts("wrong" + credentials.secretAccessKey().substring(5), credentials.sessionToken())) {
            assertThatThrownBy(sts::getCallerIdentity)
                    .isInstanceOf(StsException.class)
                    .satisfies(e -> {
                        StsException sts1 = (StsException) e;
                        assertThat(sts1.statusCode()).isEqualTo(403);
                        assertThat(sts1.awsErrorDetails().errorCode()).isEqualTo("SignatureDoesNotMatch");
                    });
        }
    }

    @Test
    void anUnknownKeyOrAWrongSessionTokenIsInvalidClientTokenId() {
        try (StsClient sts = aws.sts(StaticCredentialsProvider.create(AwsSessionCredentials.create(
                "ASIAUNKNOWNUNKNOWN12", credentials.secretAccessKey(), credentials.sessionToken())))) {
            assertThatThrownBy(sts::getCallerIdentity)
                    .isInstanceOf(StsException.class)
                    .satisfies(e -> assertThat(((StsException) e).awsErrorDetails().errorCode())
                            .isEqualTo("InvalidClientTokenId"));
        }
        try (StsClient sts = sts(credentials.secretAccessKey(), "not-the-session-token")) {
            assertThatThrownBy(sts::getCallerIdentity)
                    .isInstanceOf(StsException.class)
                    .satisfies(e -> assertThat(((StsException) e).awsErrorDetails().errorCode())
                            .isEqualTo("InvalidClientTokenId"));
        }
    }

    @Test
    void expiredCredentialsAreExpiredToken() {
        clock.advance(Duration.ofHours(1));
        try (StsClient sts = sts(credentials.secretAccessKey(), credentials.sessionToken())) {
            assertThatThrownBy(sts::getCallerIdentity)
                    .isInstanceOf(StsException.class)
                    .satisfies(e -> assertThat(((StsException) e).awsErrorDetails().errorCode())
                            .isEqualTo("ExpiredToken"));
        }
    }

    @Test
    void assumeRoleIssuesCredentialsThatSignTheirOwnCalls() {
        String roleArn = "arn:aws:iam::" + OTHER_ACCOUNT + ":role/deploy/Deployer";
        try (StsClient sts = sts(credentials.secretAccessKey(), credentials.sessionToken())) {
            AssumeRoleResponse assumed = sts.assumeRole(r -> r.roleArn(roleArn).roleSessionName("ci-run")
                    .durationSeconds(1800));

            assertThat(assumed.assumedRoleUser().arn())
                    .isEqualTo("arn:aws:sts::" + OTHER_ACCOUNT + ":assumed-role/Deployer/ci-run");
            assertThat(assumed.credentials().accessKeyId()).startsWith("ASIA").hasSize(20);
            assertThat(assumed.credentials().expiration().getEpochSecond())
                    .isEqualTo(clock.instant().plus(Duration.ofMinutes(30)).getEpochSecond());

            try (StsClient chained = sts(assumed.credentials().accessKeyId(), assumed.credentials().secretAccessKey(),
                    assumed.credentials().sessionToken())) {
                GetCallerIdentityResponse identity = chained.getCallerIdentity();
                assertThat(identity.account()).isEqualTo(OTHER_ACCOUNT);
                assertThat(identity.arn()).isEqualTo(assumed.assumedRoleUser().arn());
            }
        }
        assertThat(emulator.calls("AssumeRole")).isEqualTo(1);
    }

    @Test
    void assumeRootIssuesAFifteenMinuteRootSessionOfTheMemberAccount() {
        String audit = "arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials";
        try (StsClient sts = sts(credentials.secretAccessKey(), credentials.sessionToken())) {
            AssumeRootResponse root = sts.assumeRoot(r -> r.targetPrincipal(OTHER_ACCOUNT)
                    .taskPolicyArn(p -> p.arn(audit)));

            assertThat(root.credentials().expiration().getEpochSecond())
                    .isEqualTo(clock.instant().plus(Duration.ofMinutes(15)).getEpochSecond());
            try (StsClient asRoot = sts(root.credentials().accessKeyId(), root.credentials().secretAccessKey(),
                    root.credentials().sessionToken())) {
                GetCallerIdentityResponse identity = asRoot.getCallerIdentity();
                assertThat(identity.arn()).isEqualTo("arn:aws:iam::" + OTHER_ACCOUNT + ":root");
                assertThat(identity.userId()).isEqualTo(OTHER_ACCOUNT);
                assertAccessDenied(() -> asRoot.assumeRoot(r -> r.targetPrincipal(OTHER_ACCOUNT)
                        .taskPolicyArn(p -> p.arn(audit))));
            }
            assertThat(sts.assumeRoot(r -> r.targetPrincipal(OTHER_ACCOUNT).taskPolicyArn(p -> p.arn(audit))
                    .durationSeconds(300)).credentials().expiration().getEpochSecond())
                    .isEqualTo(clock.instant().plus(Duration.ofMinutes(5)).getEpochSecond());

            assertAccessDenied(() -> sts.assumeRoot(r -> r.targetPrincipal("999999999999")
                    .taskPolicyArn(p -> p.arn(audit))));
            assertValidationError(() -> sts.assumeRoot(r -> r.targetPrincipal(OTHER_ACCOUNT)
                    .taskPolicyArn(p -> p.arn("arn:aws:iam::aws:policy/AdministratorAccess"))));
            assertValidationError(() -> sts.assumeRoot(r -> r.targetPrincipal(OTHER_ACCOUNT)
                    .taskPolicyArn(p -> p.arn(audit)).durationSeconds(901)));
            assertValidationError(() -> sts.assumeRoot(r -> r.targetPrincipal("12345")
                    .taskPolicyArn(p -> p.arn(audit))));
        }
        assertThat(emulator.calls("AssumeRoot")).isEqualTo(7);
    }

    private static void assertValidationError(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOf(StsException.class)
                .satisfies(e -> assertThat(((StsException) e).awsErrorDetails().errorCode()).isEqualTo("ValidationError"));
    }

    @Test
    void assumeRoleIsDeniedForUnknownAccountsDeniedRolesAndWrongExternalIds() {
        String denied = "arn:aws:iam::" + OTHER_ACCOUNT + ":role/Denied";
        String guarded = "arn:aws:iam::" + OTHER_ACCOUNT + ":role/Guarded";
        emulator.denyAssumeRole(denied);
        emulator.requireExternalId(guarded, "s3cret-id");

        try (StsClient sts = sts(credentials.secretAccessKey(), credentials.sessionToken())) {
            assertAccessDenied(() -> sts.assumeRole(r -> r.roleArn("arn:aws:iam::999999999999:role/X")
                    .roleSessionName("s1")));
            assertAccessDenied(() -> sts.assumeRole(r -> r.roleArn(denied).roleSessionName("s1")));
            assertAccessDenied(() -> sts.assumeRole(r -> r.roleArn(guarded).roleSessionName("s1")));
            assertAccessDenied(() -> sts.assumeRole(r -> r.roleArn(guarded).roleSessionName("s1").externalId("nope")));
            assertThat(sts.assumeRole(r -> r.roleArn(guarded).roleSessionName("s1").externalId("s3cret-id"))
                    .credentials().accessKeyId()).startsWith("ASIA");
        }
    }

    @Test
    void assumeRoleValidatesItsInput() {
        try (StsClient sts = sts(credentials.secretAccessKey(), credentials.sessionToken())) {
            assertThatThrownBy(() -> sts.assumeRole(r -> r.roleArn("not-an-arn").roleSessionName("s1")))
                    .isInstanceOf(StsException.class)
                    .satisfies(e -> assertThat(((StsException) e).awsErrorDetails().errorCode())
                            .isEqualTo("ValidationError"));
            assertThatThrownBy(() -> sts.assumeRole(r -> r.roleArn("arn:aws:iam::" + ACCOUNT + ":role/R")
                    .roleSessionName("s1").durationSeconds(7200)))
                    .isInstanceOf(StsException.class)
                    .hasMessageContaining("role chaining");
        }
    }

    private static void assertAccessDenied(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        assertThatThrownBy(call)
                .isInstanceOf(StsException.class)
                .satisfies(e -> {
                    StsException sts = (StsException) e;
                    assertThat(sts.statusCode()).isEqualTo(403);
                    assertThat(sts.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
                });
    }

    private StsClient sts(String secret, String sessionToken) {
        return sts(credentials.accessKeyId(), secret, sessionToken);
    }

    private StsClient sts(String accessKeyId, String secret, String sessionToken) {
        return aws.sts(StaticCredentialsProvider.create(AwsSessionCredentials.create(accessKeyId, secret,
                sessionToken)));
    }
}
