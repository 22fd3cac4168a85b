package dev.atmosd.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Timestamp;
import dev.atmosd.v1.EndpointGrant;
import dev.atmosd.v1.RoleCredentials;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class EnvFormatterTest {
  private final EnvFormatter formatter = new EnvFormatter(() -> "EOF_1");

  private static final Map<String, String> AWKWARD = new TreeMap<>(Map.of(
      "B_QUOTE", "it's \"fine\"",
      "A_PLAIN", "us-east-1",
      "C_DOLLAR", "$HOME `id` \\n",
      "D_EMPTY", "",
      "E_SPACE", "two words"));

  @Test
  void bashExportsSortedAndQuotedOnlyWhenNeededAndUnsetsShadowingVariables() {
    assertThat(formatter.render(EnvFormatter.Format.BASH, AWKWARD, List.of("AWS_PROFILE", "AWS_SESSION_TOKEN")))
        .isEqualTo("unset AWS_PROFILE AWS_SESSION_TOKEN\n"
            + "export A_PLAIN=us-east-1\n"
            + "export B_QUOTE='it'\"'\"'s \"fine\"'\n"
            + "export C_DOLLAR='$HOME `id` \\n'\n"
            + "export D_EMPTY=''\n"
            + "export E_SPACE='two words'\n");
  }

  @Test
  void dotenvUsesShellQuotingAndCannotUnset() {
    assertThat(formatter.render(EnvFormatter.Format.DOTENV, Map.of("K", "a'b", "URL", "http://127.0.0.1:1/c"),
        List.of("AWS_PROFILE")))
        .isEqualTo("K='a'\"'\"'b'\nURL=http://127.0.0.1:1/c\n");
  }

  @Test
  void fishEscapesBackslashAndQuoteInsideSingleQuotes() {
    assertThat(formatter.render(EnvFormatter.Format.FISH, Map.of("K", "a'b\\c $x"), List.of("AWS_PROFILE")))
        .isEqualTo("set -e AWS_PROFILE;\nset -gx K 'a\\'b\\\\c $x';\n");
  }

  @Test
  void powershellDoublesSingleQuotes() {
    assertThat(formatter.render(EnvFormatter.Format.POWERSHELL, Map.of("K", "a'b $x"), List.of("AWS_PROFILE")))
        .isEqualTo("Remove-Item Env:AWS_PROFILE -ErrorAction SilentlyContinue\n$Env:K = 'a''b $x'\n");
  }

  @Test
  void jsonIsASortedObject() {
    assertThat(formatter.render(EnvFormatter.Format.JSON, Map.of("B", "2\"", "A", "1\n"), List.of("AWS_PROFILE")))
        .isEqualTo("{\n  \"A\" : \"1\\n\",\n  \"B\" : \"2\\\"\"\n}\n");
  }

  @Test
  void githubUsesAHeredocOnlyForMultiLineValuesWithADelimiterNotInTheValue() {
    EnvFormatter clashing = new EnvFormatter(() -> "EOF");
    assertThat(clashing.render(EnvFormatter.Format.GITHUB, Map.of("A", "one line", "B", "x\nEOF\ny"), List.of()))
        .isEqualTo("A=one line\nB<<EOF_\nx\nEOF\ny\nEOF_\n");
  }

  /** cmd/auth/env.go SupportedFormats has "env": plain KEY=value lines. */
  @Test
  void envFormatIsPlainKeyValueLines() {
    assertThat(new EnvFormatter().render(EnvFormatter.parseFormat("env"), Map.of("B", "2", "A", "x y"), List.of()))
        .isEqualTo("A=x y\nB=2\n");
  }

  @Test
  void unknownFormatIsAUsageError() {
    assertThatThrownBy(() -> EnvFormatter.parseFormat("zsh"))
        .isInstanceOf(UserError.class).hasMessageContaining("bash, dotenv, env, json, fish, powershell or github");
    assertThat(EnvFormatter.parseFormat("PowerShell")).isEqualTo(EnvFormatter.Format.POWERSHELL);
  }

  @Test
  void endpointGrantVariablesLetTheCredentialVariablesWinOverIdentityEnv() {
    EndpointGrant grant = EndpointGrant.newBuilder()
        .setIdentity("prod/Admin").setFullUri("http://127.0.0.1:4321/creds").setAuthorizationToken("tok")
        .setRegion("eu-west-1").setGrantId("g1")
        .putIdentityEnvironment("TF_VAR_x", "1")
        .putIdentityEnvironment("AWS_CONTAINER_AUTHORIZATION_TOKEN", "not-this")
        .build();
    Map<String, String> vars = CredentialEnvironment.forGrant(grant);
    assertThat(vars).containsExactly(
        Map.entry("AWS_CONFIG_FILE", "/dev/null"),
        Map.entry("AWS_CONTAINER_AUTHORIZATION_TOKEN", "tok"),
        Map.entry("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1:4321/creds"),
        Map.entry("AWS_DEFAULT_REGION", "eu-west-1"),
        Map.entry("AWS_EC2_METADATA_DISABLED", "true"),
        Map.entry("AWS_REGION", "eu-west-1"),
        Map.entry("AWS_SHARED_CREDENTIALS_FILE", "/dev/null"),
        Map.entry("TF_VAR_x", "1"));
    assertThat(CredentialEnvironment.toUnset(vars)).contains("AWS_ACCESS_KEY_ID", "AWS_PROFILE")
        .doesNotContain("AWS_CONTAINER_AUTHORIZATION_TOKEN").isSorted();
  }

  @Test
  void staticCredentialsCarryTheirExpiration() {
    Instant expiry = Instant.parse("2026-11-24T15:04:05.5Z");
    RoleCredentials credentials = RoleCredentials.newBuilder()
        .setAccessKeyId("ASIA1").setSecretAccessKey("s").setSessionToken("t").setRegion("us-east-1")
        .setExpiration(Timestamp.newBuilder().setSeconds(expiry.getEpochSecond()).setNanos(expiry.getNano()))
        .build();
    Map<String, String> vars = CredentialEnvironment.forCredentials(credentials);
    assertThat(vars).containsEntry("AWS_ACCESS_KEY_ID", "ASIA1").containsEntry("AWS_SECRET_ACCESS_KEY", "s")
        .containsEntry("AWS_SESSION_TOKEN", "t").containsEntry("AWS_CREDENTIAL_EXPIRATION", "2026-11-24T15:04:05Z")
        .containsEntry("AWS_REGION", "us-east-1");
    assertThat(CredentialEnvironment.toUnset(vars)).doesNotContain("AWS_ACCESS_KEY_ID", "AWS_CREDENTIAL_EXPIRATION");
  }
}
