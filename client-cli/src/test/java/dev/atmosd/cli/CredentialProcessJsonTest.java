package dev.atmosd.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Timestamp;
import dev.atmosd.v1.RoleCredentials;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CredentialProcessJsonTest {
  @Test
  void isExactlyTheShapeTheSdksRead() {
    Instant expiry = Instant.parse("2026-01-01T12:00:00.987654321Z");
    RoleCredentials credentials = RoleCredentials.newBuilder()
        .setIdentity("prod/Admin")
        .setAccessKeyId("ASIAEXAMPLE")
        .setSecretAccessKey("se/cr+et\"key")
        .setSessionToken("to\\ken")
        .setExpiration(Timestamp.newBuilder().setSeconds(expiry.getEpochSecond()).setNanos(expiry.getNano()))
        .setAccountId("123456789012")
        .setRegion("us-east-1")
        .putIdentityEnvironment("FOO", "bar")
        .build();

    assertThat(CredentialProcessJson.render(credentials)).isEqualTo(
        "{\"Version\":1,\"AccessKeyId\":\"ASIAEXAMPLE\",\"SecretAccessKey\":\"se/cr+et\\\"key\","
            + "\"SessionToken\":\"to\\\\ken\",\"Expiration\":\"2026-01-01T12:00:00Z\"}");
  }
}
