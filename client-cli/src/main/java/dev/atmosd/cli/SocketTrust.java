package dev.atmosd.cli;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * What the CLI checks before it connects to the socket, so that nothing (config path, working directory, forwarded
 * variables) reaches another user posing as atmosd: the socket's directory belongs to the user and nobody else may
 * write to it (atmosd's own {@code atmosd*} directories must be exactly 0700, as atmosd keeps them), and the socket
 * belongs to the user. The daemon process behind the socket is checked after connecting ({@link DaemonPeerCheck}).
 */
public final class SocketTrust {
  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> WRITABLE_BY_OTHERS =
      EnumSet.of(PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE);
  private static final String WHAT_TO_DO = "another user may be posing as atmosd; remove it (ask an administrator if"
      + " you cannot) or set ATMOSD_SOCKET to a path in a directory of your own";

  private SocketTrust() {}

  /**
   * Refuses (exit 1) a socket directory or socket that is not the user's own. A directory that does not exist yet is
   * fine: atmosd creates it 0700 and refuses one that someone else made in the meantime.
   */
  public static void checkBeforeConnecting(Path socket) {
    String problem = problemWith(socket);
    if (problem != null) {
      throw new UserError(problem, ExitCodes.FAILED);
    }
  }

  /** The one-line refusal, or null when the socket's directory and the socket are the user's own. */
  static String problemWith(Path socket) {
    Path dir = socket.toAbsolutePath().getParent();
    try {
      if (dir == null || !Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
        return null;
      }
      UserPrincipal me = currentUser();
      if (Files.isSymbolicLink(dir) || !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
        return "socket directory " + dir + " is not a plain directory (owner " + describe(owner(dir)) + "): "
            + WHAT_TO_DO;
      }
      UserPrincipal dirOwner = owner(dir);
      if (!dirOwner.equals(me)) {
        return "socket directory " + dir + " belongs to " + describe(dirOwner) + ", not to you (" + describe(me)
            + "): " + WHAT_TO_DO;
      }
      Set<PosixFilePermission> mode = Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS);
      boolean atmosdOwn = dir.getFileName().toString().startsWith("atmosd");
      if (atmosdOwn ? !mode.equals(OWNER_ONLY) : mode.stream().anyMatch(WRITABLE_BY_OTHERS::contains)) {
        return "socket directory " + dir + " (owner " + describe(dirOwner) + ") has mode "
            + PosixFilePermissions.toString(mode) + ", so others may have replaced the socket: run `chmod 700 " + dir
            + "` and `atmos daemon restart`, or set ATMOSD_SOCKET to a path in a directory of your own";
      }
      if (Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
        UserPrincipal socketOwner = owner(socket);
        if (Files.isSymbolicLink(socket) || !socketOwner.equals(me)) {
          return "socket " + socket + " belongs to " + describe(socketOwner) + (Files.isSymbolicLink(socket)
              ? " and is a symbolic link" : "") + ", not to you (" + describe(me) + "): " + WHAT_TO_DO;
        }
      }
      return null;
    } catch (IOException unreadable) {
      return "cannot check socket directory " + dir + ": " + unreadable.getMessage()
          + ": set ATMOSD_SOCKET to a path in a directory of your own";
    }
  }

  private static UserPrincipal owner(Path path) throws IOException {
    return Files.getOwner(path, LinkOption.NOFOLLOW_LINKS);
  }

  static long currentUid() {
    return new com.sun.security.auth.module.UnixSystem().getUid();
  }

  /** The principal of this process's uid: equal to the owner of the files this process creates. */
  static UserPrincipal currentUser() {
    try {
      // A purely numeric name that no account has is taken as the uid itself.
      return FileSystems.getDefault().getUserPrincipalLookupService()
          .lookupPrincipalByName(String.valueOf(currentUid()));
    } catch (IOException e) {
      throw new UserError("cannot look up your own uid " + currentUid() + ": " + e.getMessage(), ExitCodes.FAILED);
    }
  }

  /** "uid 65534 (nobody)", or "uid 1234" for a user without a passwd entry. */
  static String describe(UserPrincipal user) {
    String name = user.getName();
    boolean numeric = !name.isEmpty() && name.chars().allMatch(Character::isDigit);
    for (String[] entry : passwd()) {
      if (entry.length > 2 && (numeric ? entry[2].equals(name) : entry[0].equals(name))) {
        return "uid " + entry[2] + " (" + entry[0] + ")";
      }
    }
    return numeric ? "uid " + name : "user " + name;
  }

  private static List<String[]> passwd() {
    try {
      return Files.readAllLines(Path.of("/etc/passwd")).stream().map(line -> line.split(":")).toList();
    } catch (IOException | RuntimeException unreadable) {
      return List.of();
    }
  }
}
