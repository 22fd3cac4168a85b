package dev.atmosd.daemon.rpc;

import com.google.protobuf.Timestamp;
import dev.atmosd.daemon.session.DeviceAuthorizationPrompt;
import dev.atmosd.daemon.session.SignInObserver;
import dev.atmosd.v1.AuthEvent;
import dev.atmosd.v1.ClientContext;
import dev.atmosd.v1.DeviceAuthorization;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One client's server stream of {@link AuthEvent}s. Engine threads, provisioning workers and the call's own thread
 * all send on it, so every send is serialised here (a StreamObserver is not thread-safe), and sends after the
 * client went away are dropped instead of failing the work that produced them. When the client goes (Ctrl-C, a
 * killed process, a passed deadline), whatever waits on its behalf is told through {@link #whenGone}.
 */
public final class AuthEventStream implements SignInObserver {
  private final ServerCallStreamObserver<AuthEvent> call;
  private final boolean mayOpenBrowser;
  private final boolean mayStartSignIn;
  private boolean closed;
  /** Guarded by this; null once the client has gone. */
  private List<Runnable> onGone = new ArrayList<>();

  /** Must be made during the service method's own call: gRPC takes the cancel handler only then. */
  public AuthEventStream(StreamObserver<AuthEvent> call, ClientContext context) {
    this.call = (ServerCallStreamObserver<AuthEvent>) call;
    this.mayOpenBrowser = context.getMayOpenBrowser();
    this.mayStartSignIn = !context.getCannotShowPrompt();
    this.call.setOnCancelHandler(this::clientGone);
  }

  /** Runs {@code action} when the client disconnects or its deadline passes; at once if it already has. */
  @Override
  public void whenGone(Runnable action) {
    synchronized (this) {
      if (onGone != null) {
        onGone.add(action);
        return;
      }
    }
    action.run();
  }

  private void clientGone() {
    List<Runnable> actions;
    synchronized (this) {
      actions = onGone;
      onGone = null;
    }
    if (actions != null) {
      actions.forEach(Runnable::run);
    }
  }

  public synchronized boolean isOpen() {
    return !closed && !call.isCancelled();
  }

  public synchronized void send(AuthEvent event) {
    if (isOpen()) {
      call.onNext(event);
    }
  }

  public synchronized void complete() {
    if (isOpen()) {
      closed = true;
      call.onCompleted();
    }
  }

  /** Ends the call with the status {@code failure} maps to. */
  public synchronized void fail(Throwable failure) {
    if (isOpen()) {
      closed = true;
      call.onError(StatusErrors.toStatus(failure));
    }
  }

  @Override
  public boolean mayStartSignIn() {
    return mayStartSignIn;
  }

  @Override
  public boolean mayOpenBrowser() {
    return mayOpenBrowser;
  }

  @Override
  public void onDeviceAuthorization(DeviceAuthorizationPrompt prompt) {
    send(AuthEvent.newBuilder().setDeviceAuthorization(DeviceAuthorization.newBuilder()
        .setProvider(prompt.provider())
        .setSessionKey(prompt.sessionKey())
        .setUserCode(prompt.userCode())
        .setVerificationUri(nullToEmpty(prompt.verificationUri()))
        .setVerificationUriComplete(nullToEmpty(prompt.verificationUriComplete()))
        .setExpiresAt(timestamp(prompt.expiresAt()))
        .setOpenBrowser(prompt.openBrowser())
        .setWaiters(prompt.waiters()))
        .build());
  }

  @Override
  public void onProgress(String message) {
    send(AuthEvent.newBuilder().setProgress(message).build());
  }

  public void warn(String message) {
    send(AuthEvent.newBuilder().setWarning(message).build());
  }

  public static Timestamp timestamp(Instant instant) {
    if (instant == null) {
      return Timestamp.getDefaultInstance();
    }
    return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
  }

  private static String nullToEmpty(String value) {
    return value == null ? "" : value;
  }
}
