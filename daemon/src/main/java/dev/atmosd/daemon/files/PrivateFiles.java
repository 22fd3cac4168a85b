package dev.atmosd.daemon.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Files only their owner may read, replaced atomically: a reader — or a crash at any instant — sees the old
 * content or the new, never a torn file. Directories are 0700, files 0600; writers of one file serialise on an
 * advisory lock so two daemons (or a daemon and a tool) never interleave.
 */
public final class PrivateFiles {
  private static final Logger log = LoggerFactory.getLogger(PrivateFiles.class);
  private static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");

  private PrivateFiles() {}

  /**
   * Makes {@code dir} a directory only the user can use, and returns it. Checked are {@code dir} and, when it lies in a
   * tree of ours (a directory named {@code atmos} or {@code atmosd}, e.g. {@code ~/.cache/atmos/aws-sso/sessions}), every
   * directory from that root down: each must belong to the user ({@link ForeignDirectoryException} otherwise: whoever
   * owns it can swap the files inside) and is tightened to 0700 if it was looser. A directory outside such a tree (a
   * custom {@code --log-file}'s) is the user's own choice: it is only refused when it is someone else's or others may
   * write to it. Missing directories are created 0700.
   */
  public static Path ensureDirectory(Path dir) throws IOException {
    dir = dir.toAbsolutePath();
    Path treeRoot = null;
    for (Path walk = dir; walk != null && walk.getFileName() != null; walk = walk.getParent()) {
      String name = walk.getFileName().toString();
      if (name.equals("atmos") || name.equals("atmosd")) {
        treeRoot = walk;
        break;
      }
    }
    Path top = treeRoot == null ? dir : treeRoot;
    if (top.getParent() != null && !Files.isDirectory(top.getParent())) {
      createMissing(top.getParent());
    }
    for (Path step : chain(top, dir)) {
      if (!Files.exists(step)) {
        createMissing(step);
      }
      checkOwned(step, treeRoot != null);
    }
    return dir;
  }

  /** {@code top}, then each directory below it down to {@code leaf}. */
  private static java.util.List<Path> chain(Path top, Path leaf) {
    java.util.List<Path> chain = new java.util.ArrayList<>();
    chain.add(top);
    Path step = top;
    for (Path segment : top.relativize(leaf)) {
      if (segment.toString().isEmpty()) {
        continue;
      }
      step = step.resolve(segment);
      chain.add(step);
    }
    return chain;
  }

