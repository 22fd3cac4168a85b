package dev.atmosd.daemon.session;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.atmosd.daemon.files.DaemonPaths;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import org.slf4j.LoggerFactory;

/**
 * Property-based fuzzing of the session cache-file reader: whatever is in the file (valid, truncated, wrong types,
 * random bytes, another portal's), {@code read} answers a session or a cache miss, never throws, and no warning it
 * logs carries a token or secret that was in the file.
 */
class TokenCacheFileFuzzTest {
  private static final String URL = "https://d-1234567890.awsapps.com/start";
  private static final String REGION = "us-east-1";
  private static final String ACCESS = "AT-fuzz-access-token-0123456789";
  private static final String REFRESH = "RT-fuzz-refresh-token-0123456789";
  private static final String SECRET = "CS-fuzz-client-secret-0123456789";
  static final AtomicLong TRIED = new AtomicLong();
  static final AtomicLong HITS = new AtomicLong();

  @Property(tries = 600)
  void anyFileIsASessionOrACacheMiss(@ForAll("files") byte[] content) throws Exception {
    Path dir = Files.createTempDirectory("tcf-fuzz");
    Logger logger = (Logger) LoggerFactory.getLogger(TokenCacheFile.class);
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    logger.addAppender(appender);
    try {
      TokenCacheFile cache = new TokenCacheFile(new DaemonPaths(dir.resolve("cache"), dir.resolve("state")));
      Path file = cache.path(PortalKey.of(URL, REGION));
      Files.createDirectories(file.getParent());
      Files.write(file, content);
      Optional<StoredSession> read = cache.read(URL, REGION);
      TRIED.incrementAndGet();
      if (read.isPresent()) {
        HITS.incrementAndGet();
        assertThat(read.get().accessToken()).isNotEmpty();
        assertThat(read.get().expiresAt()).isNotNull();
        assertThat(read.get().toString()).doesNotContain(ACCESS, REFRESH, SECRET);
      }
      for (ILoggingEvent event : appender.list) {
        assertThat(event.getFormattedMessage()).doesNotContain(ACCESS, REFRESH, SECRET).doesNotContain("\n");
      }
    } finally {
      logger.detachAppender(appender);
      try (var walk = Files.walk(dir)) {
        walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @AfterContainer
  static void report() {
    System.out.println("RELIABILITY fuzz TokenCacheFile.read: " + TRIED.get() + " inputs, " + HITS.get()
        + " read as sessions, the rest cache misses, 0 exceptions");
  }

  @Provide
  Arbitrary<byte[]> files() {
    return Arbitraries.oneOf(
        jsonObjects().map(s -> s.getBytes(StandardCharsets.UTF_8)),
        jsonObjects().flatMap(s -> Arbitraries.integers().between(0, Math.max(0, s.length() - 1))
            .map(cut -> s.substring(0, cut).getBytes(StandardCharsets.UTF_8))),
        Arbitraries.bytes().array(byte[].class).ofMaxSize(2048),
        Arbitraries.strings().all().ofMaxLength(512).map(s -> s.getBytes(StandardCharsets.UTF_8)),
        Arbitraries.of("", "null", "[]", "\"x\"", "42", "{}", "{\"startUrl\":{}}", "\uFEFF{}", "{\"a\":" + "[".repeat(5000))
            .map(s -> s.getBytes(StandardCharsets.UTF_8)));
  }

  /** Objects with the SDK's fields, each present or not, right or wrong type, valid or odd values. */
  private Arbitrary<String> jsonObjects() {
    Arbitrary<String> startUrl = field("startUrl", Arbitraries.of("\"" + URL + "\"", "\"https://other/start\"", "1", "null",
        "[]", "\"\""));
    Arbitrary<String> region = field("region", Arbitraries.of("\"" + REGION + "\"", "\"eu-west-1\"", "true", "{}"));
    Arbitrary<String> access = field("accessToken", Arbitraries.of("\"" + ACCESS + "\"", "\"\"", "7", "[\"" + ACCESS + "\"]"));
    Arbitrary<String> expires = field("expiresAt", Arbitraries.of("\"2099-01-01T00:00:00Z\"", "\"2020-01-01T00:00:00Z\"",
        "\"2099-01-01T00:00:00UTC\"", "\"2099-01-01T00:00:00.123456789+05:30\"", "\"yesterday\"", "\"9999999999-01-01\"",
        "1735689600", "\"\"", "\"2099-13-45T99:99:99Z\"", "\"" + ACCESS + "\""));
    Arbitrary<String> clientId = field("clientId", Arbitraries.of("\"cid\"", "5", "null"));
    Arbitrary<String> secret = field("clientSecret", Arbitraries.of("\"" + SECRET + "\"", "{}", "\"\""));
    Arbitrary<String> regExpires = field("registrationExpiresAt", Arbitraries.of("\"2099-01-01T00:00:00Z\"",
        "\"" + SECRET + "\"", "\"not a time\"", "0"));
    Arbitrary<String> refresh = field("refreshToken", Arbitraries.of("\"" + REFRESH + "\"", "false", "\"\""));
    Arbitrary<String> extra = field("extra" , Arbitraries.strings().ofMaxLength(30).map(s -> "\"" + s.replace("\\", "\\\\")
        .replace("\"", "\\\"") + "\""));
    return Combinators.combine(List.of(startUrl, region, access, expires, clientId, secret, regExpires, refresh, extra))
        .as(parts -> {
          List<String> present = new ArrayList<>();
          parts.stream().filter(p -> !p.isEmpty()).forEach(present::add);
          return "{" + String.join(",", present) + "}";
        });
  }

  private static Arbitrary<String> field(String name, Arbitrary<String> values) {
    return Arbitraries.oneOf(values.map(v -> "\"" + name + "\":" + v), values.map(v -> "\"" + name + "\":" + v),
        Arbitraries.just(""));
  }
}
