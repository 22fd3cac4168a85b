package dev.atmosd.daemon.fuzz;

import dev.atmosd.daemon.config.ProvisionedIdentitiesFile;
import static org.assertj.core.api.Assertions.assertThat;

import dev.atmosd.daemon.config.AtmosConfig;
import dev.atmosd.daemon.config.ConfigException;
import dev.atmosd.daemon.config.ConfigLoader;
import dev.atmosd.daemon.files.DaemonPaths;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Property-based fuzzing of the atmos.yaml loader ({@link ConfigLoader#load}) and of both readers of a provider's
 * provisioned-identities.yaml: random YAML structures, wrong types, deep nesting, anchor/alias bombs, huge scalars,
 * random bytes. Allowed outcomes: a config, or a {@link ConfigException} with a one-line message that carries no secret
 * (for the provisioning reader: its contents, or its documented corrupt-file IOException). Never another exception,
 * never a hang (each load runs under a generous 30 s hang detector).
 */
class ConfigLoaderFuzzTest {
  static final String SECRET = "wJalrXUtnFEMI-fuzz-secret-value-0123456789";
  static final Map<String, AtomicLong> TRIED = new LinkedHashMap<>();
  private static final ExecutorService RUNNER = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "config-fuzz");
    t.setDaemon(true);
    return t;
  });

  static synchronized void count(String target) {
    TRIED.computeIfAbsent(target, k -> new AtomicLong()).incrementAndGet();
  }

  @AfterContainer
  static void report() {
    System.out.println("RELIABILITY fuzz inputs tried: " + TRIED);
  }

  // ------------------------------------------------------------------------------------------ atmos.yaml

  @Property(tries = 500)
  void anyAtmosYamlLoadsOrFailsWithOneCleanLine(@ForAll("atmosYaml") String yaml) throws Exception {
    count("ConfigLoader.load(random YAML)");
    loadExpectingConfigOrConfigException(yaml, Map.of("AWS_SECRET_ACCESS_KEY", SECRET, "ATMOS_X", SECRET));
  }

  @Property(tries = 200)
  void randomBytesAsAtmosYaml(@ForAll("bytes") byte[] content) throws Exception {
    count("ConfigLoader.load(random bytes)");
    Path dir = Files.createTempDirectory("cfg-fuzz");
    Path file = dir.resolve("atmos.yaml");
    Files.write(file, content);
    check(dir, file, Map.of());
  }

  @Property(tries = 40)
  void deepNestingIsRefused(@ForAll @IntRange(min = 10, max = 20_000) int depth, @ForAll boolean flow) throws Exception {
    count("ConfigLoader.load(deep nesting)");
    StringBuilder yaml = new StringBuilder("auth:\n  providers:\n    p: ");
    if (flow) {
      yaml.append("[".repeat(depth)).append("x").append("]".repeat(depth));
    } else {
      yaml.append("\n");
      for (int i = 0; i < Math.min(depth, 2000); i++) {
        yaml.append("  ".repeat(i + 3)).append("k").append(i).append(":\n");
      }
      yaml.append("  ".repeat(Math.min(depth, 2000) + 3)).append("v\n");
    }
    loadExpectingConfigOrConfigException(yaml.toString(), Map.of());
  }

  @Property(tries = 30)
  void hugeScalars(@ForAll @IntRange(min = 1_000, max = 300_000) int length) throws Exception {
    count("ConfigLoader.load(huge scalars)");
    loadExpectingConfigOrConfigException(hugeScalar(length), Map.of());
  }

  /** Beyond SnakeYAML's 3 MB document limit: refused at once. */
  @Property(tries = 5)
  void scalarsOverTheDocumentLimit(@ForAll @IntRange(min = 3_200_000, max = 6_000_000) int length) throws Exception {
    count("ConfigLoader.load(huge scalars)");
    loadExpectingConfigOrConfigException(hugeScalar(length), Map.of());
  }

  @Example
  void aTwoMegabyteScalarIsRefusedOrLoadedWithinTheHangBound() throws Exception {
    count("ConfigLoader.load(huge scalars)");
    loadExpectingConfigOrConfigException(hugeScalar(2_000_000), Map.of());
  }

  static String hugeScalar(int length) {
    String big = "A".repeat(length);
    return "auth:\n  providers:\n    p:\n      kind: aws/iam-identity-center\n"
        + "      start_url: https://" + big + "\n      region: " + big.substring(0, Math.min(big.length(), 100_000))
        + "\n";
  }

  /** Aliases nest small enough to expand within the loader's bounds. */
  @Property(tries = 30)
  void smallAliasBombsAreBounded(@ForAll @IntRange(min = 1, max = 5) int levels) throws Exception {
    count("ConfigLoader.load(alias bombs, <= 9^6 nodes)");
    loadExpectingConfigOrConfigException(billionLaughs(levels), Map.of());
  }

  /** The classic billion laughs: 9 levels of 9 aliases each (81 aliases, under the loader's 200-alias limit). */
  @Example
  void billionLaughsIsAConfigException() throws Exception {
    count("ConfigLoader.load(billion laughs)");
    loadExpectingConfigOrConfigException(billionLaughs(9), Map.of());
  }

  static String billionLaughs(int levels) {
    StringBuilder y = new StringBuilder("a0: &a0 [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    for (int i = 1; i <= levels; i++) {
      y.append("a").append(i).append(": &a").append(i).append(" [");
      for (int j = 0; j < 9; j++) {
        y.append(j == 0 ? "" : ",").append("*a").append(i - 1);
      }
      y.append("]\n");
    }
    y.append("auth:\n  providers:\n    p:\n      kind: aws/iam-identity-center\n      start_url: https://x.awsapps.com/start\n"
        + "      region: us-east-1\n      spec: *a").append(levels).append("\n");
    return y.toString();
  }

  @Example
  void recursiveAliasesAreRefused() throws Exception {
    count("ConfigLoader.load(recursive alias)");
    loadExpectingConfigOrConfigException("base: &b\n  self: *b\nauth:\n  providers:\n    p:\n      <<: *b\n", Map.of());
  }

  private static void loadExpectingConfigOrConfigException(String yaml, Map<String, String> clientEnv) throws Exception {
    Path dir = Files.createTempDirectory("cfg-fuzz");
    Path file = dir.resolve("atmos.yaml");
    Files.writeString(file, yaml, StandardCharsets.UTF_8);
    check(dir, file, clientEnv);
  }

  /** Loads under a 30 s hang detector: a config or a clean ConfigException, nothing else. */
  private static Optional<AtmosConfig> check(Path dir, Path file, Map<String, String> clientEnv) throws Exception {
    ConfigLoader loader = new ConfigLoader(new DaemonPaths(dir.resolve("cache"), dir.resolve("state")),
        Map.of("AWS_SECRET_ACCESS_KEY", SECRET));
    Future<AtmosConfig> load = RUNNER.submit(() -> loader.load(file, clientEnv));
    try {
      return Optional.of(load.get(30, TimeUnit.SECONDS));
    } catch (TimeoutException e) {
      load.cancel(true);
      throw new AssertionError("ConfigLoader.load hung (> 30 s) on " + file);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (!(cause instanceof ConfigException config)) {
        throw new AssertionError("ConfigLoader.load threw " + cause + " (only ConfigException is documented)", cause);
      }
      assertThat(config.getMessage()).isNotBlank().doesNotContain("\n").doesNotContain(SECRET);
      return Optional.empty();
    } finally {
      deleteTree(dir);
    }
  }

  // ------------------------------------------------------------------------------------------ provisioned identities

  /** The config side: a bad provisioned-identities file is a warning, never a broken config. */
  @Property(tries = 300)
  void aProvisionedIdentitiesFileNeverBreaksTheConfig(@ForAll("provisionedYaml") String content) throws Exception {
    count("provisioned-identities.yaml via ConfigLoader");
    Path dir = Files.createTempDirectory("prov-fuzz");
    DaemonPaths paths = new DaemonPaths(dir.resolve("cache"), dir.resolve("state"));
    Path provisioned = paths.provisionedIdentitiesFile("p");
    Files.createDirectories(provisioned.getParent());
    Files.writeString(provisioned, content, StandardCharsets.UTF_8);
    Path config = dir.resolve("atmos.yaml");
    Files.writeString(config, "auth:\n  providers:\n    p:\n      kind: aws/iam-identity-center\n"
        + "      start_url: https://x.awsapps.com/start\n      region: us-east-1\n      auto_provision_identities: true\n");
    ConfigLoader loader = new ConfigLoader(paths, Map.of());
    Future<AtmosConfig> load = RUNNER.submit(() -> loader.load(config, Map.of()));
    try {
      AtmosConfig loaded = load.get(30, TimeUnit.SECONDS);
      assertThat(loaded.providers()).containsKey("p");
      loaded.warnings().forEach(w -> assertThat(w).doesNotContain("\n").doesNotContain(SECRET));
    } catch (TimeoutException e) {
      load.cancel(true);
      throw new AssertionError("hang on a provisioned-identities file");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (!(cause instanceof ConfigException refused)) {
        throw new AssertionError("ConfigLoader.load threw " + cause, cause);
      }
      assertThat(refused.getMessage()).doesNotContain("\n").doesNotContain(SECRET);
    } finally {
      deleteTree(dir);
    }
  }

  /** The discovery side (the strict reader): contents, or the documented corrupt-file IOException. */
  @Property(tries = 300)
  void theDiscoveryReaderAnswersContentsOrCorrupt(@ForAll("provisionedYaml") String content) throws Exception {
    count("ProvisionedIdentitiesFile.readBack");
    Path dir = Files.createTempDirectory("prov-fuzz");
    Path file = dir.resolve("provisioned-identities.yaml");
    Files.writeString(file, content, StandardCharsets.UTF_8);
    Future<Object> call = RUNNER.submit(() -> ProvisionedIdentitiesFile.readBack(file));
    try {
      assertThat(call.get(30, TimeUnit.SECONDS)).isInstanceOf(Optional.class);
    } catch (TimeoutException e) {
      call.cancel(true);
      throw new AssertionError("hang reading a provisioned-identities file");
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof ProvisionedIdentitiesFile.CorruptFileException corrupt)) {
        throw new AssertionError("ProvisionedIdentitiesFile.readBack threw " + e.getCause(), e.getCause());
      }
      assertThat(String.valueOf(corrupt.getMessage())).doesNotContain("\n").doesNotContain(SECRET);
    } finally {
      deleteTree(dir);
    }
  }

  // ------------------------------------------------------------------------------------------ generators

  @Provide
  Arbitrary<byte[]> bytes() {
    return Arbitraries.bytes().array(byte[].class).ofMaxSize(4096);
  }

  @Provide
  Arbitrary<String> atmosYaml() {
    return Arbitraries.oneOf(
        tree(4).map(ConfigLoaderFuzzTest::render),
        authTree().map(ConfigLoaderFuzzTest::render),
        authTree().map(ConfigLoaderFuzzTest::render).flatMap(ConfigLoaderFuzzTest::mutate),
        Arbitraries.strings().withChars("{}[]:-&*!|>'\"#%@`,? \n\tab<").ofMaxLength(300));
  }

  @Provide
  Arbitrary<String> provisionedYaml() {
    Arbitrary<Object> identity = Arbitraries.oneOf(
        Arbitraries.just(Map.of("kind", "aws/permission-set", "provider", "p", "via", Map.of("provider", "p"),
            "principal", Map.of("name", "Admin", "account", Map.of("name", "dev", "id", "111111111111")))),
        tree(3));
    Arbitrary<Map<String, Object>> identities = Arbitraries.maps(Arbitraries.strings().ofMinLength(1).ofMaxLength(20),
        identity).ofMaxSize(5).map(m -> new LinkedHashMap<>(m));
    Arbitrary<String> structured = identities.map(ids -> render(Map.of("auth", Map.of(
        "_metadata", Map.of("provider", "p", "start_url", "https://x.awsapps.com/start"), "identities", ids))));
    return Arbitraries.oneOf(structured, structured.flatMap(ConfigLoaderFuzzTest::mutate), tree(4).map(ConfigLoaderFuzzTest::render),
        Arbitraries.of("", "auth:", "auth: []", "auth: {identities: 5}", "auth: {identities: {a: *x}}",
            "---\n---\n", "\0\0", billionLaughs(3)));
  }

  /** A random document tree of maps, lists and scalars of every YAML type. */
  static Arbitrary<Object> tree(int depth) {
    Arbitrary<Object> scalar = Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(40).map(s -> (Object) s),
        Arbitraries.integers().map(i -> (Object) i),
        Arbitraries.of(true, false).map(b -> (Object) b),
        Arbitraries.just((Object) "null"),
        Arbitraries.of("aws/iam-identity-center", "aws/permission-set", "aws/assume-role", "1h", "-5m", "012345678901",
            "https://x.awsapps.com/start", "us-east-1", "~", "<<", "*x", "&x").map(s -> (Object) s));
    if (depth <= 0) {
      return scalar;
    }
    Arbitrary<Object> lazyChild = Arbitraries.lazy(() -> tree(depth - 1));
    Arbitrary<String> keys = Arbitraries.oneOf(Arbitraries.of("auth", "providers", "identities", "kind", "via", "provider",
        "identity", "principal", "name", "account", "id", "start_url", "region", "spec", "endpoint_url", "default",
        "auto_provision_identities", "assume_role", "env", "import", "session", "duration", "key", "value"),
        Arbitraries.strings().ofMinLength(1).ofMaxLength(12));
    return Arbitraries.oneOf(scalar,
        Arbitraries.maps(keys, lazyChild).ofMaxSize(5).map(m -> (Object) new LinkedHashMap<>(m)),
        lazyChild.list().ofMaxSize(4).map(l -> (Object) new ArrayList<>(l)));
  }

  /** Trees shaped like an auth section, with wrong types mixed in where values go. */
  static Arbitrary<Object> authTree() {
    Arbitrary<Object> value = tree(2);
    Arbitrary<Object> provider = Arbitraries.maps(Arbitraries.of("kind", "start_url", "region", "spec",
        "auto_provision_identities", "default", "session"), Arbitraries.oneOf(value,
        Arbitraries.of("aws/iam-identity-center", "https://x.awsapps.com/start", "us-east-1", "true").map(s -> (Object) s)))
        .ofMinSize(1).ofMaxSize(6).map(m -> (Object) new LinkedHashMap<>(m));
    Arbitrary<Object> identity = Arbitraries.maps(Arbitraries.of("kind", "via", "principal", "default", "env"),
        Arbitraries.oneOf(value, Arbitraries.just((Object) Map.of("provider", "p")),
            Arbitraries.just((Object) Map.of("name", "Admin", "account", Map.of("name", "dev")))))
        .ofMinSize(1).ofMaxSize(5).map(m -> (Object) new LinkedHashMap<>(m));
    Arbitrary<Object> providers = Arbitraries.maps(Arbitraries.of("p", "q", "P"), provider).ofMaxSize(3)
        .map(m -> (Object) new LinkedHashMap<>(m));
    Arbitrary<Object> identities = Arbitraries.maps(Arbitraries.of("a", "b", "dev/Admin"), identity).ofMaxSize(3)
        .map(m -> (Object) new LinkedHashMap<>(m));
    return net.jqwik.api.Combinators.combine(Arbitraries.oneOf(providers, value), Arbitraries.oneOf(identities, value))
        .as((p, i) -> (Object) Map.of("auth", Map.of("providers", p, "identities", i)));
  }

  /** Random edits of a valid-looking document: deleted, duplicated or swapped characters. */
  static Arbitrary<String> mutate(String text) {
    if (text.isEmpty()) {
      return Arbitraries.just(text);
    }
    return Arbitraries.integers().between(0, text.length() - 1).list().ofMinSize(1).ofMaxSize(4)
        .flatMap(positions -> Arbitraries.of(":", "-", "&x", "*x", "[", "{", "\t", "'", "\"", "\n  ", "!!binary ", "")
            .list().ofSize(positions.size()).map(edits -> {
              StringBuilder b = new StringBuilder(text);
              for (int i = 0; i < positions.size(); i++) {
                int at = Math.min(positions.get(i), b.length());
                b.insert(at, edits.get(i));
              }
              return b.toString();
            }));
  }

  /** Renders a tree as block YAML by hand (so odd keys and values reach the parser unescaped where YAML allows). */
  static String render(Object node) {
    StringBuilder b = new StringBuilder();
    render(node, 0, b);
    return b.toString();
  }

  @SuppressWarnings("unchecked")
  private static void render(Object node, int indent, StringBuilder b) {
    String pad = "  ".repeat(indent);
    if (node instanceof Map<?, ?> map) {
      if (map.isEmpty()) {
        b.append(pad).append("{}\n");
      }
      for (Map.Entry<String, Object> e : ((Map<String, Object>) map).entrySet()) {
        b.append(pad).append(quote(e.getKey())).append(":");
        if (e.getValue() instanceof Map<?, ?> || e.getValue() instanceof List<?>) {
          b.append("\n");
          render(e.getValue(), indent + 1, b);
        } else {
          b.append(" ").append(scalar(e.getValue())).append("\n");
        }
      }
    } else if (node instanceof List<?> list) {
      if (list.isEmpty()) {
        b.append(pad).append("[]\n");
      }
      for (Object item : list) {
        if (item instanceof Map<?, ?> || item instanceof List<?>) {
          b.append(pad).append("-\n");
          render(item, indent + 1, b);
        } else {
          b.append(pad).append("- ").append(scalar(item)).append("\n");
        }
      }
    } else {
      b.append(pad).append(scalar(node)).append("\n");
    }
  }

  private static String scalar(Object value) {
    if (value instanceof String s) {
      return s.equals("null") ? "null" : quote(s);
    }
    return String.valueOf(value);
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n").replace("\t", "\\t")
        .chars().mapToObj(c -> c < 0x20 || (c >= 0xD800 && c <= 0xDFFF) ? String.format("\\u%04x", c)
            : String.valueOf((char) c)).reduce("", String::concat) + "\"";
  }

  private static void deleteTree(Path dir) throws IOException {
    try (var walk = Files.walk(dir)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
