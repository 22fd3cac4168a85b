package dev.atmosd.daemon.config;

/** One discovered identity: {@code name} is {@code {account-name}/{permission-set}} (plus the account id on a name clash). */
public record ProvisionedIdentity(String name, String provider, String accountId, String accountName, String permissionSet) {}
