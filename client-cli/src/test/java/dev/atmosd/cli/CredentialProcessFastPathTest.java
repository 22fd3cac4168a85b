package dev.atmosd.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CredentialProcessFastPathTest {
  static CredentialProcessFastPath.Options match(String... args) {
    return CredentialProcessFastPath.match(args);
  }

  @Test
  void takesThePlainFormsTheSdksRun() {
    assertThat(match("auth", "credential-process").identity).isNull();
    assertThat(match("auth", "credential-process", "--identity", "prod/Admin").identity).isEqualTo("prod/Admin");
    assertThat(match("auth", "credential-process", "-i", "x").identity).isEqualTo("x");
    CredentialProcessFastPath.Options options = match("auth", "credential-process", "--identity=x", "--config", "/a.yaml");
    assertThat(options.identity).isEqualTo("x");
    assertThat(options.config).isEqualTo("/a.yaml");
  }

  @Test
  void leavesEverythingElseToPicocli() {
    assertThat(match("auth", "credential-process", "--help")).isNull();
    assertThat(match("auth", "credential-process", "--identity")).isNull();
    assertThat(match("auth", "credential-process", "--identity", "--config")).isNull();
    assertThat(match("auth", "credential-process", "-i", "a", "-i", "b")).isNull();
    assertThat(match("auth", "credential-process", "extra")).isNull();
    assertThat(match("--config", "x", "auth", "credential-process")).isNull();
    assertThat(match("auth", "whoami")).isNull();
  }
}
