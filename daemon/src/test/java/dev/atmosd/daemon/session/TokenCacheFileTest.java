package dev.atmosd.daemon.session;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.atmosd.daemon.files.DaemonPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** Reading and writing the SDK-compatible session file, without any network. */
class TokenCacheFileTest {
  private static final String URL = "https://d-1234567890.awsapps.com/start";
  @TempDir Path dir;

  private TokenCacheFile cache() {
    return new TokenCacheFile(new DaemonPaths(dir.resolve("cache"), dir.resolve("state")));
  }

  @Test
  void writesWholeSecondsInZuluAndReadsItBack() throws Exception {
    TokenCacheFile cache = cache();
    Instant expires = Instant.parse("2026-01-01T08:00:00.789Z");
    StoredSession session = new StoredSession(URL, "us-east-1", "tok", expires,
        new ClientRegistration("id", "secret", Instant.parse("2026-04-01T00:00:00Z")), "refresh");
    cache.write(PortalKey.of(URL, "us-east-1"), session);

    String text = Files.readString(cache.path(PortalKey.of(URL, "us-east-1")));
    assertThat(text).contains("\"expiresAt\" : \"2026-01-01T08:00:00Z\"")
        .contains("\"registrationExpiresAt\" : \"2026-04-01T00:00:00Z\"");
    assertThat(cache.read(URL, "us-east-1")).hasValueSatisfying(read -> {
      assertThat(read.accessToken()).isEqualTo("tok");
      assertThat(read.expiresAt()).isEqualTo(Instant.parse("2026-01-01T08:00:00Z"));
      assertThat(read.refreshToken()).isEqualTo("refresh");
      assertThat(read.registration().clientId()).isEqualTo("id");
    });
    assertThat(session.toString()).doesNotContain("tok").doesNotContain("secret").doesNotContain("refresh\"");
  }

  @Test
  void toleratesTheOldUtcSuffixFractionsAndOffsets() {
    assertThat(TokenCacheFile.parseTime("2021-12-07T01:19:12UTC")).isEqualTo(Instant.parse("2021-12-07T01:19:12Z"));
    assertThat(TokenCacheFile.parseTime("2026-01-01T08:00:00.000Z")).isEqualTo(Instant.parse("2026-01-01T08:00:00Z"));
    assertThat(TokenCacheFile.parseTime("2026-01-01T09:00:00+01:00")).isEqualTo(Instant.parse("2026-01-01T08:00:00Z"));
    assertThat(TokenCacheFile.formatTime(Instant.parse("2026-01-01T08:00:00.5Z"))).isEqualTo("2026-01-01T08:00:00Z");
  }

  @Test
  void aBadFileIsWarnedAboutOnceAndNeverTouched() throws Exception {
    TokenCacheFile cache = cache();
    Path file = cache.path(PortalKey.of(URL, "us-east-1"));
    Files.createDirectories(file.getParent());
    Files.writeString(file, "{\"startUrl\":\"" + URL + "\",\"reg");
    Logger logger = (Logger) LoggerFactory.getLogger(TokenCacheFile.class);
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    logger.addAppender(appender);
    try {
      assertThat(cache.read(URL, "us-east-1")).isEmpty();
      assertThat(cache.read(URL, "us-east-1")).isEmpty();
    } finally {
      logger.detachAppender(appender);
    }
    assertThat(appender.list).singleElement().satisfies(event -> {
      assertThat(event.getLevel()).isEqualTo(Level.WARN);
      assertThat(event.getFormattedMessage()).contains(file.toString()).doesNotContain("\n");
    });
    assertThat(Files.readString(file)).isEqualTo("{\"startUrl\":\"" + URL + "\",\"reg");
  }
}
