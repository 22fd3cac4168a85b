package dev.atmosd.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.atmosd.v1.RoleCredentials;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/**
 * The credential_process document, exactly as botocore and the AWS SDKs read it: compact, these five keys in this
 * order, {@code Expiration} ISO-8601 UTC with {@code Z} and no fraction.
 */
public final class CredentialProcessJson {
  private CredentialProcessJson() {}

  public static String render(RoleCredentials credentials) {
    StringWriter out = new StringWriter(1024);
    try (JsonGenerator json = new JsonFactory().createGenerator(out)) {
      json.writeStartObject();
      json.writeNumberField("Version", 1);
      json.writeStringField("AccessKeyId", credentials.getAccessKeyId());
      json.writeStringField("SecretAccessKey", credentials.getSecretAccessKey());
      json.writeStringField("SessionToken", credentials.getSessionToken());
      json.writeStringField("Expiration", Timestamps.iso(credentials.getExpiration()));
      json.writeEndObject();
    } catch (IOException impossible) {
      throw new UncheckedIOException(impossible);
    }
    return out.toString();
  }
}
