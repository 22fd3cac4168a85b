package dev.atmosd.daemon.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Files only their owner may read, replaced atomically: a reader — or a crash at any instant — sees the old
 * content or the new, never a torn file. Directories are 0700, files 0600; writers of one file serialise on an
 * advisory lock so two daemons (or a daemon and a tool) never interleave.
 */
public final class PrivateFiles {
  private static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");

  private PrivateFiles() {}

  /** Creates {@code dir} and missing parents as 0700 (existing parents are left as they are). */
  public static Path ensureDirectory(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      Path parent = dir.getParent();
      if (parent != null) {
        ensureDirectory(parent);
      }
      try {
        Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_DIR));
      } catch (FileAlreadyExistsException raced) {
        // another writer made it first
      }
    }
    return dir;
  }

  /** Writes {@code content} to {@code target} atomically (temp file + fsync + rename) with mode 0600. */
  public static void writeAtomically(Path target, byte[] content) throws IOException {
    Path dir = ensureDirectory(target.toAbsolutePath().getParent());
    Path lockFile = dir.resolve("." + target.getFileName() + ".lock");
    try (FileChannel lockChannel = FileChannel.open(lockFile, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
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
    try (FileChannel lockChannel = FileChannel.open(lockFile, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
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
