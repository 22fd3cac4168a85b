package dev.atmosd.daemon.endpoint;

import dev.atmosd.daemon.config.ConfigRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Map;

/**
 * The right to fetch one identity's credentials from the container endpoint. It keeps what the client's config is
 * made of (its atmos.yaml files, profiles, directory) and the client's environment so every fetch re-resolves the
 * identity as the client would, picking up edits to atmos.yaml.
 * The token itself is not kept, only its SHA-256: a grant read back from disk, or a heap dump, opens nothing.
 *
 * @param sessionKey the portal session the identity is signed in through (logging out of it revokes the grant), or
 *     null for an identity that needs no portal
 * @param expiresAt when the grant stops working, or null when it lives as long as {@code holder}
 * @param holder the client process the grant lives with ({@code exec}/{@code terraform}), or null
 */
public record CredentialGrant(
    String grantId,
    String identity,
    byte[] tokenSha256,
    ConfigRequest config,
    Map<String, String> clientEnv,
    String sessionKey,
    Instant expiresAt,
    GrantHolder holder) {

  /** The atmos.yaml of highest precedence, named in logs. */
  public Path configPath() {
    return config.mainFile();
  }

  /** A process the grant lives with: its pid and start time (a reused pid has another start time). */
  public record GrantHolder(long pid, Instant startedAt) {}

  static byte[] sha256(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /** Whether {@code offered} is this grant's token, in time independent of where they differ. */
  boolean acceptsToken(byte[] offeredSha256) {
    return MessageDigest.isEqual(tokenSha256, offeredSha256);
  }

  @Override
  public String toString() {
    return "CredentialGrant[grantId=" + grantId + ", identity=" + identity + ", configPath=" + configPath()
        + ", expiresAt=" + expiresAt + ", holder=" + holder + "]";
  }
}
