package dev.atmosd.it;

import static dev.atmosd.it.AtmosSandbox.DEV_ADMIN;
import static dev.atmosd.it.AtmosSandbox.DEV_READONLY;
import static dev.atmosd.it.AtmosSandbox.PROD_ACCOUNT;
import static dev.atmosd.it.AtmosSandbox.PROD_ADMIN;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The packaged CLI against a real daemon, taking the Go atmos's flags (cmd/auth/*.go, cited per test) while the
 * spellings atmosd had before keep working.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AtmosFlagsTest {

  AtmosSandbox sandbox;

  @BeforeAll
  void signIn() {
    sandbox = AtmosSandbox.create();
    sandbox.runOk("auth", "login");
  }

  @AfterAll
  void close() {
    sandbox.close();
  }

  /**
   * cmd/auth/auth.go: {@code -i/--identity} is a persistent flag of {@code auth}, so {@code atmos auth -i X whoami}
   * works; the subcommand's own {@code -i} (atmosd's old spelling) still works and wins.
   */
  @Test
  void identityOnTheAuthCommandItself() {
    JsonNode who = sandbox.ok(sandbox.run("auth", "-i", PROD_ADMIN, "whoami", "--format", "json")).json();
    assertThat(who.path("identity").asText()).isEqualTo(PROD_ADMIN);
    assertThat(who.path("account").asText()).isEqualTo(PROD_ACCOUNT);
    JsonNode own = sandbox.ok(sandbox.run("auth", "--identity=" + PROD_ADMIN, "whoami", "-i", DEV_READONLY,
        "--format", "json")).json();
    assertThat(own.path("identity").asText()).as("the subcommand's own -i wins").isEqualTo(DEV_READONLY);
    JsonNode byDefault = sandbox.ok(sandbox.run("auth", "whoami", "--format", "json")).json();
    assertThat(byDefault.path("identity").asText()).isEqualTo(DEV_ADMIN);
    CliResult process = sandbox.ok(sandbox.run("auth", "-i", PROD_ADMIN, "credential-process"));
    assertThat(process.json().path("Version").asInt()).isEqualTo(1);
    assertThat(sandbox.ok(sandbox.run("auth", "-i", PROD_ADMIN, "env")).stdout())
        .contains("AWS_CONTAINER_CREDENTIALS_FULL_URI");
  }
}
