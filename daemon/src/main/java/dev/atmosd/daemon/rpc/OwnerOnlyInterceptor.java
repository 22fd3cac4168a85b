package dev.atmosd.daemon.rpc;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;

/**
 * Refuses every call on a connection {@link PeerCredentialNegotiator} did not find to be the daemon's owner — and
 * every call whose connection carries no verdict at all, so a transport that skipped the check fails closed.
 */
final class OwnerOnlyInterceptor implements ServerInterceptor {
  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
      ServerCallHandler<Q, R> next) {
    PeerCredentialNegotiator.PeerVerdict verdict = call.getAttributes().get(PeerCredentialNegotiator.PEER);
    if (verdict == null || !verdict.owner()) {
      call.close(Status.PERMISSION_DENIED.withDescription("atmosd serves only the user that started it; this"
          + " connection comes from " + (verdict == null ? "an unknown user" : verdict.peer())), new Metadata());
      return new ServerCall.Listener<>() {};
    }
    return next.startCall(call, headers);
  }
}
