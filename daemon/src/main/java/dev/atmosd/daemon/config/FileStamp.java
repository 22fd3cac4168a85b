package dev.atmosd.daemon.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

/**
 * What a stat says of a file: enough to tell that it changed, appeared or went away, so parsed documents and loaded
 * configs can be re-used while their files stay as they were.
 */
record FileStamp(Object fileKey, long size, FileTime modified) {
  private static final FileStamp ABSENT = new FileStamp(null, -1, null);

  static FileStamp of(BasicFileAttributes attributes) {
    return new FileStamp(attributes.fileKey(), attributes.size(), attributes.lastModifiedTime());
  }

  /** The file's stamp now; one that cannot be read (missing, unreadable) is the same "absent" stamp. */
  static FileStamp of(Path path) {
    try {
      return of(Files.readAttributes(path, BasicFileAttributes.class));
    } catch (IOException absent) {
      return ABSENT;
    }
  }

  /**
   * Whether the stamp can be trusted: file times advance in coarse ticks, so a same-size rewrite within a tick looks
   * unchanged; two seconds after the last change it cannot (git's "racily clean" rule). An absent file is settled.
   */
  boolean settled() {
    return modified == null || modified.toInstant().isBefore(Instant.now().minusSeconds(2));
  }
}
