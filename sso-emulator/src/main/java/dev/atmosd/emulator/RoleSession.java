package dev.atmosd.emulator;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;

/**
 * A set of temporary credentials the emulator issued (via GetRoleCredentials or AssumeRole) and the
 * assumed-role principal they act as. STS signature checks look the secret up here.
 */
record RoleSession(String accessKeyId, String secretAccessKey, String sessionToken, Instant expiresAt,
                   String accountId, String roleName, String arn, String userId) {

    /** An Identity Center permission-set session: the role is AWSReservedSSO_&lt;set&gt;_&lt;stable hex&gt;. */
    static RoleSession forPermissionSet(String accountId, String permissionSet, String userName, Instant expiresAt) {
        String roleName = "AWSReservedSSO_" + permissionSet + "_" + stableHex(accountId + "/" + permissionSet, 16);
        return issue(accountId, roleName, userName, expiresAt);
    }

    static RoleSession forAssumedRole(String accountId, String roleName, String sessionName, Instant expiresAt) {
        return issue(accountId, roleName, sessionName, expiresAt);
    }

    /**
     * A privileged root session of a member account (sts:AssumeRoot): it acts as the account's root user, so
     * GetCallerIdentity answers {@code arn:aws:iam::<account>:root} with the account id as its user id.
     */
    static RoleSession forRoot(String accountId, Instant expiresAt) {
        return new RoleSession(RandomTokens.temporaryAccessKeyId(), RandomTokens.secretAccessKey(),
                RandomTokens.sessionToken(), expiresAt, accountId, null, "arn:aws:iam::" + accountId + ":root", accountId);
    }

    private static RoleSession issue(String accountId, String roleName, String sessionName, Instant expiresAt) {
        String arn = "arn:aws:sts::" + accountId + ":assumed-role/" + roleName + "/" + sessionName;
        String roleId = "AROA" + stableHex(accountId + ":" + roleName, 17).toUpperCase();
        return new RoleSession(RandomTokens.temporaryAccessKeyId(), RandomTokens.secretAccessKey(),
                RandomTokens.sessionToken(), expiresAt, accountId, roleName, arn, roleId + ":" + sessionName);
    }

    /** Same input, same hex: a role keeps its suffix and id across sessions, as on AWS. */
    static String stableHex(String input, int length) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(input.getBytes(StandardCharsets.UTF_8));
            StringBuilder sb = new StringBuilder();
            for (byte b : digest) {
                sb.append(String.format("%02x", b));
            }
            return sb.substring(0, length);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
