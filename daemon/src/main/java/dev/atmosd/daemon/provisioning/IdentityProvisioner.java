package dev.atmosd.daemon.provisioning;

import dev.atmosd.daemon.config.ProvisionedIdentity;
import dev.atmosd.daemon.config.ProviderConfig;
import java.util.concurrent.CompletableFuture;

/**
 * Discovers every account and permission set a provider's portal grants and writes them as atmos identities.
 * Several callers for one provider share one discovery; a caller that goes away does not stop it.
 * Never fails a login: the future completes with a result that may carry warnings, or exceptionally only for
 * programming errors.
 */
public interface IdentityProvisioner {

  CompletableFuture<ProvisioningResult> provision(ProviderConfig provider, ProvisioningObserver observer);

  /** Removes the provider's provisioned file (logout). True when one was removed. */
  boolean forget(ProviderConfig provider);

  /** Whether {@link #forget} would remove a file now (a logout's dry run); touches nothing. */
  boolean wouldForget(ProviderConfig provider);

  interface ProvisioningObserver {
    ProvisioningObserver NOBODY = new ProvisioningObserver() {};

    default void onIdentity(ProvisionedIdentity identity, int accountsDone, int accountsTotal) {}

    default void onWarning(String message) {}
  }
}
