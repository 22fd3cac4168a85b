package dev.atmosd.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import org.junit.jupiter.api.Test;

class ExitCodesTest {
  @Test
  void usageAndConfigProblemsAreTwoEverythingElseIsOne() {
    assertThat(ExitCodes.forStatus(Status.Code.INVALID_ARGUMENT)).isEqualTo(2);
    assertThat(ExitCodes.forStatus(Status.Code.NOT_FOUND)).isEqualTo(2);
    assertThat(ExitCodes.forStatus(Status.Code.FAILED_PRECONDITION)).isEqualTo(2);
    assertThat(ExitCodes.forStatus(Status.Code.UNAVAILABLE)).isEqualTo(1);
    assertThat(ExitCodes.forStatus(Status.Code.PERMISSION_DENIED)).isEqualTo(1);
    assertThat(ExitCodes.forStatus(Status.Code.INTERNAL)).isEqualTo(1);
    assertThat(ExitCodes.forStatus(Status.Code.DEADLINE_EXCEEDED)).isEqualTo(1);
    assertThat(ExitCodes.forStatus(Status.Code.OK)).isEqualTo(0);
  }
}
