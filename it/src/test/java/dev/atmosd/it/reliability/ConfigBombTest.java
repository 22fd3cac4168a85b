package dev.atmosd.it.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.atmosd.v1.ConfigGrpc;
import dev.atmosd.v1.PingRequest;
import dev.atmosd.v1.ValidateRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A billion-laughs atmos.yaml sent to a daemon child process (-Xmx256m) through the socket. */
class ConfigBombTest {

  @Test
  void aBillionLaughsConfigIsOneCleanErrorAndTheDaemonLives() throws Exception {
    try (Rig rig = Rig.create()) {
      Rig.DaemonProcess daemon = rig.startProcess(Map.of());
      long pid = rig.awaitPing(Duration.ofSeconds(120), daemon.process).getPid();
      StringBuilder yaml = new StringBuilder("a0: &a0 [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
      for (int i = 1; i <= 9; i++) {
        yaml.append("a").append(i).append(": &a").append(i).append(" [");
        for (int j = 0; j < 9; j++) {
          yaml.append(j == 0 ? "" : ",").append("*a").append(i - 1);
        }
        yaml.append("]\n");
      }
      yaml.append("auth:\n  providers:\n    p:\n      kind: aws/iam-identity-center\n      start_url: https://x/start\n"
          + "      region: us-east-1\n      spec: *a9\n");
      Path bomb = Files.writeString(rig.root.resolve("bomb.yaml"), yaml.toString());
      StatusRuntimeException error = null;
      try (Rig.Client client = rig.client()) {
        try {
          ConfigGrpc.newBlockingStub(client.channel).withDeadlineAfter(30, TimeUnit.SECONDS).validate(
              ValidateRequest.newBuilder().setContext(rig.context().toBuilder().setConfigPath(bomb.toString())).build());
        } catch (StatusRuntimeException e) {
          error = e;
        }
        String ping;
        try {
          ping = "Ping answered by pid " + client.daemon().withDeadlineAfter(30, TimeUnit.SECONDS)
              .ping(PingRequest.getDefaultInstance()).getPid() + " (alive: " + daemon.process.isAlive() + ")";
        } catch (StatusRuntimeException e) {
          ping = "Ping failed: " + e.getStatus() + " (alive: " + daemon.process.isAlive() + ")";
        }
        String log = Rig.read(rig.logFile());
        System.out.println("RELIABILITY billion laughs through the socket: " + (error == null ? "OK" : error.getStatus())
            + "; then " + ping + "; OutOfMemoryError in the daemon log: " + log.contains("OutOfMemoryError"));
        assertThat(error).as("a bomb is refused").isNotNull();
        assertThat(error.getStatus().getCode()).as("%s (DEADLINE_EXCEEDED: no answer within 30 s)", error.getStatus())
            .isEqualTo(Status.Code.INVALID_ARGUMENT);
        Outcomes.assertClean(error, List.of(), List.of(Status.Code.INVALID_ARGUMENT));
        assertThat(client.daemon().withDeadlineAfter(30, TimeUnit.SECONDS).ping(PingRequest.getDefaultInstance())
            .getPid()).isEqualTo(pid);
      }
    }
  }
}
