package dev.atmosd.daemon.credentials;

import dev.atmosd.daemon.session.AccessToken;

/**
 * The portal answered UnauthorizedException for {@code token}: the session engine must forget it and the call is
 * retried once with a fresh token. Internal to the broker; never reaches a client as such.
 */
final class PortalRejectedToken extends RuntimeException {
  private final transient AccessToken token;

  PortalRejectedToken(AccessToken token) {
    super("the portal rejected the access token of session " + token.sessionKey(), null, false, false);
    this.token = token;
  }

  AccessToken token() {
    return token;
  }
}
