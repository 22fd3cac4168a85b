package dev.atmosd.emulator;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The accounts and role assignments the signed-in user sees. Readers work on an immutable snapshot that is
 * swapped whole on every change, so listing thousands of accounts never contends with a writer and a
 * paginated listing stays stable while it is read.
 */
final class AccountDirectory {
    /** Account ids are 12 digits; generated ones start here so they never look like a real, famous account. */
    private static final long FIRST_GENERATED_ID = 100_000_000_000L;
    private static final List<String> COMMON_PERMISSION_SETS = List.of(
            "AdministratorAccess", "ReadOnlyAccess", "PowerUserAccess", "ViewOnlyAccess", "Billing",
            "DatabaseAdministrator", "NetworkAdministrator", "SecurityAudit", "SupportUser", "DataScientist");

    private volatile Snapshot snapshot = new Snapshot(List.of(), Map.of());
    private long generatedSoFar;

    synchronized void add(Account account) {
        Map<String, Account> byId = new LinkedHashMap<>(snapshot.byId());
        Account existing = byId.get(account.accountId());
        if (existing != null) {
            // Adding roles to a known account is the common case in tests: keep what it had, add the new ones.
            LinkedHashSet<String> roles = new LinkedHashSet<>(existing.roleNames());
            roles.addAll(account.roleNames());
            account = new Account(account.accountId(), account.accountName(), account.email(), new ArrayList<>(roles));
        }
        byId.put(account.accountId(), account);
        publish(byId);
    }

    /** Generates {@code count} accounts named account-0001.. with {@code rolesPerAccount} permission sets each. */
    synchronized List<Account> generate(int count, int rolesPerAccount) {
        if (count < 0 || rolesPerAccount < 0) {
            throw new IllegalArgumentException("count and rolesPerAccount must be >= 0");
        }
        List<String> roles = permissionSetNames(rolesPerAccount);
        Map<String, Account> byId = new LinkedHashMap<>(snapshot.byId());
        List<Account> added = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long n = ++generatedSoFar;
            String id;
            do {
                id = String.format("%012d", FIRST_GENERATED_ID + n);
                if (byId.containsKey(id)) {
                    n = ++generatedSoFar;
                }
            } while (byId.containsKey(id));
            String name = String.format("account-%04d", n);
            Account account = new Account(id, name, name + "@example.com", roles);
            byId.put(id, account);
            added.add(account);
        }
        publish(byId);
        return added;
    }

    static List<String> permissionSetNames(int count) {
        List<String> names = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            names.add(i < COMMON_PERMISSION_SETS.size()
                    ? COMMON_PERMISSION_SETS.get(i)
                    : String.format("PermissionSet%03d", i + 1));
        }
        return names;
    }

    List<Account> accounts() {
        return snapshot.ordered();
    }

    Optional<Account> find(String accountId) {
        return Optional.ofNullable(snapshot.byId().get(accountId));
    }

    boolean contains(String accountId) {
        return snapshot.byId().containsKey(accountId);
    }

    private void publish(Map<String, Account> byId) {
        snapshot = new Snapshot(List.copyOf(byId.values()), Collections.unmodifiableMap(byId));
    }

    private record Snapshot(List<Account> ordered, Map<String, Account> byId) {
    }
}
