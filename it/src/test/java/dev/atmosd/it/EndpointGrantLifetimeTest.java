package dev.atmosd.it;

import static dev.atmosd.it.AtmosSandbox.DEV_ACCOUNT;
import static dev.atmosd.it.AtmosSandbox.DEV_ADMIN;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Container-endpoint grants live only as long as they are needed (issue 11 item 4): an exec/terraform grant dies with
 * the client process that runs the child, an `auth env` grant after its lifetime, and every grant of a portal at
 * logout — for good, a later login does not revive it. Real botocore reads the endpoint while the grant lives.
 */
class EndpointGrantLifetimeTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  AtmosSandbox sandbox;

  @BeforeEach
  void signIn() {
    sandbox = AtmosSandbox.create();
    sandbox.runOk("auth", "login");
  }

  @AfterEach
  void close() {
    sandbox.close();
  }

  @Test
  void anExecGrantDiesWithTheClientThatRunsTheChildEvenWhenTheClientCannotRevokeIt() throws Exception {
    Path envFile = sandbox.workDir().resolve("child.env");
    Path script = AtmosSandbox.writeScript(sandbox.workDir().resolve("child.sh"),
        "#!/bin/sh\nenv > " + envFile + ".tmp && mv " + envFile + ".tmp " + envFile + "\nexec sleep 300\n");
    AtmosSandbox.Running exec = sandbox.start(Map.of(), "auth", "exec", "--identity", DEV_ADMIN, "--", script.toString());
    Await.until(Duration.ofSeconds(60), "the child wrote its environment", () -> Files.exists(envFile));
    Map<String, String> vars = endpointVars(envFile);
    JsonNode who = Botocore.whoami(sandbox, vars);
    assertThat(who.path("Method").asText()).isEqualTo("container-role");
    assertThat(who.path("Account").asText()).isEqualTo(DEV_ACCOUNT);

    // kill -9: the client gets no chance to revoke; the child (sleep) goes on running with the token.
    ProcessHandle child = exec.process().descendants().findFirst().orElseThrow();
    exec.process().destroyForcibly();
    exec.process().waitFor();
    try {
      assertThat(child.isAlive()).isTrue();
      Await.until(Duration.ofSeconds(30), "the daemon dropped the grant of the dead client",
          () -> status(vars) == 403);
    } finally {
      child.destroyForcibly();
    }
  }

  @Test
  void anAuthEnvGrantStopsWorkingAfterItsLifetime() throws Exception {
    Map<String, String> vars = envJson("--grant-lifetime", "3s");
    assertThat(status(vars)).as("while the grant lives").isEqualTo(200);
    assertThat(Botocore.whoami(sandbox, vars).path("Method").asText()).isEqualTo("container-role");

    Await.until(Duration.ofSeconds(30), "the grant expired", () -> status(vars) == 403);
  }

  @Test
  void aBadGrantLifetimeIsAUsageError() {
    CliResult result = sandbox.run("auth", "env", "--identity", DEV_ADMIN, "--grant-lifetime", "soon");
    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.stderr()).contains("--grant-lifetime").contains("soon");
  }

  @Test
  void logoutRevokesGrantsForGoodALaterLoginDoesNotReviveThem() throws Exception {
    Map<String, String> vars = envJson();
    assertThat(status(vars)).isEqualTo(200);

    sandbox.runOk("auth", "logout");
    assertThat(status(vars)).as("after logout").isEqualTo(403);
    sandbox.runOk("auth", "login");
    assertThat(status(vars)).as("after a new login").isEqualTo(403);
    assertThat(status(envJson())).as("a new grant works").isEqualTo(200);
  }

  private Map<String, String> envJson(String... extra) {
    String[] args = new String[5 + extra.length];
    System.arraycopy(new String[] {"auth", "env", "--identity", DEV_ADMIN, "--format=json"}, 0, args, 0, 5);
    System.arraycopy(extra, 0, args, 5, extra.length);
    JsonNode json = sandbox.ok(sandbox.run(args)).json();
    Map<String, String> vars = new HashMap<>();
    json.properties().forEach(e -> vars.put(e.getKey(), e.getValue().asText()));
    return vars;
  }

  /** The AWS_CONTAINER_* variables of an `env` listing a child wrote. */
  static Map<String, String> endpointVars(Path envFile) throws Exception {
    Map<String, String> vars = new HashMap<>();
    for (String line : Files.readAllLines(envFile)) {
      int eq = line.indexOf('=');
      if (eq > 0 && line.startsWith("AWS_CONTAINER_")) {
        vars.put(line.substring(0, eq), line.substring(eq + 1));
      }
    }
    assertThat(vars).containsKeys("AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_CONTAINER_AUTHORIZATION_TOKEN");
    return vars;
  }

  /** The endpoint's HTTP status for the grant, as a container-credentials client asks. */
  static int status(Map<String, String> vars) {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create(vars.get("AWS_CONTAINER_CREDENTIALS_FULL_URI")))
              .header("Authorization", vars.get("AWS_CONTAINER_AUTHORIZATION_TOKEN")).GET().build(),
          HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (java.io.IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }
}
