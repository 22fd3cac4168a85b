package dev.atmosd.daemon.config;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The root of the git work tree a directory is in: the nearest directory at or above it holding {@code .git} (a
 * directory, or the file a worktree or submodule has), as atmos's {@code !repo-root} finds it
 * (pkg/utils/git.go ProcessTagGitRoot with go-git's DetectDotGit).
 */
final class GitRoot {
  private GitRoot() {}

  /** The work tree root, or null when {@code directory} is null or in no repository. */
  static Path of(Path directory) {
    if (directory == null) {
      return null;
    }
    for (Path at = directory.toAbsolutePath().normalize(); at != null; at = at.getParent()) {
      if (Files.exists(at.resolve(".git"))) {
        return at;
      }
    }
    return null;
  }
}
