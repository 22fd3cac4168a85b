package dev.atmosd.daemon.endpoint;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/**
 * The right to fetch one identity's credentials from the container endpoint: {@code AWS_CONTAINER_CREDENTIALS_FULL_URI}
 * plus {@code AWS_CONTAINER_AUTHORIZATION_TOKEN}. It keeps the config path and the client's environment so every
 * fetch re-resolves the identity as the client would, picking up edits to atmos.yaml.
 * {@link #toString()} never shows the token.
 */
public record CredentialGrant(
    String grantId,
    String identity,
    String fullUri,
    String authorizationToken,
    Path configPath,
    Map<String, String> clientEnv) {

  byte[] tokenBytes() {
    return authorizationToken.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "CredentialGrant[grantId=" + grantId + ", identity=" + identity + ", fullUri=" + fullUri
        + ", configPath=" + configPath + "]";
  }
}
