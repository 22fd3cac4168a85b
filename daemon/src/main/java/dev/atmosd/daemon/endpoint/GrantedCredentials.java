package dev.atmosd.daemon.endpoint;

import dev.atmosd.daemon.credentials.MintedCredentials;
import java.util.concurrent.CompletableFuture;

/** What the endpoint needs of the daemon: a grant's credentials, and keeping them fresh while the grant lives. */
interface GrantedCredentials {
  CompletableFuture<MintedCredentials> credentials(CredentialGrant grant);

  /** Keeps the grant's identity fresh in the background until the handle is closed. */
  AutoCloseable holdFresh(CredentialGrant grant);
}
