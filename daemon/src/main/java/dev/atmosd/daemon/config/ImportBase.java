package dev.atmosd.daemon.config;

import java.nio.file.Path;

/**
 * The directory the entries of a config file's own {@code import:} list are relative to, as atmos resolves its import
 * base path (pkg/config/load.go mergeImports and resolveImportBasePath, docs/fixes "atmos.yaml imports resolve
 * relative to the config directory"; tests pkg/config/import_base_path_test.go, import_base_path_runtime_test.go):
 *
 * <ol>
 *   <li>a runtime base path ({@code --base-path}, else {@code ATMOS_BASE_PATH}) wins: absolute as it is, relative to
 *       the working directory;
 *   <li>else the file's {@code base_path}: absent or empty, the config file's directory; dot-relative ({@code .},
 *       {@code ./x}, {@code ../x}) relative to that directory; absolute as it is; a bare {@code x} relative to the
 *       working directory (atmos leaves it to {@code filepath.Abs});
 * </ol>
 *
 * <p>Nested imports stay relative to the file that names them (see {@link ImportedFiles}).
 *
 * @param reason how a message names a base other than the file's directory, or null
 * @param fromWorkingDirectory whether the result depends on the client's working directory (a loaded config made
 *     with it is only re-used from the same directory)
 */
record ImportBase(Path directory, String reason, boolean fromWorkingDirectory) {
  /** The variable atmos binds {@code --base-path} to; the client sends the flag's value under this name. */
  static final String RUNTIME_VARIABLE = "ATMOS_BASE_PATH";

  /** What decides import bases besides the files: the client's runtime base path and working directory. */
  record Context(String runtimeBasePath, Path workingDirectory) {
    static Context of(java.util.Map<String, String> clientEnv, Path workingDirectory) {
      return new Context(clientEnv.get(RUNTIME_VARIABLE), workingDirectory);
    }

    /**
     * The base of {@code file}'s own list: its {@code base_path}, else the last of its {@code .atmos.d} documents'
     * (they merge beneath it, as in atmos, where the list and the base path are read from the merged document).
     */
    ImportBase forFile(Path file, java.util.Map<String, Object> content, java.util.List<ImportedFiles.Document> beneath) {
      String declared = basePath(content);
      Path declaredIn = file;
      for (int i = beneath.size() - 1; declared == null && i >= 0; i--) {
        declared = basePath(beneath.get(i).content());
        declaredIn = beneath.get(i).file();
      }
      return ImportBase.of(file.getParent(), declared, declaredIn, runtimeBasePath, workingDirectory);
    }

    private static String basePath(java.util.Map<String, Object> content) {
      Object value = DeepMerge.getIgnoringCase(content, "base_path");
      return value instanceof String || value instanceof Number || value instanceof Boolean ? value.toString() : null;
    }
  }

  /** {@code ", relative to ..."} for a message, or nothing for the plain case. */
  String describe() {
    return reason == null ? "" : ", relative to " + reason;
  }

  /**
   * @param configDirectory the directory of the file whose list it is
   * @param declaredBasePath the merged {@code base_path} of that file and its {@code .atmos.d}, or null
   * @param declaredIn the file that set it, for messages
   * @param runtimeBasePath {@code --base-path} / {@code ATMOS_BASE_PATH} as the client sent it, or null
   * @param workingDirectory the client's directory; null (an older client) counts as the config directory
   */
  static ImportBase of(Path configDirectory, String declaredBasePath, Path declaredIn, String runtimeBasePath,
      Path workingDirectory) {
    Path cwd = workingDirectory == null ? configDirectory : workingDirectory;
    if (runtimeBasePath != null && !runtimeBasePath.isBlank()) {
      String value = runtimeBasePath.strip();
      Path path = pathOf(value, "--base-path / " + RUNTIME_VARIABLE + " " + value);
      return new ImportBase(cwd.resolve(path).normalize(), "--base-path / " + RUNTIME_VARIABLE + " " + value,
          !path.isAbsolute());
    }
    if (declaredBasePath == null || declaredBasePath.isBlank()) {
      return new ImportBase(configDirectory, null, false);
    }
    String value = declaredBasePath.strip();
    String reason = "base_path " + value + " in " + declaredIn;
    Path path = pathOf(value, reason);
    if (path.isAbsolute()) {
      return new ImportBase(path.normalize(), reason, false);
    }
    if (isDotRelative(value)) {
      Path resolved = configDirectory.resolve(path).normalize();
      return new ImportBase(resolved, resolved.equals(configDirectory.normalize()) ? null : reason, false);
    }
    return new ImportBase(cwd.resolve(path).normalize(), reason, true);
  }

  private static boolean isDotRelative(String value) {
    return value.equals(".") || value.equals("..") || value.startsWith("./") || value.startsWith("../");
  }

  private static Path pathOf(String value, String source) {
    try {
      return Path.of(value);
    } catch (java.nio.file.InvalidPathException e) {
      throw new ConfigException(source + " is not a valid path (" + e.getReason() + "): fix it or leave it out");
    }
  }
}
