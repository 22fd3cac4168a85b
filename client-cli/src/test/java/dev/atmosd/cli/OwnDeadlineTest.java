package dev.atmosd.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import org.junit.jupiter.api.Test;

/** gRPC's own deadline texts become "atmosd did not answer in time"; the daemon's DEADLINE_EXCEEDED keeps its words. */
class OwnDeadlineTest {
  @Test
  void grpcClientSideDeadlinesInEveryWordingAreOurs() {
    assertThat(Atmos.isOurOwnDeadline(Status.DEADLINE_EXCEEDED)).isTrue();
    assertThat(Atmos.isOurOwnDeadline(Status.DEADLINE_EXCEEDED.withDescription(
        "deadline exceeded after 4.99s. Name resolution delay 0.001 seconds."))).isTrue();
    assertThat(Atmos.isOurOwnDeadline(Status.DEADLINE_EXCEEDED.withDescription(
        "CallOptions deadline exceeded after 2.44s. Name resolution delay 0.000 seconds. [remote_addr=/tmp/x/atmosd.sock]")))
        .isTrue();
    assertThat(Atmos.isOurOwnDeadline(Status.DEADLINE_EXCEEDED.withDescription(
        "ClientCall started after CallOptions deadline was exceeded -0.1s"))).isTrue();
  }

  @Test
  void theDaemonsOwnDeadlineMessagesAreShownAsTheyAre() {
    assertThat(Atmos.isOurOwnDeadline(Status.DEADLINE_EXCEEDED.withDescription(
        "the sign-in code expired before it was approved; run `atmos auth login` to get a new one"))).isFalse();
  }
}
