package dev.atmosd.daemon.rpc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.EnumSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The directory that holds the socket and its lock. Only its owner may enter it (0700): then nobody else can connect,
 * or swap the socket for their own, whatever the socket's own mode. A directory that belongs to someone else, or that
 * others may write to, is refused: whoever controls it controls which daemon the CLI talks to.
 */
final class SocketDirectory {
  private static final Logger log = LoggerFactory.getLogger(SocketDirectory.class);
  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> SOCKET_MODE = PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> WRITABLE_BY_OTHERS =
      EnumSet.of(PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE);

  private SocketDirectory() {}

  /** Creates {@code dir} 0700, or checks an existing one; returns it. */
  static Path prepare(Path dir, UserPrincipal owner) {
    try {
      if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
        Path parent = dir.getParent();
        if (parent != null && !Files.isDirectory(parent)) {
          Files.createDirectories(parent);
        }
        try {
          Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
          // The create mode passes through the umask; set it explicitly.
          Files.setPosixFilePermissions(dir, OWNER_ONLY);
          return dir;
        } catch (java.nio.file.FileAlreadyExistsException raced) {
          // another daemon made it first: check it like any existing directory
        }
      }
      if (Files.isSymbolicLink(dir) || !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
        throw new StartupRefusedException(StartupRefusedException.USAGE, "socket directory " + dir
            + " is not a plain directory: remove it, or set ATMOSD_SOCKET to a path in a directory of your own");
      }
      UserPrincipal dirOwner = Files.getOwner(dir, LinkOption.NOFOLLOW_LINKS);
      if (!dirOwner.equals(owner)) {
        throw new StartupRefusedException(StartupRefusedException.USAGE, "socket directory " + dir + " belongs to "
            + UnixUsers.describe(dirOwner) + ", not to you (" + UnixUsers.describe(owner) + "): remove it, or set"
            + " ATMOSD_SOCKET to a path in a directory of your own");
      }
      Set<PosixFilePermission> mode = Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS);
      if (mode.equals(OWNER_ONLY)) {
        return dir;
      }
      if (dir.getFileName().toString().startsWith("atmosd")) {
        // Our own directory with a loosened mode: put it back.
        log.warn("socket directory {} had mode {}; set it back to rwx------", dir, PosixFilePermissions.toString(mode));
        Files.setPosixFilePermissions(dir, OWNER_ONLY);
        return dir;
      }
      if (mode.stream().anyMatch(WRITABLE_BY_OTHERS::contains)) {
        throw new StartupRefusedException(StartupRefusedException.USAGE, "socket directory " + dir + " is writable by"
            + " others (" + PosixFilePermissions.toString(mode) + "): set ATMOSD_SOCKET to a path in a directory only"
            + " you can write");
      }
      log.warn("socket directory {} has mode {}; the socket is 0600 and checks peer credentials, but a 0700"
          + " directory of its own is safer", dir, PosixFilePermissions.toString(mode));
      return dir;
    } catch (IOException e) {
      throw new StartupRefusedException(StartupRefusedException.USAGE, "cannot prepare socket directory " + dir + ": "
          + e.getClass().getSimpleName() + " " + e.getMessage() + ": set ATMOSD_SOCKET to a path you can write");
    }
  }

  /** Right after bind: only the owner may connect. */
  static void restrictSocket(Path socket) throws IOException {
    Files.setPosixFilePermissions(socket, SOCKET_MODE);
  }
}
