package dev.atmosd.daemon.config;

import dev.atmosd.daemon.files.DaemonPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads the {@code auth} section of a client's atmos.yaml files as atmos does: per file its {@code .atmos.d} files,
 * each provider's provisioned-identities file, the file's {@code import:} list, then the file itself, deep-merged in
 * that order; the files in the order the client found them; then the profiles asked for.
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
    return load(ConfigRequest.of(configFile), clientEnv, functionEnv);
  }

  /**
   * Loads every atmos.yaml of {@code request} in order, each as atmos merges one (pkg/config/load.go mergeConfig,
   * processConfigImportsAndReapply): its {@code .atmos.d} files, its providers' provisioned identities, its
   * {@code import:} list, then the file itself; then the profiles over all of them (profiles.go loadProfiles).
   */
  public AtmosConfig load(ConfigRequest request, Map<String, String> clientEnv, Map<String, String> functionEnv) {
    if (request.sources().isEmpty()) {
      throw new ConfigException("no atmos.yaml given: pass --config, set ATMOS_CLI_CONFIG_PATH, or run from the"
          + " directory that holds atmos.yaml");
    }
    Map<String, String> env = clientEnv == null ? Map.of() : Map.copyOf(clientEnv);
    Map<String, String> seenByFunctions = new HashMap<>(YamlFunctions.environment(daemonEnv, env));
    if (functionEnv != null) {
      seenByFunctions.putAll(functionEnv);
    }
    // Only the git root of the client's directory matters, not the directory: clients in every folder of one
    // repository share a loaded config.
    Path gitRoot = request.sources().stream().anyMatch(ConfigRequest.Source::defaultImports)
        ? GitRoot.of(request.workingDirectory()) : null;
    CacheKey key = new CacheKey(request.sources(), request.profiles(), gitRoot, env, profileEnvironment(seenByFunctions));
    Loaded last;
    synchronized (loaded) {
      last = loaded.get(key);
    }
    // The hot path: one stat per file and directory the last config was made of, no reading or parsing.
    if (last != null && last.stillValid(request.workingDirectory())) {
      return last.config();
    }

    Load state = new Load(new YamlFunctions(seenByFunctions), ImportBase.Context.of(env, request.workingDirectory()));
    for (ConfigRequest.Source source : request.sources()) {
      mergeSource(source, gitRoot, state);
    }
    Path mainFile = request.mainFile();
    // With no atmos.yaml, profiles are looked for from the working directory (ConfigRequest.profileDirectory).
    state.dependsOnWorkingDirectory |= request.sources().get(request.sources().size() - 1).atmosDOnly();
    mergeProfiles(request, mainFile, seenByFunctions, state);

    AtmosConfig config = parse(mainFile, state.documents, env, state.warnings);
    listeners.forEach(listener -> listener.loaded(config));
    List<FileState> files = state.watched.stream().map(FileState::of).toList();
    // A config made with YAML functions depends on more than its files (variables, commands, a random value):
    // atmos evaluates them on every load, and so does atmosd.
    if (state.functions.evaluated() == 0 && files.stream().allMatch(FileState::settled)) {
      synchronized (loaded) {
        loaded.put(key, new Loaded(files, state.dependsOnWorkingDirectory ? request.workingDirectory() : null, config));
      }
    }
    return config;
  }

  /** What one load gathers as it goes. */
  private static final class Load {
    final List<String> warnings = new ArrayList<>();
    final MergedDocuments documents = new MergedDocuments();
    final Set<Path> watched = new LinkedHashSet<>();
    final Set<String> provisionedProviders = new HashSet<>();
    final YamlFunctions functions;
    final ImportBase.Context importContext;
    /** An import list was resolved against the client's working directory (a bare or runtime base path). */
    boolean dependsOnWorkingDirectory;

    Load(YamlFunctions functions, ImportBase.Context imports) {
      this.functions = functions;
      this.importContext = imports;
    }

    /** The documents {@code file}'s own list names, resolved against its import base. */
    List<ImportedFiles.Document> imports(Path file, Map<String, Object> content) {
      ImportBase base = importContext.forFile(file, content, List.of());
      noteBase(base, file, content);
      return ImportedFiles.of(file, content, base, warnings, functions::evaluate);
    }

    /** A list {@code content} declares, about to be resolved against {@code base}. */
    void noteBase(ImportBase base, Path file, Map<String, Object> content) {
      if (base.fromWorkingDirectory() && ImportedFiles.hasEntries(file, content)) {
        dependsOnWorkingDirectory = true;
      }
    }
  }

  private void mergeSource(ConfigRequest.Source source, Path gitRoot, Load state) {
    YamlFunctions functions = state.functions;
    MergedDocuments documents = state.documents;
    Set<Path> watched = state.watched;
    List<String> warnings = state.warnings;
    Path file = source.file();
    if (source.atmosDOnly()) {
      DefaultImports.Result only = DefaultImports.of(file, null, warnings, functions::evaluate);
      watched.addAll(only.directoriesWatched());
      only.documents().forEach(document -> {
        watched.add(document.file());
        documents.add(document.file(), document.content());
      });
      return;
    }
    DefaultImports.Result defaults = source.defaultImports()
        ? DefaultImports.of(file.getParent(), gitRoot, warnings, functions::evaluate)
        : new DefaultImports.Result(List.of(), List.of());
    Map<String, Object> main = functions.evaluate(YamlDocumentReader.read(file));
    ImportBase base = state.importContext.forFile(file, main, defaults.documents());
    List<ImportedFiles.Document> imports = importList(file, main, defaults.documents(), base, state);
    watched.add(file);
    watched.addAll(defaults.directoriesWatched());
    imports.forEach(imported -> watched.add(imported.file()));

    defaults.documents().forEach(document -> documents.add(document.file(), document.content()));
    for (String provider : providerNames(file, main, defaults.documents(), imports)) {
      // Merged once, beneath the first file naming the provider: a later file's edits of provisioned identities win.
      if (state.provisionedProviders.add(provider.toLowerCase(Locale.ROOT))) {
        Path provisioned = paths.provisionedIdentitiesFile(provider);
        watched.add(provisioned);
        ProvisionedIdentitiesFile.read(provisioned, provider, warnings).ifPresent(documents::addProvisioned);
      }
    }
    imports.forEach(imported -> documents.add(imported.file(), imported.content()));
    documents.add(file, main);
  }

  /**
   * The imports merged beneath {@code file}: its own {@code import:} list; without one (no {@code import} key at all),
   * that of the last of its {@code .atmos.d} files that has one. In atmos the {@code .atmos.d} files, then the
   * atmos.yaml, merge into one document whose {@code import} list (a list: the last one set wins, it is not
   * concatenated) is then followed (load.go processConfigImportsAndReapply, mergeImports). So such a list is relative
   * to the atmos.yaml's import base, not to the {@code .atmos.d} file, and what it names merges over every
   * {@code .atmos.d} file and beneath the atmos.yaml. An entry of it found nowhere is a warning: atmos skips it.
   */
  private static List<ImportedFiles.Document> importList(Path file, Map<String, Object> main,
      List<ImportedFiles.Document> defaults, ImportBase base, Load state) {
    ImportedFiles.Document declaring = null;
    if (!ImportedFiles.declaresImports(main)) {
      for (ImportedFiles.Document document : defaults) {
        if (ImportedFiles.declaresImports(document.content())) {
          declaring = document;
        }
      }
    }
    if (declaring == null) {
      state.noteBase(base, file, main);
      return ImportedFiles.of(file, main, base, state.warnings, state.functions::evaluate);
    }
    state.noteBase(base, declaring.file(), declaring.content());
    return ImportedFiles.adopted(file, declaring, base, state.warnings, state.functions::evaluate);
  }

  private static void mergeProfiles(ConfigRequest request, Path mainFile, Map<String, String> env, Load state) {
    MergedDocuments documents = state.documents;
    List<String> warnings = state.warnings;
    List<String> profiles = request.profiles();
    String askedBy = "--profile or ATMOS_PROFILE";
    if (profiles.isEmpty()) {
      // atmos: load.go LoadConfig, "profiles.default from the base atmos.yaml (implicit default)".
      String implicit = documents.string(mainFile, "profiles", "default");
      profiles = implicit == null || implicit.isEmpty() ? List.of() : List.of(implicit);
      askedBy = "profiles.default in " + mainFile;
    }
    if (profiles.isEmpty()) {
      return;
    }
    ConfigProfiles.Result loaded = ConfigProfiles.load(profiles, request.profileDirectory(),
        documents.string(mainFile, "profiles", "base_path"), env, documents.identityNames(mainFile), askedBy, warnings,
        state.functions::evaluate, state::imports);
    state.watched.addAll(loaded.watched());
    loaded.documents().forEach(document -> documents.add(document.file(), document.content()));
  }

  /** The variables that decide where profiles are looked for; part of the cache key. */
  private static Map<String, String> profileEnvironment(Map<String, String> env) {
    Map<String, String> picked = new HashMap<>();
    for (String name : List.of("ATMOS_XDG_CONFIG_HOME", "XDG_CONFIG_HOME", "HOME")) {
      if (env.get(name) != null) {
        picked.put(name, env.get(name));
      }
    }
    return Map.copyOf(picked);
  }

  /** What a loaded config depends on besides its files. */
  private record CacheKey(List<ConfigRequest.Source> sources, List<String> profiles, Path gitRoot,
      Map<String, String> env, Map<String, String> profileEnv) {}

  /**
   * The last config loaded for each request, with the state of every file and directory it was made of: each
   * request loads its client's config, and building a thousand provisioned identities every time dominated the warm
   * path. Bounded, since clients choose the paths.
   */
  private final Map<CacheKey, Loaded> loaded = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<CacheKey, Loaded> eldest) {
      return size() > 32;
    }
  };

  /**
   * A config and what it was made of. Unchanged files mean an unchanged import list and provider set too, since
   * both come from those files; a directory's stamp changes when a file is added to or removed from it.
   */
  private record Loaded(List<FileState> files, Path workingDirectory, AtmosConfig config) {
    /** @param workingDirectory the asking client's; matters only when an import list was resolved against it */
    boolean stillValid(Path workingDirectory) {
      return (this.workingDirectory == null || this.workingDirectory.equals(workingDirectory))
          && files.stream().allMatch(FileState::unchanged);
    }
  }

  /** A file or directory a config was made of, as it was when the config was made. */
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

  private AtmosConfig parse(Path source, MergedDocuments documents, Map<String, String> clientEnv,
      List<String> warnings) {
    Map<String, Object> merged = documents.merged();
    Map<String, Path> origins = documents.origins();
    Map<String, Object> auth = AuthSectionParser.mapping(merged, "auth", source, "auth");
    AuthSectionParser parser = new AuthSectionParser(source, origins, documents.provisionedNames(), clientEnv, daemonEnv);
    parser.checkLogs(auth);
    Map<String, ProviderConfig> providers = parser.providers(auth);
    Map<String, IdentityConfig> identities = parser.identities(auth, providers, warnings);
    ReferenceCheck.check(providers, identities, origins, source, warnings);
    List<Path> importedFiles = documents.files().stream().filter(file -> !file.equals(source)).distinct().toList();
    return new AtmosConfig(source, Collections.unmodifiableMap(providers), Collections.unmodifiableMap(identities),
        importedFiles, List.copyOf(warnings));
  }

  /** Whether {@code configFile} exists, so callers that may do without a config (status) can skip it. */
  public static boolean exists(Path configFile) {
    return configFile != null && !configFile.toString().isBlank() && Files.exists(configFile);
  }

  /**
   * Providers named in the file, its {@code .atmos.d} files or its imports, first spelling kept. (atmos looks at the
   * main file and {@code .atmos.d} only; a provider declared in an imported file deserves its provisioned identities
   * too.)
   */
  private static List<String> providerNames(Path source, Map<String, Object> main,
      List<ImportedFiles.Document> defaults, List<ImportedFiles.Document> imports) {
    Map<String, String> byLowerName = new LinkedHashMap<>();
    List<ImportedFiles.Document> documents = new ArrayList<>(defaults);
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
}
