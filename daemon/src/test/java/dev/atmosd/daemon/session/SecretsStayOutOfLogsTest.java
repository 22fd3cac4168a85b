package dev.atmosd.daemon.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.atmosd.daemon.config.ProviderConfig;
import dev.atmosd.emulator.SsoEmulator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** Tokens and secrets never reach a log line, an exception message, a snapshot or a toString. */
class SecretsStayOutOfLogsTest {
  @TempDir Path dir;

  @Test
  void noTokenOrSecretIsEverWrittenAnywhereButTheCacheFile() throws Exception {
    Logger logger = (Logger) LoggerFactory.getLogger("dev.atmosd.daemon.session");
    Level level = logger.getLevel();
    logger.setLevel(Level.DEBUG);
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    logger.addAppender(appender);
    List<String> shown = new ArrayList<>();
    List<String> secrets = new ArrayList<>();
    SsoEmulator emulator = SsoEmulator.builder().autoApprove(true).accessTokenLifetime(Duration.ofSeconds(3)).build();
    emulator.start();
    try (EngineFixture fixture = new EngineFixture(emulator, dir)) {
      SessionRegistry registry = fixture.registry();
      ProviderConfig provider = fixture.provider("company-sso");
      AccessToken token = registry.accessToken(provider, SignInObserver.NOBODY).get(30, TimeUnit.SECONDS);
      collect(fixture, secrets);
      shown.add(token.toString());
      // a timer renewal, a refused refresh and a failed sign-in
      await().atMost(Duration.ofSeconds(30)).until(() -> registry.snapshot().get(0).refreshCount() >= 1);
      collect(fixture, secrets);
      emulator.revokeRefreshTokens();
      emulator.faults().failNext("StartDeviceAuthorization", 500, "InternalServerException", 1);
      registry.invalidate(registry.currentToken(provider.sessionKey()).orElseThrow());
      CompletableFuture<AccessToken> failing = registry.accessToken(provider, new RecordingSignInObserver(true));
      try {
        failing.get(30, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        shown.add(String.valueOf(e.getCause().getMessage()));
      }
      registry.snapshot().forEach(s -> shown.add(s.toString()));
      shown.add(registry.logout(provider).toString());
    } finally {
      logger.detachAppender(appender);
      logger.setLevel(level);
    }
    appender.list.forEach(event -> {
      shown.add(event.getFormattedMessage());
      if (event.getThrowableProxy() != null) {
        shown.add(event.getThrowableProxy().getMessage());
      }
    });
    assertThat(secrets).hasSizeGreaterThanOrEqualTo(6);
    assertThat(shown).isNotEmpty();
    for (String line : shown) {
      for (String secret : secrets) {
        assertThat(line).doesNotContain(secret);
      }
    }
  }

  private static void collect(EngineFixture fixture, List<String> secrets) throws Exception {
    JsonNode file = new ObjectMapper().readTree(fixture.sessionFile().toFile());
    for (String field : new String[] {"accessToken", "refreshToken", "clientSecret"}) {
      secrets.add(file.get(field).asText());
    }
  }
}
