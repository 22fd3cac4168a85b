package dev.atmosd.daemon.config;

import dev.atmosd.daemon.files.DaemonPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads an atmos.yaml's {@code auth} section as atmos does: each provider's provisioned-identities file first, then
 * the file's {@code import:} list, then the file itself, deep-merged in that order.
 */
public final class ConfigLoader {
  private final DaemonPaths paths;
  private final Map<String, String> daemonEnv;

  /** Hears of every config read afresh (a first load or an edit; not the re-used ones). */
  public interface LoadListener {
    void loaded(AtmosConfig config);
  }

  private final List<LoadListener> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();

  public ConfigLoader(DaemonPaths paths, Map<String, String> daemonEnv) {
    this.paths = paths;
    this.daemonEnv = Map.copyOf(daemonEnv);
  }

  /** Daemon-side work steered by config (discovery's interval, filters) follows an edit through this. */
  public void addListener(LoadListener listener) {
    listeners.add(listener);
  }

  /**
   * @param configFile the atmos.yaml the client found
   * @param clientEnv the client's forwarded environment (endpoint overrides)
   * @throws ConfigException with a one-line message naming the file and field
   */
  public AtmosConfig load(Path configFile, Map<String, String> clientEnv) {
    return load(configFile, clientEnv, Map.of());
  }

  /**
   * @param functionEnv the client's whole environment, seen by the YAML functions ({@code !env}, {@code !exec}) over
   *     the daemon's own and the forwarded variables
   */
  public AtmosConfig load(Path configFile, Map<String, String> clientEnv, Map<String, String> functionEnv) {
    if (configFile == null || configFile.toString().isBlank()) {
      throw new ConfigException("no atmos.yaml given: pass --config, set ATMOS_CLI_CONFIG_PATH, or run from the"
          + " directory that holds atmos.yaml");
    }
    Path source = configFile.toAbsolutePath().normalize();
    Map<String, String> env = clientEnv == null ? Map.of() : Map.copyOf(clientEnv);
    Loaded last;
    synchronized (loaded) {
      last = loaded.get(source);
    }
    // The hot path: one stat per file the last config was made of, no reading or parsing.
    if (last != null && last.stillValidFor(env)) {
      return last.config();
    }

    List<String> warnings = new ArrayList<>();
    Map<String, String> seenByFunctions = new java.util.HashMap<>(YamlFunctions.environment(daemonEnv, env));
    if (functionEnv != null) {
      seenByFunctions.putAll(functionEnv);
    }
    YamlFunctions functions = new YamlFunctions(seenByFunctions);
    Map<String, Object> main = functions.evaluate(YamlDocumentReader.read(source));
    List<ImportedFiles.Document> imports = ImportedFiles.of(source, main, warnings, functions::evaluate);
    List<String> providerNames = providerNames(source, main, imports);
    List<FileState> files = new ArrayList<>();
    files.add(FileState.of(source));
    imports.forEach(imported -> files.add(FileState.of(imported.file())));
    providerNames.forEach(provider -> files.add(FileState.of(paths.provisionedIdentitiesFile(provider))));

    AtmosConfig config = merge(source, main, imports, providerNames, env, warnings);
    listeners.forEach(listener -> listener.loaded(config));
    // A config made with YAML functions depends on more than its files (variables, commands, a random value):
    // atmos evaluates them on every load, and so does atmosd.
    if (functions.evaluated() == 0 && files.stream().allMatch(FileState::settled)) {
      synchronized (loaded) {
        loaded.put(source, new Loaded(env, List.copyOf(files), config));
      }
    }
    return config;
  }

