package dev.atmosd.it.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.atmosd.it.AtmosSandbox;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.output.OutputFrame;
import org.testcontainers.containers.startupcheck.OneShotStartupCheckStrategy;
import org.testcontainers.utility.DockerImageName;

/**
 * A process in a container gets its AWS credentials from the host's atmosd: the container sees nothing but
 * {@code AWS_CONTAINER_CREDENTIALS_FULL_URI} + {@code AWS_CONTAINER_AUTHORIZATION_TOKEN} (from {@code atmos auth env}),
 * a region and the STS endpoint, and an unmodified AWS SDK for Java program in it calls STS GetCallerIdentity on the
 * emulator as the granted identity.
 *
 * <p>The image is built locally ({@code FROM scratch}: a Java runtime, its shared libraries, the SDK jars); nothing
 * is pulled. Host networking, because the endpoint listens on the host's loopback only. Without a Docker engine the
 * test is skipped. CI sets {@code TESTCONTAINERS_RYUK_DISABLED=true} and {@code TESTCONTAINERS_HOST_OVERRIDE=127.0.0.1}
 * (see .ci/run).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ContainerCredentialsEndpointContainerTest {

  AtmosSandbox sandbox;

  @TempDir
  Path context;

  @BeforeAll
  void dockerAndASignedInDaemon() {
    assumeTrue(dockerAvailable(), "no Docker engine is reachable (start one, e.g. `dockerd --iptables=false "
        + "--bridge=none`, with TESTCONTAINERS_RYUK_DISABLED=true TESTCONTAINERS_HOST_OVERRIDE=127.0.0.1): skipping "
        + "the container end-to-end test");
    sandbox = AtmosSandbox.create();
    sandbox.runOk("auth", "login");
  }

  @AfterAll
  void close() {
    if (sandbox != null) {
      sandbox.close();
    }
  }

  static boolean dockerAvailable() {
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException | LinkageError unavailable) {
      return false;
    }
  }

  @Test
  void anSdkInAContainerUsesTheHostsEndpointToCallSts() throws Exception {
    JsonNode env = sandbox.ok(sandbox.run("auth", "env", "--identity", AtmosSandbox.DEV_READONLY, "--format", "json"))
        .json();
    String uri = env.path("AWS_CONTAINER_CREDENTIALS_FULL_URI").asText();
    String token = env.path("AWS_CONTAINER_AUTHORIZATION_TOKEN").asText();
    assertThat(uri).startsWith("http://127.0.0.1:");
    assertThat(token).isNotBlank();

    String image = LocalJavaImage.ensure(context, sdkJars(), List.of(ContainerSdkWhoami.class));

    StringBuilder output = new StringBuilder();
    try (GenericContainer<?> container = new GenericContainer<>(DockerImageName.parse(image))
        .withNetworkMode("host")
        .withEnv(Map.of(
            "AWS_CONTAINER_CREDENTIALS_FULL_URI", uri,
            "AWS_CONTAINER_AUTHORIZATION_TOKEN", token,
            "AWS_REGION", AtmosSandbox.REGION,
            "AWS_ENDPOINT_URL_STS", sandbox.endpoint()))
        .withCommand("-XX:-UsePerfData", "-Xshare:auto", "-cp", "/app/classes:/app/lib/*",
            ContainerSdkWhoami.class.getName())
        .withLogConsumer((OutputFrame frame) -> output.append(frame.getUtf8String()))
        .withStartupCheckStrategy(new OneShotStartupCheckStrategy().withTimeout(Duration.ofSeconds(120)))) {
      try {
        container.start();
      } catch (RuntimeException failed) {
        throw new AssertionError("the container did not finish with exit 0; its output:\n" + output
            + "\n--- daemon log (tail) ---\n" + sandbox.daemonLogTail(40), failed);
      }
      if (output.indexOf("{") < 0) {
        output.append(container.getLogs());
      }
    }

    String line = output.toString().lines().filter(l -> l.startsWith("{")).findFirst()
        .orElseThrow(() -> new AssertionError("no JSON line from the container:\n" + output));
    JsonNode who = new ObjectMapper().readTree(line);
    assertThat(who.path("account").asText()).isEqualTo(AtmosSandbox.DEV_ACCOUNT);
    assertThat(who.path("arn").asText()).contains("ReadOnly");
    assertThat(who.path("credentials").asText()).as("temporary credentials").contains("Session");
    assertThat(who.path("expiration").asText()).isNotEmpty();
  }

  /** The AWS SDK for Java and what it needs at run time, from this test's own class path. */
  static List<Path> sdkJars() {
    List<String> wanted = List.of("/software/amazon/", "/org/apache/httpcomponents/", "/commons-logging/",
        "/commons-codec/", "/org/reactivestreams/", "/org/slf4j/slf4j-api/");
    List<Path> jars = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(entry -> entry.endsWith(".jar"))
        .filter(entry -> wanted.stream().anyMatch(entry::contains))
        .filter(entry -> !entry.contains("netty-nio-client"))
        .map(Path::of).filter(Files::isRegularFile).toList();
    assertThat(jars).as("the AWS SDK jars on the test class path")
        .anyMatch(p -> p.getFileName().toString().startsWith("sts-"));
    return jars;
  }
}
