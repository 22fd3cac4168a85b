package dev.atmosd.daemon.credentials;

import dev.atmosd.daemon.config.ProviderConfig;
import dev.atmosd.daemon.rpc.UserFacingException;
import dev.atmosd.daemon.session.AccessToken;
import dev.atmosd.daemon.session.PortalSessions;
import dev.atmosd.daemon.session.SessionSnapshot;
import dev.atmosd.daemon.session.SignInObserver;
import io.grpc.Status;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Where a mint gets its portal token. A client's request joins the session engine's single sign-in and sees its
 * prompts; the container endpoint and background re-mints have nobody to show a code to, so they use what the
 * engine already has or can refresh silently, and fail fast when only a sign-in would help.
 */
abstract class PortalTokens {
  abstract CompletableFuture<AccessToken> token(ProviderConfig provider);

  static PortalTokens interactive(PortalSessions sessions, SignInObserver observer) {
    return new PortalTokens() {
      @Override
      CompletableFuture<AccessToken> token(ProviderConfig provider) {
        return sessions.accessToken(provider, observer);
      }
    };
  }

  static PortalTokens silent(PortalSessions sessions, Clock clock) {
    return new PortalTokens() {
      private static final Duration ENOUGH = Duration.ofMinutes(1);

      @Override
      CompletableFuture<AccessToken> token(ProviderConfig provider) {
        Optional<AccessToken> current = sessions.currentToken(provider.sessionKey());
        if (current.isPresent() && current.get().expiresAt().isAfter(clock.instant().plus(ENOUGH))) {
          return CompletableFuture.completedFuture(current.get());
        }
        Optional<SessionSnapshot.State> state = sessions.snapshot().stream()
            .filter(s -> provider.sessionKey().equals(s.sessionKey()))
            .map(SessionSnapshot::state)
            .findFirst();
        if (state.isPresent() && (state.get() == SessionSnapshot.State.NEEDS_SIGN_IN
            || state.get() == SessionSnapshot.State.NOT_SIGNED_IN)) {
          return CompletableFuture.failedFuture(new UserFacingException(Status.UNAUTHENTICATED,
              "the session of provider '" + provider.name() + "' needs a sign-in: run `atmos auth login --provider "
                  + provider.name() + "`"));
        }
        return sessions.accessToken(provider, SignInObserver.BACKGROUND);
      }
    };
  }
}
