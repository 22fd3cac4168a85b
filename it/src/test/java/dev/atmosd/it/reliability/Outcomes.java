package dev.atmosd.it.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Callable;

/** A call's outcome: its value, or the one gRPC status it failed with, which must be a clean single line. */
record Outcomes<T>(T value, StatusRuntimeException error) {
  /** Codes a failed call may end with: never UNKNOWN or INTERNAL (an unhandled exception), never OK. */
  static final List<Status.Code> CLEAN = List.of(Status.Code.UNAVAILABLE, Status.Code.DEADLINE_EXCEEDED,
      Status.Code.UNAUTHENTICATED, Status.Code.FAILED_PRECONDITION, Status.Code.RESOURCE_EXHAUSTED,
      Status.Code.PERMISSION_DENIED, Status.Code.ABORTED, Status.Code.INVALID_ARGUMENT, Status.Code.NOT_FOUND,
      Status.Code.CANCELLED, Status.Code.OUT_OF_RANGE);

  static <T> Outcomes<T> of(Callable<T> call) {
    try {
      return new Outcomes<>(call.call(), null);
    } catch (StatusRuntimeException e) {
      return new Outcomes<>(null, e);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  boolean ok() {
    return error == null;
  }

  /** Success, or ONE clean error: a known code, a one-line description, no stack frame, none of the secrets. */
  Outcomes<T> successOrOneCleanError(Collection<String> secrets) {
    if (error != null) {
      assertClean(error, secrets, CLEAN);
    }
    return this;
  }

  static void assertClean(StatusRuntimeException error, Collection<String> secrets, Collection<Status.Code> codes) {
    Status status = error.getStatus();
    String description = status.getDescription();
    assertThat(status.getCode()).as("status of %s", status).isIn(codes);
    assertThat(description).as("description of %s", status).isNotBlank();
    assertThat(description).as("one line: %s", description).doesNotContain("\n").doesNotContain("\r");
    assertThat(description).as("no stack frame").doesNotContainPattern("\\bat [a-z]+\\.[a-zA-Z.]+\\(");
    for (String secret : secrets) {
      if (secret != null && secret.length() >= 8) {
        assertThat(description).as("no secret in the error").doesNotContain(secret);
      }
    }
  }

  @Override
  public String toString() {
    return error == null ? "ok " + (value == null ? "" : value.getClass().getSimpleName()) : "error " + error.getStatus();
  }
}
