package dev.atmosd.it.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atmosd.v1.ClientContext;
import dev.atmosd.v1.DaemonInfo;
import dev.atmosd.v1.EndpointGrant;
import dev.atmosd.v1.ListIdentitiesRequest;
import dev.atmosd.v1.RoleCredentials;
import dev.atmosd.v1.StatusRequest;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

/**
 * 200 concurrent clients (each its own connection to the socket) for {@code -Datmos.reliability.loadSeconds} (60 s
 * by default) mix GetCredentials for four identities (two permission sets, one in another account, one assume-role
 * chain), ListIdentities and Status, plus GETs of the container endpoint: no call may fail. The daemon is a child
 * JVM, so what it holds is measured alone: heap after a full GC, threads, file descriptors, before and after.
 */
class LoadTest {
  static final int CLIENTS = Integer.getInteger("atmos.reliability.loadClients", 200);
  static final int SECONDS = Integer.getInteger("atmos.reliability.loadSeconds", 60);

  @Test
  void twoHundredClientsForAMinuteWithoutAnErrorOrALeak() throws Exception {
    try (Rig rig = Rig.create()) {
      Rig.DaemonProcess daemon = rig.startProcess(Map.of());
      DaemonInfo info = rig.awaitPing(Duration.ofSeconds(120), daemon.process);
      ClientContext context = rig.context();
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(30)).build();
      List<EndpointGrant> grants = new ArrayList<>();
      // Warm-up: sign in once, mint every identity, open two grants, touch every call once.
      try (Rig.Client client = rig.client()) {
        for (String identity : Rig.IDENTITIES) {
          client.credentials(context, identity);
        }
        grants.add(client.grant(context, "dev-admin"));
        grants.add(client.grant(context, "prod-admin"));
        client.identities().listIdentities(ListIdentitiesRequest.newBuilder().setContext(context).build());
        client.sessions().status(StatusRequest.newBuilder().setContext(context).build());
        for (EndpointGrant grant : grants) {
          assertThat(get(http, grant).statusCode()).isEqualTo(200);
        }
      }
      long signIns = rig.emu.calls("StartDeviceAuthorization");
      ProcessProbe.Snapshot before = ProcessProbe.take(daemon.pid());
      System.out.println("[load] before: " + before);

      LongAdder served = new LongAdder();
      LongAdder getCredentials = new LongAdder();
      LongAdder endpointGets = new LongAdder();
      AtomicLong errors = new AtomicLong();
      List<String> firstErrors = Collections.synchronizedList(new ArrayList<>());
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(SECONDS);
      EventLoopGroup group = new MultiThreadIoEventLoopGroup(4, NioIoHandler.newFactory());
      CountDownLatch done = new CountDownLatch(CLIENTS);
      List<Thread> threads = new ArrayList<>();
      try {
        for (int c = 0; c < CLIENTS; c++) {
          int id = c;
          Thread thread = new Thread(() -> {
            try (Rig.Client client = Rig.Client.connect(rig.socket, group)) {
              long n = id;
              while (System.nanoTime() < end) {
                int op = (int) (n++ % 8);
                try {
                  switch (op) {
                    case 0, 1, 2, 3 -> {
                      RoleCredentials creds = client.credentials(context, Rig.IDENTITIES.get((op + id) % 4));
                      if (creds.getAccessKeyId().isEmpty() || creds.getSecretAccessKey().isEmpty()) {
                        throw new AssertionError("empty credentials");
                      }
                      getCredentials.increment();
                    }
                    case 4 -> client.identities().listIdentities(
                        ListIdentitiesRequest.newBuilder().setContext(context).build());
                    case 5 -> client.sessions().status(StatusRequest.newBuilder().setContext(context).build());
                    default -> {
                      HttpResponse<String> response = get(http, grants.get(id % grants.size()));
                      if (response.statusCode() != 200 || !response.body().contains("SecretAccessKey")) {
                        throw new AssertionError("endpoint answered " + response.statusCode() + ": "
                            + response.body().replaceAll("\"(SecretAccessKey|Token)\"\\s*:\\s*\"[^\"]*\"", "<redacted>"));
                      }
                      endpointGets.increment();
                    }
                  }
                  served.increment();
                } catch (Throwable e) {
                  errors.incrementAndGet();
                  if (firstErrors.size() < 10) {
                    firstErrors.add("op " + op + ": " + e);
                  }
                }
              }
            } finally {
              done.countDown();
            }
          }, "load-client-" + c);
          threads.add(thread);
          thread.start();
        }
        assertThat(done.await(SECONDS + 300L, TimeUnit.SECONDS)).as("every client finished (hang detector)").isTrue();
      } finally {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
      }

      assertThat(errors.get()).as("errors; first ones: %s", firstErrors).isZero();
      assertThat(rig.emu.calls("StartDeviceAuthorization")).as("no second sign-in under load").isEqualTo(signIns);
      // Connections close as soon as the clients do: wait for the daemon's fds to come back, then measure.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (ProcessProbe.fds(daemon.pid()) > before.fds() + 5 && System.nanoTime() < deadline) {
        Rig.pause(100);
      }
      ProcessProbe.Snapshot after = ProcessProbe.take(daemon.pid());
      System.out.println("[load] after:  " + after);
      String figures = String.format("RELIABILITY load: %d clients x %d s, %d calls served (%d GetCredentials, %d"
          + " endpoint GETs), %d errors; before: %s; after: %s", CLIENTS, SECONDS, served.sum(), getCredentials.sum(),
          endpointGets.sum(), errors.get(), before, after);
      System.out.println(figures);

      assertThat(served.sum()).as("calls served").isGreaterThan(CLIENTS);
      assertThat(after.fds()).as("daemon file descriptors, before: %s", before.fds()).isLessThanOrEqualTo(before.fds() + 5);
      assertThat(after.steadyThreads()).as("threads outside elastic pools, before %s after %s", before.threads(),
          after.threads()).isBetween(before.steadyThreads() - 3, before.steadyThreads() + 3);
      assertThat(after.elasticThreads()).as("threads in elastic pools are bounded by concurrency")
          .isLessThanOrEqualTo(CLIENTS + 50L);
      assertThat(after.heapUsedKb()).as("heap used after GC (KiB), before %s", before.heapUsedKb())
          .isLessThanOrEqualTo(Math.max(before.heapUsedKb() * 2, before.heapUsedKb() + 64 * 1024));
      assertThat(after.rssKb()).as("daemon RSS (KiB)").isLessThan(1024 * 1024);
      try (Rig.Client client = rig.client()) {
        assertThat(client.daemon().withDeadlineAfter(30, TimeUnit.SECONDS)
            .ping(dev.atmosd.v1.PingRequest.getDefaultInstance()).getPid()).isEqualTo(info.getPid());
      }
      rig.assertFilesIntact();
    }
  }

  static HttpResponse<String> get(HttpClient http, EndpointGrant grant) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(grant.getFullUri()))
        .header("Authorization", grant.getAuthorizationToken()).timeout(Duration.ofSeconds(60)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
