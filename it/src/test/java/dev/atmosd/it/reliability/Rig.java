package dev.atmosd.it.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.atmosd.daemon.Atmosd;
import dev.atmosd.emulator.SsoEmulator;
import dev.atmosd.it.ConfigYaml;
import dev.atmosd.v1.AuthEvent;
import dev.atmosd.v1.ClientContext;
import dev.atmosd.v1.DaemonGrpc;
import dev.atmosd.v1.DaemonInfo;
import dev.atmosd.v1.IdentitiesGrpc;
import dev.atmosd.v1.IdentityRequest;
import dev.atmosd.v1.PingRequest;
import dev.atmosd.v1.RoleCredentials;
import dev.atmosd.v1.EndpointGrant;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDomainSocketChannel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * One reliability scenario's world: temp cache/state dirs, a short socket path, an in-process emulator with the
 * sandbox's two accounts, an atmos.yaml, and a daemon — in this JVM ({@link #startInProcess()}) or as a child JVM
 * running the real {@code Atmosd} main ({@link #startProcess}) that a test may kill -9. Clients are real gRPC
 * channels over the socket with the generated stubs.
 */
final class Rig implements AutoCloseable {
  static final String START_URL = "https://d-1234567890.awsapps.com/start";
  static final String REGION = "us-east-1";
  static final String PROVIDER = "p";
  static final List<String> IDENTITIES = List.of("dev-admin", "dev-readonly", "prod-admin", "dev-deployer");
  static final Duration CALL = Duration.ofSeconds(90);
  static final ObjectMapper JSON = new ObjectMapper();
  static final YAMLMapper YAML = new YAMLMapper();

  final Path root;
  final Path cache;
  final Path state;
  final Path socket;
  final Path config;
  final SsoEmulator emu;
  final Map<String, String> env = new LinkedHashMap<>();
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private final List<DaemonProcess> processes = new ArrayList<>();

  private Rig(Consumer<SsoEmulator.Builder> settings) throws IOException {
    root = Files.createTempDirectory(Path.of("/tmp"), "rl");
    Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwx------"));
    cache = Files.createDirectories(root.resolve("cache"));
    state = Files.createDirectories(root.resolve("state"));
    socket = root.resolve("s").resolve("d.sock");
    config = root.resolve("atmos.yaml");
    SsoEmulator.Builder builder = SsoEmulator.builder().autoApprove(true).pollInterval(Duration.ofSeconds(1));
    settings.accept(builder);
    emu = builder.build().start();
    emu.addAccount("111111111111", "dev", "dev@example.com", "Admin", "ReadOnly");
    emu.addAccount("222222222222", "prod", "prod@example.com", "Admin");
    env.put("XDG_CACHE_HOME", cache.toString());
    env.put("XDG_STATE_HOME", state.toString());
    env.put("HOME", root.toString());
    env.put("AWS_CONFIG_FILE", root.resolve("aws-config").toString());
    env.put("AWS_SHARED_CREDENTIALS_FILE", root.resolve("aws-credentials").toString());
    env.put("AWS_EC2_METADATA_DISABLED", "true");
    writeConfig(standardConfig());
  }

  static Rig create() {
    return create(b -> {});
  }

  static Rig create(Consumer<SsoEmulator.Builder> settings) {
    try {
      return new Rig(settings);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String endpoint() {
    return String.valueOf(emu.endpoint()).replaceAll("/+$", "");
  }

  ConfigYaml standardConfig() {
    return ConfigYaml.create()
        .ssoProvider(PROVIDER, START_URL, REGION, endpoint())
        .permissionSet("dev-admin", PROVIDER, "Admin", "dev")
        .defaultIdentity("dev-admin")
        .permissionSet("dev-readonly", PROVIDER, "ReadOnly", "dev")
        .permissionSet("prod-admin", PROVIDER, "Admin", "prod")
        .assumeRole("dev-deployer", "dev-admin", "arn:aws:iam::111111111111:role/deployer");
  }

  void writeConfig(ConfigYaml yaml) {
    try {
      Files.writeString(config, yaml.render());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  ClientContext context() {
    return ClientContext.newBuilder().setConfigPath(config.toString()).setWorkingDirectory(root.toString())
        .setCommand("reliability").build();
  }

  Path sessionsDir() {
    return cache.resolve("atmos/aws-sso/sessions");
  }

  Path provisionedFile() {
    return cache.resolve("atmos/auth").resolve(PROVIDER).resolve("provisioned-identities.yaml");
  }

  Path logFile() {
    return state.resolve("atmosd.log");
  }

  // ------------------------------------------------------------------------------------------ daemons

  Atmosd startInProcess() {
    Atmosd daemon = Atmosd.start(new Atmosd.Options(socket, "-", null), env, Clock.systemUTC(), Optional.empty());
    closeables.add(daemon);
    return daemon;
  }

  /** The real {@code Atmosd} main in a child JVM (this module's test class path), logging to {@link #logFile()}. */
  DaemonProcess startProcess(Map<String, String> extraEnv) {
    String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", classPath, "dev.atmosd.daemon.Atmosd",
        "--socket", socket.toString(), "--log-file", logFile().toString());
    ProcessBuilder pb = new ProcessBuilder(command)
        .redirectOutput(root.resolve("daemon.out").toFile())
        .redirectErrorStream(true);
    pb.environment().putAll(env);
    pb.environment().putAll(extraEnv);
    try {
      DaemonProcess process = new DaemonProcess(pb.start());
      processes.add(process);
      return process;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits until a daemon answers Ping on the socket; returns its answer. */
  DaemonInfo awaitPing(Duration timeout, Process process) {
    long deadline = System.nanoTime() + timeout.toNanos();
    RuntimeException last = null;
    while (System.nanoTime() < deadline) {
      if (process != null && !process.isAlive()) {
        throw new AssertionError("the daemon exited " + process.exitValue() + ": " + daemonOutput());
      }
      if (Files.exists(socket)) {
        try (Client client = client()) {
          return client.daemon().withDeadlineAfter(10, TimeUnit.SECONDS).ping(PingRequest.getDefaultInstance());
        } catch (RuntimeException e) {
          last = e;
        }
      }
      pause(50);
    }
    AssertionError error = new AssertionError("no daemon answered on " + socket + " within " + timeout + ": "
        + daemonOutput());
    if (last != null) {
      error.addSuppressed(last);
    }
    throw error;
  }

  String daemonOutput() {
    return read(root.resolve("daemon.out")) + "\n--- log tail ---\n" + tail(read(logFile()), 30);
  }

  static String tail(String text, int lines) {
    String[] all = text.split("\\R");
    return String.join("\n", java.util.Arrays.asList(all).subList(Math.max(0, all.length - lines), all.length));
  }

  static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  static void pause(long millis) {
    try {
      Thread.sleep(millis); // poll interval
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** A daemon child process. */
  static final class DaemonProcess {
    final Process process;

    DaemonProcess(Process process) {
      this.process = process;
    }

    long pid() {
      return process.pid();
    }

    /** SIGKILL, and wait until it is gone. */
    void kill9() {
      process.destroyForcibly();
      try {
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
          throw new AssertionError("pid " + process.pid() + " survived SIGKILL for 30 s");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  // ------------------------------------------------------------------------------------------ clients

  Client client() {
    return Client.connect(socket, null);
  }

  /** A gRPC client connection over the daemon's socket; {@code group} may be shared by many connections. */
  static final class Client implements AutoCloseable {
    final ManagedChannel channel;
    private final EventLoopGroup ownGroup;

    private Client(ManagedChannel channel, EventLoopGroup ownGroup) {
      this.channel = channel;
      this.ownGroup = ownGroup;
    }

    static Client connect(Path socket, EventLoopGroup shared) {
      EventLoopGroup group = shared != null ? shared : new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
      ManagedChannel channel = NettyChannelBuilder.forAddress(UnixDomainSocketAddress.of(socket))
          .channelType(NioDomainSocketChannel.class, UnixDomainSocketAddress.class)
          .eventLoopGroup(group)
          .usePlaintext()
          .overrideAuthority("localhost")
          .maxInboundMessageSize(64 * 1024 * 1024)
          .build();
      return new Client(channel, shared == null ? group : null);
    }

    DaemonGrpc.DaemonBlockingStub daemon() {
      return DaemonGrpc.newBlockingStub(channel);
    }

    IdentitiesGrpc.IdentitiesBlockingStub identities() {
      return IdentitiesGrpc.newBlockingStub(channel).withDeadlineAfter(CALL.toMillis(), TimeUnit.MILLISECONDS);
    }

    dev.atmosd.v1.SessionsGrpc.SessionsBlockingStub sessions() {
      return dev.atmosd.v1.SessionsGrpc.newBlockingStub(channel)
          .withDeadlineAfter(CALL.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** GetCredentials to the end of its stream; the credentials event (events seen go to {@code seen}). */
    RoleCredentials credentials(ClientContext context, String identity, List<AuthEvent> seen) {
      Iterator<AuthEvent> events = identities().getCredentials(
          IdentityRequest.newBuilder().setContext(context).setIdentity(identity).build());
      RoleCredentials credentials = null;
      while (events.hasNext()) {
        AuthEvent event = events.next();
        if (seen != null) {
          seen.add(event);
        }
        if (event.hasCredentials()) {
          credentials = event.getCredentials();
        }
      }
      if (credentials == null) {
        throw new AssertionError("GetCredentials(" + identity + ") ended without credentials: " + seen);
      }
      return credentials;
    }

    RoleCredentials credentials(ClientContext context, String identity) {
      return credentials(context, identity, new ArrayList<>());
    }

    EndpointGrant grant(ClientContext context, String identity) {
      Iterator<AuthEvent> events = identities().grantEndpoint(
          IdentityRequest.newBuilder().setContext(context).setIdentity(identity).build());
      EndpointGrant grant = null;
      while (events.hasNext()) {
        AuthEvent event = events.next();
        if (event.hasEndpointGrant()) {
          grant = event.getEndpointGrant();
        }
      }
      if (grant == null) {
        throw new AssertionError("GrantEndpoint(" + identity + ") ended without a grant");
      }
      return grant;
    }

    @Override
    public void close() {
      channel.shutdownNow();
      try {
        channel.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (ownGroup != null) {
        ownGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      }
    }
  }

  // ------------------------------------------------------------------------------------------ files on disk

  /**
   * Every session cache file parses as JSON with the AWS SDK fields, and the provisioned-identities file (when
   * present) as YAML with an {@code auth.identities} mapping. Returns the session files' contents by name.
   */
  Map<String, JsonNode> assertFilesIntact() {
    Map<String, JsonNode> sessions = new LinkedHashMap<>();
    if (Files.isDirectory(sessionsDir())) {
      try (Stream<Path> files = Files.list(sessionsDir())) {
        for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".json")).toList()) {
          JsonNode node;
          try {
            node = JSON.readTree(Files.readAllBytes(file));
          } catch (IOException e) {
            throw new AssertionError("torn or corrupt session cache file " + file + ": " + e.getMessage()
                + "\n" + read(file));
          }
          for (String field : List.of("startUrl", "region", "accessToken", "expiresAt")) {
            if (node == null || !node.path(field).isTextual() || node.path(field).asText().isEmpty()) {
              throw new AssertionError("session cache file " + file + " lacks " + field);
            }
          }
          java.time.Instant.parse(node.path("expiresAt").asText());
          sessions.put(file.getFileName().toString(), node);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    Path provisioned = provisionedFile();
    if (Files.exists(provisioned)) {
      JsonNode yaml;
      try {
        yaml = YAML.readTree(Files.readAllBytes(provisioned));
      } catch (IOException e) {
        throw new AssertionError("torn or corrupt provisioned-identities file " + provisioned + ": " + e.getMessage());
      }
      JsonNode identities = yaml == null ? null : yaml.path("auth").path("identities");
      if (identities == null || !identities.isObject()) {
        throw new AssertionError("provisioned-identities file " + provisioned + " has no auth.identities mapping");
      }
      identities.fields().forEachRemaining(e -> {
        JsonNode account = e.getValue().path("principal").path("account");
        if (!account.path("id").asText().matches("\\d{12}") || e.getValue().path("principal").path("name").asText()
            .isEmpty()) {
          throw new AssertionError("provisioned identity " + e.getKey() + " is incomplete in " + provisioned);
        }
      });
    }
    return sessions;
  }

  JsonNode sessionFile() {
    Map<String, JsonNode> files = assertFilesIntact();
    if (files.size() != 1) {
      throw new AssertionError("expected one session file, found " + files.keySet());
    }
    return files.values().iterator().next();
  }

  @Override
  public void close() {
    for (DaemonProcess p : processes) {
      if (p.process.isAlive()) {
        p.process.destroyForcibly();
        try {
          p.process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
    for (int i = closeables.size() - 1; i >= 0; i--) {
      try {
        closeables.get(i).close();
      } catch (Exception e) {
        System.out.println("[rig] close failed: " + e);
      }
    }
    emu.close();
    if (!Boolean.getBoolean("atmos.it.keep")) {
      try (Stream<Path> walk = Files.walk(root)) {
        walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException ignored) {
        // best effort
      }
    }
  }
}
