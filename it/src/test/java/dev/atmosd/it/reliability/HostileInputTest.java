package dev.atmosd.it.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atmosd.v1.ClientContext;
import dev.atmosd.v1.EnvironmentVariable;
import dev.atmosd.v1.DaemonInfo;
import dev.atmosd.v1.EndpointGrant;
import dev.atmosd.v1.IdentitiesGrpc;
import dev.atmosd.v1.IdentityRequest;
import dev.atmosd.v1.ListIdentitiesRequest;
import dev.atmosd.v1.PingRequest;
import dev.atmosd.v1.StatusRequest;
import dev.atmosd.v1.ValidateRequest;
import dev.atmosd.v1.ConfigGrpc;
import io.grpc.CallOptions;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Hostile clients against one daemon child process: oversized and malformed gRPC requests, and abuse of the container
 * endpoint. Every call ends with a status within a generous 30 s (a hang detector, not a performance bound), nothing
 * is served that should not be, and the daemon answers Ping after each.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileInputTest {
  static final Duration HANG = Duration.ofSeconds(30);
  Rig rig;
  Rig.DaemonProcess daemon;
  Rig.Client client;
  DaemonInfo info;
  EndpointGrant devAdmin;
  EndpointGrant prodAdmin;
  final Map<String, String> outcomes = new LinkedHashMap<>();

  @BeforeAll
  void start() {
    rig = Rig.create();
    daemon = rig.startProcess(Map.of());
    info = rig.awaitPing(Duration.ofSeconds(120), daemon.process);
    client = rig.client();
    client.credentials(rig.context(), "dev-admin");
    devAdmin = client.grant(rig.context(), "dev-admin");
    prodAdmin = client.grant(rig.context(), "prod-admin");
  }

  @AfterAll
  void stop() {
    System.out.println("RELIABILITY hostile inputs (" + outcomes.size() + " cases):");
    outcomes.forEach((what, outcome) -> System.out.println("  " + what + " -> " + outcome));
    if (client != null) {
      client.close();
    }
    rig.close();
  }

  void daemonStillAnswers() {
    assertThat(daemon.process.isAlive()).as("the daemon process is alive").isTrue();
    assertThat(client.daemon().withDeadlineAfter(HANG.toSeconds(), TimeUnit.SECONDS)
        .ping(PingRequest.getDefaultInstance()).getPid()).isEqualTo(info.getPid());
  }

  /** Runs a call under the hang detector: success or any status but DEADLINE_EXCEEDED (which is our own deadline). */
  void answersWithinBound(String what, Callable<?> call) {
    String outcome;
    try {
      call.call();
      outcome = "OK";
    } catch (StatusRuntimeException e) {
      Status status = e.getStatus();
      assertThat(status.getCode()).as("%s: %s — no answer within %s is a hang", what, status, HANG)
          .isNotEqualTo(Status.Code.DEADLINE_EXCEEDED);
      String description = String.valueOf(status.getDescription());
      assertThat(description).as("%s: one line", what).doesNotContain("\n");
      assertThat(description.length()).as("%s: a bounded message, not the input echoed back", what)
          .isLessThanOrEqualTo(4096);
      outcome = status.getCode() + (description.length() > 100 ? " " + description.substring(0, 100) + "..."
          : " " + description);
    } catch (Exception e) {
      throw new AssertionError(what + ": " + e, e);
    }
    outcomes.put(what, outcome);
    daemonStillAnswers();
  }

  IdentitiesGrpc.IdentitiesBlockingStub identities() {
    return IdentitiesGrpc.newBlockingStub(client.channel).withDeadlineAfter(HANG.toMillis(), TimeUnit.MILLISECONDS);
  }

  // ------------------------------------------------------------------------------------------ gRPC

  @Test
  void oversizedStrings() {
    String tenMegabytes = "x".repeat(10 * 1024 * 1024);
    String threeMegabytes = "y".repeat(3 * 1024 * 1024);
    answersWithinBound("GetCredentials identity of 10 MB", () -> drain(identities().getCredentials(
        IdentityRequest.newBuilder().setContext(rig.context()).setIdentity(tenMegabytes).build())));
    answersWithinBound("GetCredentials identity of 3 MB", () -> drain(identities().getCredentials(
        IdentityRequest.newBuilder().setContext(rig.context()).setIdentity(threeMegabytes).build())));
    answersWithinBound("GrantEndpoint identity of 3 MB", () -> drain(identities().grantEndpoint(
        IdentityRequest.newBuilder().setContext(rig.context()).setIdentity(threeMegabytes).build())));
    answersWithinBound("ListIdentities config_path of 3 MB", () -> identities().listIdentities(
        ListIdentitiesRequest.newBuilder().setContext(rig.context().toBuilder().setConfigPath("/" + threeMegabytes))
            .build()));
    answersWithinBound("Status command of 3 MB", () -> client.sessions().status(StatusRequest.newBuilder()
        .setContext(rig.context().toBuilder().setCommand(threeMegabytes)).build()));
  }

  private static EnvironmentVariable variable(String name, String value) {
    return EnvironmentVariable.newBuilder().setName(name).setValue(value).build();
  }

  @Test
  void hugeEnvironmentMaps() {
    ClientContext.Builder many = rig.context().toBuilder();
    for (int i = 0; i < 100_000; i++) {
      many.addEnvironment(variable("ATMOS_VAR_" + i, "v" + i));
    }
    ClientContext huge = many.build();
    answersWithinBound("GetCredentials with 100k environment entries", () -> drain(identities().getCredentials(
        IdentityRequest.newBuilder().setContext(huge).setIdentity("dev-admin").build())));
    ClientContext endpoints = rig.context().toBuilder()
        .addEnvironment(variable("AWS_ENDPOINT_URL", "http://" + "a".repeat(100_000)))
        .addEnvironment(variable("AWS_ENDPOINT_URL_SSO", "\0\n\r%00"))
        .addEnvironment(variable("AWS_REGION", "../../../etc"))
        .addEnvironment(variable("ATMOS_IDENTITY", "x".repeat(1_000_000))).build();
    answersWithinBound("GetCredentials with garbage endpoint variables", () -> drain(identities().getCredentials(
        IdentityRequest.newBuilder().setContext(endpoints).setIdentity("prod-admin").build())));
    answersWithinBound("ListIdentities with 100k environment entries", () -> identities().listIdentities(
        ListIdentitiesRequest.newBuilder().setContext(huge).build()));
  }

  @Test
  void garbageConfigPaths() throws Exception {
    Path deep = rig.root;
    StringBuilder deepPath = new StringBuilder(rig.root.toString());
    for (int i = 0; i < 1000; i++) {
      deepPath.append("/d"); // 2 kB: nested deep, still under PATH_MAX (the overlong one has its own test)
    }
    Path nested = rig.root.resolve("nested.yaml");
    Files.writeString(nested, "auth:\n  providers:\n    p: " + "[".repeat(100_000) + "\n");
    Path bytes = rig.root.resolve("bytes.yaml");
    byte[] random = new byte[256 * 1024];
    new Random(7).nextBytes(random);
    Files.write(bytes, random);
    List<String> paths = new ArrayList<>(List.of("", "relative/atmos.yaml", "/", "/nonexistent/../../etc/passwd",
        "/etc/shadow", "/proc/self/environ", "/proc/self/mem", "/dev/zero", "/dev/urandom",
        deepPath.toString(), nested.toString(), bytes.toString(), rig.root.toString(), "\0", "a\0b",
        "/tmp/" + "%s%n%x".repeat(50), deep.resolve("..").resolve("..").toString()));
    for (String path : paths) {
      ClientContext context = rig.context().toBuilder().setConfigPath(path).build();
      String shown = path.length() > 60 ? path.substring(0, 60) + "..." : path;
      answersWithinBound("Validate config_path " + shown.replace("\0", "\\0"), () -> ConfigGrpc.newBlockingStub(client.channel)
          .withDeadlineAfter(HANG.toMillis(), TimeUnit.MILLISECONDS)
          .validate(ValidateRequest.newBuilder().setContext(context).build()));
      answersWithinBound("GetCredentials config_path " + shown.replace("\0", "\\0"), () -> drain(identities()
          .getCredentials(IdentityRequest.newBuilder().setContext(context).setIdentity("dev-admin").build())));
    }
  }

  @Test
  void aFifoAsConfigPathIsAnswered() throws Exception {
    Path fifo = rig.root.resolve("fifo.yaml");
    assertThat(UnwritableCacheTest.run("mkfifo", fifo.toString())).isZero();
    ClientContext context = rig.context().toBuilder().setConfigPath(fifo.toString()).build();
    answersWithinBound("Validate config_path a FIFO", () -> ConfigGrpc.newBlockingStub(client.channel)
        .withDeadlineAfter(HANG.toMillis(), TimeUnit.MILLISECONDS)
        .validate(ValidateRequest.newBuilder().setContext(context).build()));
  }

  @Test
  void anOverlongConfigPathGetsOneClearBoundedError() {
    StringBuilder deepPath = new StringBuilder(rig.root.toString());
    for (int i = 0; i < 3000; i++) {
      deepPath.append("/d");
    }
    ClientContext context = rig.context().toBuilder().setConfigPath(deepPath.toString()).build();
    answersWithinBound("Validate config_path nested 3000 deep", () -> ConfigGrpc.newBlockingStub(client.channel)
        .withDeadlineAfter(HANG.toMillis(), TimeUnit.MILLISECONDS)
        .validate(ValidateRequest.newBuilder().setContext(context).build()));
  }

  @Test
  void anOversizedIdentityNameGetsOneClearBoundedError() {
    String name = "n".repeat(100_000);
    StatusRuntimeException error = null;
    try {
      drain(identities().getCredentials(IdentityRequest.newBuilder().setContext(rig.context()).setIdentity(name)
          .build()));
    } catch (StatusRuntimeException e) {
      error = e;
    }
    outcomes.put("GetCredentials unknown identity of 100 kB", String.valueOf(error == null ? "OK" : error.getStatus()
        .getCode() + " (" + String.valueOf(error.getStatus().getDescription()).length() + " chars)"));
    assertThat(error).as("an unknown identity fails").isNotNull();
    Outcomes.assertClean(error, List.of(), List.of(Status.Code.NOT_FOUND, Status.Code.INVALID_ARGUMENT));
    assertThat(error.getStatus().getDescription().length()).as("the message does not echo 100 kB back")
        .isLessThanOrEqualTo(4096);
    daemonStillAnswers();
  }

  @Test
  void aConfigPathWithANulByteIsAnInvalidArgument() {
    ClientContext context = rig.context().toBuilder().setConfigPath("a\0b").build();
    StatusRuntimeException error = null;
    try {
      ConfigGrpc.newBlockingStub(client.channel).withDeadlineAfter(HANG.toMillis(), TimeUnit.MILLISECONDS)
          .validate(ValidateRequest.newBuilder().setContext(context).build());
    } catch (StatusRuntimeException e) {
      error = e;
    }
    assertThat(error).as("a NUL in the path is refused").isNotNull();
    Outcomes.assertClean(error, List.of(), List.of(Status.Code.INVALID_ARGUMENT));
    daemonStillAnswers();
  }

  @Test
  void invalidUtf8AndGarbageBytes() {
    byte[] badUtf8 = {(byte) 0xC3, 0x28, (byte) 0xFF, (byte) 0xFE, (byte) 0xED, (byte) 0xA0, (byte) 0x80};
    byte[] context = concat(field(1, badUtf8), field(2, concat(field(1, badUtf8), field(2, badUtf8))));
    Map<String, byte[]> requests = new LinkedHashMap<>();
    requests.put("identity as invalid UTF-8", concat(field(1, field(1, rig.config.toString()
        .getBytes(StandardCharsets.UTF_8))), field(2, badUtf8)));
    requests.put("config_path + environment as invalid UTF-8", concat(field(1, context), field(2, "dev-admin"
        .getBytes(StandardCharsets.UTF_8))));
    byte[] garbage = new byte[4096];
    new Random(11).nextBytes(garbage);
    requests.put("4 KiB of random bytes", garbage);
    requests.put("a length running past the end", new byte[] {0x12, (byte) 0xFF, (byte) 0xFF, 0x7F, 'a'});
    requests.put("an unknown field of 1 MB", field(99, new byte[1024 * 1024]));
    requests.put("deeply nested unknown groups", nestedGroups(100_000));
    for (Map.Entry<String, byte[]> request : requests.entrySet()) {
      answersWithinBound("GetCredentials raw: " + request.getKey(), () -> {
        var it = ClientCalls.blockingServerStreamingCall(client.channel, raw(IdentitiesGrpc.getGetCredentialsMethod()),
            CallOptions.DEFAULT.withDeadlineAfter(HANG.toMillis(), TimeUnit.MILLISECONDS), request.getValue());
        it.forEachRemaining(b -> { });
        return null;
      });
      answersWithinBound("ListIdentities raw: " + request.getKey(), () -> ClientCalls.blockingUnaryCall(client.channel,
          raw(IdentitiesGrpc.getListIdentitiesMethod()),
          CallOptions.DEFAULT.withDeadlineAfter(HANG.toMillis(), TimeUnit.MILLISECONDS), request.getValue()));
    }
  }

  static Object drain(java.util.Iterator<?> events) {
    events.forEachRemaining(e -> { });
    return null;
  }

  static MethodDescriptor<byte[], byte[]> raw(MethodDescriptor<?, ?> method) {
    MethodDescriptor.Marshaller<byte[]> bytes = new MethodDescriptor.Marshaller<>() {
      @Override
      public InputStream stream(byte[] value) {
        return new ByteArrayInputStream(value);
      }

      @Override
      public byte[] parse(InputStream stream) {
        try {
          return stream.readAllBytes();
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      }
    };
    return MethodDescriptor.<byte[], byte[]>newBuilder().setType(method.getType())
        .setFullMethodName(method.getFullMethodName()).setRequestMarshaller(bytes).setResponseMarshaller(bytes).build();
  }

  static byte[] field(int number, byte[] value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    varint(out, ((long) number << 3) | 2);
    varint(out, value.length);
    out.writeBytes(value);
    return out.toByteArray();
  }

  static byte[] nestedGroups(int depth) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < depth; i++) {
      varint(out, (50L << 3) | 3); // start group 50
    }
    for (int i = 0; i < depth; i++) {
      varint(out, (50L << 3) | 4); // end group 50
    }
    return out.toByteArray();
  }

  static void varint(ByteArrayOutputStream out, long value) {
    while ((value & ~0x7FL) != 0) {
      out.write((int) ((value & 0x7F) | 0x80));
      value >>>= 7;
    }
    out.write((int) value);
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  // ------------------------------------------------------------------------------------------ container endpoint

  record Answer(int status, String text, boolean closed) {
    @Override
    public String toString() {
      return status > 0 ? "HTTP " + status : closed ? "closed without an answer" : "no answer";
    }
  }

  /** Sends raw bytes to the endpoint; reads until the server closes or an answer's head and a pause arrive. */
  Answer send(byte[] request) throws IOException {
    URI uri = URI.create(devAdmin.getFullUri());
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 10_000);
      socket.setSoTimeout((int) HANG.toMillis());
      OutputStream out = socket.getOutputStream();
      try {
        out.write(request);
        out.flush();
      } catch (IOException refusedMidway) {
        // the server may close before reading everything (oversized): what it answered still counts
      }
      ByteArrayOutputStream got = new ByteArrayOutputStream();
      InputStream in = socket.getInputStream();
      byte[] buffer = new byte[8192];
      boolean closed = false;
      try {
        int n;
        while ((n = in.read(buffer)) >= 0) {
          got.write(buffer, 0, n);
          String text = got.toString(StandardCharsets.ISO_8859_1);
          int headEnd = text.indexOf("\r\n\r\n");
          if (headEnd >= 0) {
            var length = java.util.regex.Pattern.compile("(?i)content-length:\\s*(\\d+)").matcher(text);
            if (length.find() && got.size() >= headEnd + 4 + Integer.parseInt(length.group(1))) {
              break;
            }
          }
        }
        closed = n < 0;
      } catch (SocketTimeoutException hang) {
        throw new AssertionError("the endpoint neither answered nor closed within " + HANG + " (a hang)");
      } catch (IOException reset) {
        closed = true;
      }
      String text = got.toString(StandardCharsets.ISO_8859_1);
      int status = text.startsWith("HTTP/1.") && text.length() >= 12 ? Integer.parseInt(text.substring(9, 12)) : -1;
      return new Answer(status, text, closed);
    }
  }

  String head(String method, String path, String... headers) {
    StringBuilder b = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\n");
    for (String header : headers) {
      b.append(header).append("\r\n");
    }
    return b.append("\r\n").toString();
  }

  String host() {
    URI uri = URI.create(devAdmin.getFullUri());
    return "Host: " + uri.getHost() + ":" + uri.getPort();
  }

  String path(EndpointGrant grant) {
    return URI.create(grant.getFullUri()).getRawPath();
  }

  void refused(String what, String request) throws IOException {
    refused(what, request.getBytes(StandardCharsets.ISO_8859_1));
  }

  void refused(String what, byte[] request) throws IOException {
    Answer answer = send(request);
    outcomes.put("endpoint: " + what, answer.toString());
    assertThat(answer.status()).as("%s: %s", what, answer.text()).isNotEqualTo(200);
    assertThat(answer.text()).as("%s: no credentials served", what).doesNotContain("SecretAccessKey")
        .doesNotContain(devAdmin.getAuthorizationToken()).doesNotContain(prodAdmin.getAuthorizationToken());
    assertThat(answer.status() >= 400 || answer.closed()).as("%s: a 4xx or a closed connection, got %s", what,
        answer).isTrue();
  }

  @Test
  void endpointAbuse() throws Exception {
    String auth = "Authorization: " + devAdmin.getAuthorizationToken();
    Answer good = send(head("GET", path(devAdmin), host(), auth).getBytes(StandardCharsets.ISO_8859_1));
    assertThat(good.status()).as(good.text()).isEqualTo(200);

    refused("no token", head("GET", path(devAdmin), host()));
    refused("a wrong token", head("GET", path(devAdmin), host(), "Authorization: " + "A".repeat(43)));
    refused("an empty token", head("GET", path(devAdmin), host(), "Authorization: "));
    refused("another grant's token", head("GET", path(devAdmin), host(), "Authorization: "
        + prodAdmin.getAuthorizationToken()));
    refused("a token with a Bearer prefix of another grant", head("GET", path(prodAdmin), host(),
        "Authorization: Bearer " + devAdmin.getAuthorizationToken()));
    refused("an unknown grant id", head("GET", "/v1/credentials/" + "z".repeat(5000), host(), auth));
    refused("a traversal path", head("GET", path(devAdmin) + "/../../" + path(prodAdmin), host(), auth));
    refused("no Host", head("GET", path(devAdmin), auth));
    refused("a foreign Host", head("GET", path(devAdmin), "Host: evil.example.com", auth));
    refused("a foreign Host on the right port", head("GET", path(devAdmin), host().replace("127.0.0.1",
        "attacker.example"), auth));
    refused("two Host headers", head("GET", path(devAdmin), host(), "Host: evil.example.com", auth));
    refused("a huge header", head("GET", path(devAdmin), host(), auth, "X-Big: " + "b".repeat(256 * 1024)));
    List<String> headers = new ArrayList<>(List.of(host(), auth));
    for (int i = 0; i < 5000; i++) {
      headers.add("X-H" + i + ": v");
    }
    refused("5000 headers", head("GET", path(devAdmin), headers.toArray(String[]::new)));
    for (String method : List.of("POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT", "HEAD", "FOO")) {
      refused(method, head(method, path(devAdmin), host(), auth, "Content-Length: 0"));
    }
    refused("GET with a 1 MB body", (head("GET", path(devAdmin), host(), auth, "Content-Length: 1048576")
        + "b".repeat(1024 * 1024)).getBytes(StandardCharsets.ISO_8859_1));
    refused("binary garbage", new Random(3).ints(4096, 0, 256).collect(ByteArrayOutputStream::new,
        (o, i) -> o.write(i), (a, b) -> a.writeBytes(b.toByteArray())).toByteArray());
    refused("HTTP/0.9", ("GET " + path(devAdmin) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));

    Answer after = send(head("GET", path(devAdmin), host(), auth).getBytes(StandardCharsets.ISO_8859_1));
    assertThat(after.status()).as("the grant still works after the abuse: %s", after.text()).isEqualTo(200);
    daemonStillAnswers();
  }

  @Test
  void slowlorisIsCutOff() throws Exception {
    URI uri = URI.create(devAdmin.getFullUri());
    byte[] request = head("GET", path(devAdmin), host(), "Authorization: " + devAdmin.getAuthorizationToken(),
        "X-Slow: " + "s".repeat(200)).getBytes(StandardCharsets.ISO_8859_1);
    long started = System.nanoTime();
    int sent = 0;
    boolean closed = false;
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 10_000);
      socket.setSoTimeout(1000); // one byte per second: the read's timeout paces the trickle
      InputStream in = socket.getInputStream();
      OutputStream out = socket.getOutputStream();
      long limit = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (sent < request.length && System.nanoTime() < limit) {
        try {
          out.write(request[sent++]);
          out.flush();
        } catch (IOException reset) {
          closed = true;
          break;
        }
        try {
          if (in.read() < 0) {
            closed = true;
            break;
          }
          closed = true; // the server answered (408/400) before the request was whole: it gave up on us
          break;
        } catch (SocketTimeoutException stillOpen) {
          // a second went by with the connection open
        } catch (IOException reset) {
          closed = true;
          break;
        }
      }
    }
    long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
    outcomes.put("endpoint: slowloris, one byte per second", closed ? "cut off after " + seconds + " s and " + sent
        + " bytes" : "still open after " + seconds + " s");
    // EndpointLimits.DEFAULT.requestDeadline is 10 s; 20 s of margin for a loaded machine.
    assertThat(closed).as("the server closed a connection trickling one byte per second (%s bytes sent in %s s)",
        sent, seconds).isTrue();
    assertThat(seconds).as("cut off within the 10 s request deadline + 20 s margin").isLessThanOrEqualTo(30);
    daemonStillAnswers();
  }
}
