package dev.atmosd.daemon.session;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atmosd.daemon.files.DaemonPaths;
import dev.atmosd.daemon.files.PrivateFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The on-disk copy of a portal session, {@code <cache>/atmos/aws-sso/sessions/<sha1>.json}, in the field layout the
 * AWS SDKs use for their SSO token cache, so any AWS tool can read it. Timestamps are written as {@code ...Z} without
 * a fraction (the only form every SDK parses); old CLIs' {@code ...UTC} and fractional seconds are accepted on read.
 *
 * <p>A file that cannot be used — unparsable, truncated, missing a required field, or written for another portal —
 * is a cache miss, warned about once, and left where it is: it may belong to a tool we do not know, and a sign-in
 * replaces it anyway.
 */
final class TokenCacheFile {
  private static final Logger log = LoggerFactory.getLogger(TokenCacheFile.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final DaemonPaths paths;
  /** Files already warned about, by path, size and mtime: one warning per bad file, not one per sign-in attempt. */
  private final Set<String> warned = ConcurrentHashMap.newKeySet();

  TokenCacheFile(DaemonPaths paths) {
    this.paths = paths;
  }

  Path path(String sessionKey) {
    return paths.sessionFile(sessionKey);
  }

  /** The session stored for {@code startUrl}/{@code region}, or empty when there is none or it is unusable. */
  Optional<StoredSession> read(String startUrl, String region) {
    Path file = path(PortalKey.of(startUrl, region));
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException missing) {
      return Optional.empty();
    } catch (IOException e) {
      warnOnce(file, "cannot be read (" + e.getClass().getSimpleName() + ")");
      return Optional.empty();
    }
    JsonNode root;
    try {
      root = JSON.readTree(bytes);
    } catch (IOException e) {
      warnOnce(file, "is not valid JSON (corrupt or truncated)");
      return Optional.empty();
    }
    if (root == null || !root.isObject()) {
      warnOnce(file, "is not a JSON object");
      return Optional.empty();
    }
    String fileStartUrl = text(root, "startUrl");
    String fileRegion = text(root, "region");
    if (!startUrl.equals(fileStartUrl) || !region.equals(fileRegion)) {
      warnOnce(file, "belongs to another portal (startUrl/region differ)");
      return Optional.empty();
    }
    String accessToken = text(root, "accessToken");
    Instant expiresAt;
    Instant registrationExpiresAt;
    try {
      expiresAt = parseTime(text(root, "expiresAt"));
      registrationExpiresAt = parseTime(text(root, "registrationExpiresAt"));
    } catch (DateTimeParseException e) {
      warnOnce(file, "has an unreadable timestamp");
      return Optional.empty();
    }
    if (accessToken == null || expiresAt == null) {
      warnOnce(file, "lacks accessToken or expiresAt");
      return Optional.empty();
    }
    String clientId = text(root, "clientId");
    String clientSecret = text(root, "clientSecret");
    ClientRegistration registration = clientId != null && clientSecret != null
        ? new ClientRegistration(clientId, clientSecret, registrationExpiresAt) : null;
    return Optional.of(new StoredSession(fileStartUrl, fileRegion, accessToken, expiresAt, registration,
        text(root, "refreshToken")));
  }

  /** Replaces the file atomically (0600 in a 0700 directory, under the advisory lock). */
  void write(String sessionKey, StoredSession session) throws IOException {
    ObjectNode root = JSON.createObjectNode();
    root.put("startUrl", session.startUrl());
    root.put("region", session.region());
    root.put("accessToken", session.accessToken());
    root.put("expiresAt", formatTime(session.expiresAt()));
    ClientRegistration registration = session.registration();
    if (registration != null) {
      root.put("clientId", registration.clientId());
      root.put("clientSecret", registration.clientSecret());
      if (registration.expiresAt() != null) {
        root.put("registrationExpiresAt", formatTime(registration.expiresAt()));
      }
    }
    if (session.refreshToken() != null) {
      root.put("refreshToken", session.refreshToken());
    }
    byte[] bytes;
    try {
      bytes = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
    } catch (JsonProcessingException e) {
      throw new IOException("cannot encode the session file", e);
    }
    PrivateFiles.writeAtomically(path(sessionKey), bytes);
  }

  boolean delete(String sessionKey) throws IOException {
    return PrivateFiles.delete(path(sessionKey));
  }

  /** Whether {@link #delete} would remove a file now. */
  boolean exists(String sessionKey) {
    return Files.exists(path(sessionKey), LinkOption.NOFOLLOW_LINKS);
  }

  /** {@code 2026-01-01T08:00:00Z}: what botocore writes and every SDK parses. */
  static String formatTime(Instant instant) {
    return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
  }

  /** Accepts {@code ...Z}, fractional seconds, numeric offsets and the {@code ...UTC} form old AWS CLIs wrote. */
  static Instant parseTime(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    String value = text.strip();
    if (value.endsWith("UTC")) {
      value = value.substring(0, value.length() - 3).strip() + "Z";
    }
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException notInstant) {
      return OffsetDateTime.parse(value).toInstant();
    }
  }

  private static String text(JsonNode root, String field) {
    JsonNode node = root.get(field);
    return node != null && node.isTextual() && !node.asText().isEmpty() ? node.asText() : null;
  }

  private void warnOnce(Path file, String why) {
    String identity = file.toString();
    try {
      identity += "|" + Files.size(file) + "|" + Files.getLastModifiedTime(file).toMillis();
    } catch (IOException ignored) {
      // the path alone will do
    }
    if (warned.add(identity)) {
      log.warn("ignoring SSO session cache file {}: it {}; signing in again will replace it", file, why);
    }
  }
}
