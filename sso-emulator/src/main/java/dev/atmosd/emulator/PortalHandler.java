package dev.atmosd.emulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** The SSO portal: ListAccounts, ListAccountRoles, GetRoleCredentials and Logout, all behind the bearer token. */
final class PortalHandler {
    static final String BEARER_HEADER = "x-amz-sso_bearer_token";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final IdentityCenter center;

    PortalHandler(IdentityCenter center) {
        this.center = center;
    }

    EmulatorResponse handle(String operation, EmulatorRequest request) {
        String token = request.header(BEARER_HEADER);
        if (!center.tokens.isLive(token)) {
            throw AwsError.unauthorized();
        }
        return switch (operation) {
            case Operation.LIST_ACCOUNTS -> listAccounts(request);
            case Operation.LIST_ACCOUNT_ROLES -> listAccountRoles(request);
            case Operation.GET_ROLE_CREDENTIALS -> getRoleCredentials(request);
            case Operation.LOGOUT -> {
                center.tokens.logout(token);
                yield EmulatorResponse.empty();
            }
            default -> throw new IllegalArgumentException(operation);
        };
    }

    private EmulatorResponse listAccounts(EmulatorRequest request) {
        List<Account> accounts = center.directory.accounts();
        Page page = Page.of(request, "accounts", accounts.size());
        ObjectNode out = JSON.createObjectNode();
        ArrayNode list = out.putArray("accountList");
        for (Account account : accounts.subList(page.from(), page.to())) {
            list.addObject()
                    .put("accountId", account.accountId())
                    .put("accountName", account.accountName())
                    .put("emailAddress", account.email());
        }
        page.nextToken().ifPresent(token -> out.put("nextToken", token));
        return EmulatorResponse.json(out.toString());
    }

    private EmulatorResponse listAccountRoles(EmulatorRequest request) {
        Account account = requireAccount(request);
        List<String> roles = account.roleNames();
        Page page = Page.of(request, "roles:" + account.accountId(), roles.size());
        ObjectNode out = JSON.createObjectNode();
        ArrayNode list = out.putArray("roleList");
        for (String role : roles.subList(page.from(), page.to())) {
            list.addObject().put("roleName", role).put("accountId", account.accountId());
        }
        page.nextToken().ifPresent(token -> out.put("nextToken", token));
        return EmulatorResponse.json(out.toString());
    }

    private EmulatorResponse getRoleCredentials(EmulatorRequest request) {
        String roleName = request.queryParam("role_name");
        if (roleName == null || roleName.isBlank()) {
            throw AwsError.invalidRequest("role_name is required");
        }
        Account account = requireAccount(request);
        if (!account.roleNames().contains(roleName)) {
            throw AwsError.forbidden();
        }
        RoleSession session = center.roleSessions.remember(RoleSession.forPermissionSet(account.accountId(), roleName,
                center.userName, center.clock.instant().plus(center.lifetimes.roleCredentials())));
        ObjectNode out = JSON.createObjectNode();
        out.putObject("roleCredentials")
                .put("accessKeyId", session.accessKeyId())
                .put("secretAccessKey", session.secretAccessKey())
                .put("sessionToken", session.sessionToken())
                .put("expiration", session.expiresAt().toEpochMilli());
        return EmulatorResponse.json(out.toString());
    }

    private Account requireAccount(EmulatorRequest request) {
        String accountId = request.queryParam("account_id");
        if (accountId == null || accountId.isBlank()) {
            throw AwsError.invalidRequest("account_id is required");
        }
        return center.directory.find(accountId)
                .orElseThrow(() -> AwsError.resourceNotFound("Account " + accountId + " not found"));
    }
}
