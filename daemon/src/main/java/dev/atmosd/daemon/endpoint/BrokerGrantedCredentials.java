package dev.atmosd.daemon.endpoint;

import dev.atmosd.daemon.config.ConfigLoader;
import dev.atmosd.daemon.credentials.CredentialBroker;
import dev.atmosd.daemon.credentials.MintedCredentials;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Serves a grant from the broker, reloading the grant's atmos.yaml on each fetch so an edited identity is re-resolved
 * (the broker's cache key changes with the definition). No sign-in can be shown from here: when the portal needs one
 * the fetch fails and the user runs {@code atmos auth login}.
 */
final class BrokerGrantedCredentials implements GrantedCredentials {
  private final CredentialBroker broker;
  private final ConfigLoader configLoader;
  private final Executor fileWork;

  BrokerGrantedCredentials(CredentialBroker broker, ConfigLoader configLoader, Executor fileWork) {
    this.broker = broker;
    this.configLoader = configLoader;
    this.fileWork = fileWork;
  }

  @Override
  public CompletableFuture<MintedCredentials> credentials(CredentialGrant grant) {
    return CompletableFuture.supplyAsync(() -> configLoader.load(grant.config(), grant.clientEnv(), Map.of()), fileWork)
        .thenCompose(config -> broker.credentialsWithoutSignIn(config, grant.identity()));
  }

  @Override
  public AutoCloseable holdFresh(CredentialGrant grant) {
    return broker.holdFresh(grant.configPath(), grant.identity());
  }
}
