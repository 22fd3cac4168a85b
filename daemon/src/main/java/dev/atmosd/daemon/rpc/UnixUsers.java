package dev.atmosd.daemon.rpc;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.util.List;

/** The daemon's own user as a {@link UserPrincipal}, and users described as "uid N (name)" for log lines. */
final class UnixUsers {
  private UnixUsers() {}

  static long currentUid() {
    return new com.sun.security.auth.module.UnixSystem().getUid();
  }

  /** The principal of this process's real uid; equal to the owner of the files this process creates. */
  static UserPrincipal currentUser() {
    try {
      // A purely numeric name that no account has is taken as the uid itself.
      return FileSystems.getDefault().getUserPrincipalLookupService()
          .lookupPrincipalByName(String.valueOf(currentUid()));
    } catch (IOException e) {
      throw new IllegalStateException("cannot look up uid " + currentUid(), e);
    }
  }

  /** "uid 65534 (nobody)", or "uid 1234" for a user without a passwd entry. */
  static String describe(UserPrincipal user) {
    String name = user.getName();
    if (name.chars().allMatch(Character::isDigit)) {
      String account = nameOf(name);
      return account == null ? "uid " + name : "uid " + name + " (" + account + ")";
    }
    String uid = uidOf(name);
    return uid == null ? "user " + name : "uid " + uid + " (" + name + ")";
  }

  private static String uidOf(String name) {
    for (String[] entry : passwd()) {
      if (entry.length > 2 && entry[0].equals(name)) {
        return entry[2];
      }
    }
    return null;
  }

  private static String nameOf(String uid) {
    for (String[] entry : passwd()) {
      if (entry.length > 2 && entry[2].equals(uid)) {
        return entry[0];
      }
    }
    return null;
  }

  private static List<String[]> passwd() {
    try {
      return Files.readAllLines(Path.of("/etc/passwd")).stream().map(line -> line.split(":")).toList();
    } catch (IOException | RuntimeException unreadable) {
      return List.of();
    }
  }
}
