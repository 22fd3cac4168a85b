package dev.atmosd.emulator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The accounts and role assignments the signed-in user sees. Writers change a map under a lock; readers get
 * an immutable snapshot, rebuilt only after a change, so adding accounts one by one stays linear and a
 * paginated listing reads one stable list.
 */
final class AssignedAccounts {
    /** Account ids are 12 digits; generated ones start here so they never look like a real, famous account. */
    private static final long FIRST_GENERATED_ID = 100_000_000_000L;
    private static final List<String> COMMON_PERMISSION_SETS = List.of(
            "AdministratorAccess", "ReadOnlyAccess", "PowerUserAccess", "ViewOnlyAccess", "Billing",
            "DatabaseAdministrator", "NetworkAdministrator", "SecurityAudit", "SupportUser", "DataScientist");

    private final Map<String, Account> byId = new LinkedHashMap<>();
    private volatile List<Account> snapshot = List.of();
    private long generatedSoFar;

    synchronized void add(Account account) {
        Account existing = byId.get(account.accountId());
        if (existing != null) {
            // Adding roles to a known account is the common case in tests: keep what it had, add the new ones.
            LinkedHashSet<String> roles = new LinkedHashSet<>(existing.roleNames());
            roles.addAll(account.roleNames());
            account = new Account(account.accountId(), account.accountName(), account.email(), new ArrayList<>(roles));
        }
        byId.put(account.accountId(), account);
        snapshot = null;
    }

    synchronized boolean remove(String accountId) {
        snapshot = null;
        return byId.remove(accountId) != null;
    }

    /** Generates {@code count} accounts named account-0001.. with {@code rolesPerAccount} permission sets each. */
    synchronized List<Account> generate(int count, int rolesPerAccount) {
        if (count < 0 || rolesPerAccount < 0) {
            throw new IllegalArgumentException("count and rolesPerAccount must be >= 0");
        }
        List<String> roles = permissionSetNames(rolesPerAccount);
        List<Account> added = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long n = ++generatedSoFar;
            String id = String.format("%012d", FIRST_GENERATED_ID + n);
            while (byId.containsKey(id)) {
                n = ++generatedSoFar;
                id = String.format("%012d", FIRST_GENERATED_ID + n);
            }
            String name = String.format("account-%04d", n);
            Account account = new Account(id, name, name + "@example.com", roles);
            byId.put(id, account);
            added.add(account);
        }
        snapshot = null;
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
        List<Account> current = snapshot;
        if (current != null) {
            return current;
        }
        synchronized (this) {
            if (snapshot == null) {
                snapshot = List.copyOf(byId.values());
            }
            return snapshot;
        }
    }

    synchronized Optional<Account> find(String accountId) {
        return Optional.ofNullable(byId.get(accountId));
    }

    synchronized boolean contains(String accountId) {
        return byId.containsKey(accountId);
    }
}