  /**
   * The last config loaded from each file, with the state of every file it was made of and the client's
   * environment: each request loads its client's config, and building a thousand provisioned identities every time
   * dominated the warm path. Bounded, since clients choose the paths.
   */
  private final Map<Path, Loaded> loaded = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Path, Loaded> eldest) {
      return size() > 32;
    }
  };

  /**
   * A config and what it was made of. Unchanged files mean an unchanged import list and provider set too, since
   * both come from those files, so re-checking these files is enough.
   */
  private record Loaded(Map<String, String> env, List<FileState> files, AtmosConfig config) {
    boolean stillValidFor(Map<String, String> clientEnv) {
      return env.equals(clientEnv) && files.stream().allMatch(FileState::unchanged);
    }
  }

  /** A file a config was made of, as it was when the config was made. */
  private record FileState(Path path, FileStamp stamp) {
    static FileState of(Path path) {
      return new FileState(path, FileStamp.of(path));
    }

    boolean unchanged() {
      return stamp.equals(FileStamp.of(path));
    }

    boolean settled() {
      return stamp.settled();
    }
  }

  private AtmosConfig merge(Path source, Map<String, Object> main, List<ImportedFiles.Document> imports,
      List<String> providerNames, Map<String, String> clientEnv, List<String> warnings) {
    Map<String, Object> merged = new LinkedHashMap<>();
    Map<String, Path> origins = new HashMap<>();
    Set<String> provisionedNames = new HashSet<>();
    List<Path> importedFiles = new ArrayList<>();

    for (String provider : providerNames) {
      ProvisionedIdentitiesFile.read(paths.provisionedIdentitiesFile(provider), provider, warnings).ifPresent(file -> {
        DeepMerge.into(merged, file.content());
        noteOrigins(file.content(), file.path(), origins);
        file.identityNames().forEach(name -> provisionedNames.add(name.toLowerCase(Locale.ROOT)));
        importedFiles.add(file.path());
      });
    }
    for (ImportedFiles.Document imported : imports) {
      DeepMerge.into(merged, imported.content());
      noteOrigins(imported.content(), imported.file(), origins);
      importedFiles.add(imported.file());
    }
    DeepMerge.into(merged, main);
    noteOrigins(main, source, origins);

    Map<String, Object> auth = AuthSectionParser.mapping(merged, "auth", source, "auth");
    AuthSectionParser parser = new AuthSectionParser(source, origins, provisionedNames, clientEnv, daemonEnv);
    parser.checkLogs(auth);
    Map<String, ProviderConfig> providers = parser.providers(auth);
    Map<String, IdentityConfig> identities = parser.identities(auth, providers, warnings);
    ReferenceCheck.check(providers, identities, origins, source, warnings);
    return new AtmosConfig(source, Collections.unmodifiableMap(providers), Collections.unmodifiableMap(identities),
        List.copyOf(importedFiles), List.copyOf(warnings));
  }

  /** Whether {@code configFile} exists, so callers that may do without a config (status) can skip it. */
  public static boolean exists(Path configFile) {
    return configFile != null && !configFile.toString().isBlank() && Files.exists(configFile);
  }

  /**
   * Providers named in the file or its imports, first spelling kept. (atmos looks only at the main file; a provider
   * declared in an imported file deserves its provisioned identities too.)
   */
  private static List<String> providerNames(Path source, Map<String, Object> main, List<ImportedFiles.Document> imports) {
    Map<String, String> byLowerName = new LinkedHashMap<>();
    List<ImportedFiles.Document> documents = new ArrayList<>();
    documents.add(new ImportedFiles.Document(source, main));
    documents.addAll(imports);
    for (ImportedFiles.Document document : documents) {
      Map<String, Object> auth = AuthSectionParser.mapping(document.content(), "auth", document.file(), "auth");
      Map<String, Object> providers = auth == null ? null
          : AuthSectionParser.mapping(auth, "providers", document.file(), "auth.providers");
      if (providers != null) {
        providers.keySet().forEach(name -> byLowerName.putIfAbsent(name.toLowerCase(Locale.ROOT), name));
      }
    }
    return List.copyOf(byLowerName.values());
  }

  private static void noteOrigins(Map<String, Object> document, Path file, Map<String, Path> origins) {
    Map<String, Object> auth = AuthSectionParser.mapping(document, "auth", file, "auth");
    if (auth == null) {
      return;
    }
    for (String section : List.of("providers", "identities")) {
      Map<String, Object> entries = AuthSectionParser.mapping(auth, section, file, "auth." + section);
      if (entries != null) {
        entries.keySet().forEach(name -> origins.put(AuthSectionParser.originKey(section, name), file));
      }
    }
  }
}
