package dev.atmosd.emulator;

import java.util.List;

/** One AWS account in the emulated directory and the permission sets (role names) the user holds in it. */
record Account(String accountId, String accountName, String email, List<String> roleNames) {
    Account {
        roleNames = List.copyOf(roleNames);
    }
}
