package dev.atmosd.daemon.rpc;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * An exclusive lock on {@code <socket dir>/atmosd.lock}, held for the daemon's whole life. Two daemons starting at
 * once race on this lock instead of on the socket file, so exactly one of them decides whether an existing socket is
 * live or stale. The kernel drops the lock when the process dies, so a crash never leaves it behind.
 */
final class DaemonLock implements AutoCloseable {
  static final String FILE_NAME = "atmosd.lock";

  private final Path file;
  private final FileChannel channel;
  private final FileLock lock;

  private DaemonLock(Path file, FileChannel channel, FileLock lock) {
    this.file = file;
    this.channel = channel;
    this.lock = lock;
  }

  /** The lock, or empty when another daemon (process or, in tests, another daemon in this JVM) holds it. */
  static Optional<DaemonLock> tryAcquire(Path socketDir) throws IOException {
    Path file = socketDir.resolve(FILE_NAME);
    FileChannel channel = FileChannel.open(file, java.util.Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try {
      FileLock lock = channel.tryLock();
      if (lock == null) {
        channel.close();
        return Optional.empty();
      }
      if (!Files.exists(file)) {
        // The holder removed the file between our open and our lock: this lock guards nothing.
        lock.release();
        channel.close();
        return Optional.empty();
      }
      return Optional.of(new DaemonLock(file, channel, lock));
    } catch (OverlappingFileLockException heldInThisJvm) {
      channel.close();
      return Optional.empty();
    }
  }

  Path file() {
    return file;
  }

  /** Removes the lock file, then releases the lock (in that order, so a waiting daemon never locks a dead file). */
  @Override
  public void close() {
    try {
      Files.deleteIfExists(file);
    } catch (IOException ignored) {
      // the lock is released below all the same
    }
    try {
      lock.release();
      channel.close();
    } catch (IOException ignored) {
      // closing the channel releases the lock; nothing else to do
    }
  }
}