  private static void createMissing(Path dir) throws IOException {
    if (Files.isDirectory(dir)) {
      return;
    }
    Path parent = dir.getParent();
    if (parent != null) {
      createMissing(parent);
    }
    try {
      Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_DIR));
    } catch (FileAlreadyExistsException raced) {
      // another writer made it first
    }
  }

  private static void checkOwned(Path dir, boolean ours) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new ForeignDirectoryException(dir, "is not a directory: remove it");
    }
    UserPrincipal owner = Files.getOwner(dir);
    if (!owner.equals(currentUser())) {
      throw new ForeignDirectoryException(dir, "belongs to " + owner.getName() + ", not to you (uid " + currentUid()
          + "): whoever owns it can replace the files atmosd keeps there; remove it, or point XDG_CACHE_HOME /"
          + " XDG_STATE_HOME / --log-file at a directory of your own");
    }
    Set<PosixFilePermission> mode = Files.getPosixFilePermissions(dir);
    if (mode.equals(OWNER_DIR)) {
      return;
    }
    if (ours) {
      log.warn("directory {} had mode {}; set it back to rwx------", dir, PosixFilePermissions.toString(mode));
      Files.setPosixFilePermissions(dir, OWNER_DIR);
    } else if (mode.contains(PosixFilePermission.GROUP_WRITE) || mode.contains(PosixFilePermission.OTHERS_WRITE)) {
      throw new ForeignDirectoryException(dir, "is writable by others (" + PosixFilePermissions.toString(mode)
          + "), so they can replace the files atmosd keeps there: run `chmod 700 " + dir + "` or choose another");
    }
  }

  /**
   * Opens (creating it 0600) a file to append to — the daemon's log — without following a symbolic link: a link there
   * is refused, never chmodded or written through. Checks its directory as {@link #ensureDirectory} does.
   */
  public static void prepareAppendFile(Path file) throws IOException {
    ensureDirectory(file.toAbsolutePath().getParent());
    if (Files.isSymbolicLink(file)) {
      throw new ForeignDirectoryException(file, "is a symbolic link: remove it (atmosd does not write through links)");
    }
    try (FileChannel ignored = FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.APPEND,
        LinkOption.NOFOLLOW_LINKS), PosixFilePermissions.asFileAttribute(OWNER_FILE))) {
      UserPrincipal owner = Files.getOwner(file, LinkOption.NOFOLLOW_LINKS);
      if (!owner.equals(currentUser())) {
        throw new ForeignDirectoryException(file, "belongs to " + owner.getName() + ", not to you: remove it");
      }
      Files.getFileAttributeView(file, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
          .setPermissions(OWNER_FILE);
    }
  }

  private static long currentUid() {
    return new com.sun.security.auth.module.UnixSystem().getUid();
  }

  private static UserPrincipal currentUser() throws IOException {
    // A purely numeric name that no account has is taken as the uid itself.
    return FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName(String.valueOf(currentUid()));
  }

  /** A directory (or file) atmosd will not write into: someone else's, or open to others. */
  public static final class ForeignDirectoryException extends java.nio.file.FileSystemException {
    public ForeignDirectoryException(Path path, String reason) {
      super(path.toString(), null, reason);
    }

    @Override
    public String getMessage() {
      return getFile() + " " + getReason();
    }
  }

  /** Writes {@code content} to {@code target} atomically (temp file + fsync + rename) with mode 0600. */
  public static void writeAtomically(Path target, byte[] content) throws IOException {
    Path dir = ensureDirectory(target.toAbsolutePath().getParent());
    Path lockFile = dir.resolve("." + target.getFileName() + ".lock");
    try (FileChannel lockChannel = FileChannel.open(lockFile, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            LinkOption.NOFOLLOW_LINKS),
            PosixFilePermissions.asFileAttribute(OWNER_FILE));
        FileLock ignored = lockChannel.lock()) {
      removeTempFilesOfDeadWriters(dir, target);
      Path temp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp",
          PosixFilePermissions.asFileAttribute(OWNER_FILE));
      try {
        try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
          ByteBuffer buffer = ByteBuffer.wrap(content);
          while (buffer.hasRemaining()) {
            out.write(buffer);
          }
          out.force(true);
        }
        try {
          Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
          throw new IOException("cannot replace " + target + " atomically on this file system", e);
        }
        fsyncDirectory(dir);
      } finally {
        Files.deleteIfExists(temp);
      }
    }
  }

  /** Deletes {@code target} if present, under the same lock writers take. True when a file was removed. */
  public static boolean delete(Path target) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    if (dir == null || !Files.isDirectory(dir)) {
      return false;
    }
    Path lockFile = dir.resolve("." + target.getFileName() + ".lock");
    try (FileChannel lockChannel = FileChannel.open(lockFile, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            LinkOption.NOFOLLOW_LINKS),
            PosixFilePermissions.asFileAttribute(OWNER_FILE));
        FileLock ignored = lockChannel.lock()) {
      return Files.deleteIfExists(target);
    }
  }

  /**
   * Every writer of {@code target} holds its lock, so a temp file of {@code target} found while holding it was left by
   * a writer that died between creating it and renaming it. It holds a whole old copy (tokens included): remove it.
   */
  private static void removeTempFilesOfDeadWriters(Path dir, Path target) throws IOException {
    try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(dir, "." + globEscaped(target) + ".*.tmp")) {
      for (Path leftover : leftovers) {
        Files.deleteIfExists(leftover);
      }
    }
  }

  private static String globEscaped(Path target) {
    return target.getFileName().toString().replaceAll("([\\*?\\[\\]{}])", "\\\\$1");
  }

  private static void fsyncDirectory(Path dir) {
    // Makes the rename itself durable; some platforms refuse to open a directory for sync, which is harmless.
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException | UnsupportedOperationException notSupported) {
      // best effort
    }
  }

  /** Whether the failure means the directory cannot be written (read-only, full, no permission). */
  public static boolean isUnwritable(IOException e) {
    return e instanceof AccessDeniedException || e instanceof java.nio.file.FileSystemException;
  }
}
