package dev.atmosd.daemon.endpoint;

/**
 * A grant as handed to the client that asked for it: the only moment its token exists outside the client.
 * {@link #toString()} never shows the token.
 */
public record IssuedGrant(CredentialGrant grant, String fullUri, String authorizationToken) {
  public String grantId() {
    return grant.grantId();
  }

  @Override
  public String toString() {
    return "IssuedGrant[" + grant + ", fullUri=" + fullUri + "]";
  }
}
