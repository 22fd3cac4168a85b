package dev.atmosd.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sso.model.AccountInfo;
import software.amazon.awssdk.services.sso.model.GetRoleCredentialsResponse;
import software.amazon.awssdk.services.sso.model.ResourceNotFoundException;
import software.amazon.awssdk.services.sso.model.RoleInfo;
import software.amazon.awssdk.services.sso.model.SsoException;
import software.amazon.awssdk.services.sso.model.UnauthorizedException;

/** The SSO portal as the real AWS SDK for Java v2 sees it. */
class PortalTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private SsoEmulator emulator;
    private SdkClients aws;
    private String token;

    @BeforeEach
    void start() {
        emulator = SsoEmulator.builder().clock(clock).build().start();
        aws = new SdkClients(emulator);
        token = aws.signIn().accessToken();
    }

    @AfterEach
    void stop() {
        aws.close();
        emulator.close();
    }

    @Test
    void paginatesOverManyAccounts() {
        emulator.addAccounts(250, 2);

        List<AccountInfo> accounts = aws.sso.listAccountsPaginator(r -> r.accessToken(token)).accountList()
                .stream().collect(Collectors.toList());

        assertThat(accounts).hasSize(250);
        assertThat(accounts.get(0).accountName()).isEqualTo("account-0001");
        assertThat(accounts.get(0).emailAddress()).isEqualTo("account-0001@example.com");
        assertThat(accounts.get(0).accountId()).matches("\\d{12}");
        assertThat(accounts).extracting(AccountInfo::accountId).doesNotHaveDuplicates();
        assertThat(emulator.calls("ListAccounts")).isEqualTo(13); // default page size 20
    }

    @Test
    void honoursMaxResults() {
        emulator.addAccounts(5, 1);

        var page = aws.sso.listAccounts(r -> r.accessToken(token).maxResults(2));

        assertThat(page.accountList()).hasSize(2);
        assertThat(page.nextToken()).isNotBlank();
    }

    @Test
    void listsRolesOfAnAccount() {
        emulator.addAccount("111111111111", "dev", "dev@example.com", "AdministratorAccess", "ReadOnlyAccess");

        List<RoleInfo> roles = aws.sso.listAccountRolesPaginator(r -> r.accessToken(token).accountId("111111111111"))
                .roleList().stream().collect(Collectors.toList());

        assertThat(roles).extracting(RoleInfo::roleName).containsExactly("AdministratorAccess", "ReadOnlyAccess");
        assertThat(roles).extracting(RoleInfo::accountId).containsOnly("111111111111");
    }

    @Test
    void allowsDuplicateAccountNames() {
        emulator.addAccount("111111111111", "shared", "a@example.com", "Admin");
        emulator.addAccount("222222222222", "shared", "b@example.com", "Admin");

        assertThat(aws.sso.listAccounts(r -> r.accessToken(token)).accountList())
                .extracting(AccountInfo::accountName).containsExactly("shared", "shared");
    }

    @Test
    void issuesRoleCredentialsForAssignedRoles() {
        emulator.addAccount("111111111111", "dev", "dev@example.com", "AdministratorAccess");

        GetRoleCredentialsResponse response = aws.sso.getRoleCredentials(r -> r.accessToken(token)
                .accountId("111111111111").roleName("AdministratorAccess"));

        assertThat(response.roleCredentials().accessKeyId()).startsWith("ASIA").hasSize(20);
        assertThat(response.roleCredentials().secretAccessKey()).hasSize(40);
        assertThat(response.roleCredentials().sessionToken()).isNotBlank();
        assertThat(response.roleCredentials().expiration())
                .isEqualTo(clock.instant().plus(Duration.ofHours(1)).toEpochMilli());
    }

    @Test
    void unassignedRoleIsForbiddenAndUnknownAccountIsNotFound() {
        emulator.addAccount("111111111111", "dev", "dev@example.com", "ReadOnlyAccess");

        assertThatThrownBy(() -> aws.sso.getRoleCredentials(r -> r.accessToken(token)
                .accountId("111111111111").roleName("AdministratorAccess")))
                .isInstanceOf(SsoException.class)
                .satisfies(e -> {
                    SsoException sso = (SsoException) e;
                    assertThat(sso.statusCode()).isEqualTo(403);
                    assertThat(sso.awsErrorDetails().errorCode()).isEqualTo("ForbiddenException");
                    assertThat(sso.awsErrorDetails().errorMessage()).isEqualTo("No access");
                });
        assertThatThrownBy(() -> aws.sso.getRoleCredentials(r -> r.accessToken(token)
                .accountId("999999999999").roleName("AdministratorAccess")))
                .isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void unknownExpiredOrLoggedOutTokensAreUnauthorized() {
        assertThatThrownBy(() -> aws.sso.listAccounts(r -> r.accessToken("bogus")))
                .isInstanceOf(UnauthorizedException.class)
                .hasMessageContaining("Session token not found or invalid");

        aws.sso.logout(r -> r.accessToken(token));
        assertThatThrownBy(() -> aws.sso.listAccounts(r -> r.accessToken(token)))
                .isInstanceOf(UnauthorizedException.class);

        String second = aws.signIn().accessToken();
        clock.advance(Duration.ofHours(1));
        assertThatThrownBy(() -> aws.sso.listAccounts(r -> r.accessToken(second)))
                .isInstanceOf(UnauthorizedException.class);
    }

    @Test
    void expireAccessTokensMakesEveryTokenUnauthorized() {
        emulator.expireAccessTokens();

        assertThatThrownBy(() -> aws.sso.listAccounts(r -> r.accessToken(token)))
                .isInstanceOf(UnauthorizedException.class)
                .satisfies(e -> assertThat(((UnauthorizedException) e).statusCode()).isEqualTo(401));
        assertThat(emulator.calls("ListAccounts")).isEqualTo(1);
    }

    @Test
    void generatesThousandsOfAccountsWithDistinctIdsAndRoles() {
        emulator.addAccounts(5000, 3);
        emulator.addAccounts(2, 12);

        List<AccountInfo> page = aws.sso.listAccounts(r -> r.accessToken(token).maxResults(100)).accountList();
        assertThat(page).hasSize(100);
        String last = aws.sso.listAccountsPaginator(r -> r.accessToken(token).maxResults(100)).accountList()
                .stream().reduce((a, b) -> b).orElseThrow().accountId();
        assertThat(aws.sso.listAccountRoles(r -> r.accessToken(token).accountId(last)).roleList())
                .extracting(RoleInfo::roleName).hasSize(12).contains("AdministratorAccess", "PermissionSet012");
        assertThat(aws.sso.listAccountRoles(r -> r.accessToken(token).accountId(page.get(0).accountId())).roleList())
                .extracting(RoleInfo::roleName).containsExactly("AdministratorAccess", "ReadOnlyAccess",
                        "PowerUserAccess");
    }

    @Test
    void rejectsOutOfRangePageSizesAndForeignTokens() {
        emulator.addAccounts(3, 1);

        assertThatThrownBy(() -> aws.sso.listAccounts(r -> r.accessToken(token).maxResults(101)))
                .isInstanceOf(software.amazon.awssdk.services.sso.model.InvalidRequestException.class);
        assertThatThrownBy(() -> aws.sso.listAccounts(r -> r.accessToken(token).nextToken("garbage")))
                .isInstanceOf(software.amazon.awssdk.services.sso.model.InvalidRequestException.class);
    }
}
