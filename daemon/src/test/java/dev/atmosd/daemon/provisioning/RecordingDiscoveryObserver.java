package dev.atmosd.daemon.provisioning;

import dev.atmosd.daemon.config.ProvisionedIdentity;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps every event a discovery streamed to it, in order. */
class RecordingDiscoveryObserver implements IdentityProvisioner.ProvisioningObserver {
  record Progress(int accountsDone, int accountsTotal) {}

  final List<ProvisionedIdentity> identities = new CopyOnWriteArrayList<>();
  final List<Progress> progress = new CopyOnWriteArrayList<>();
  final List<String> warnings = new CopyOnWriteArrayList<>();

  @Override
  public void onIdentity(ProvisionedIdentity identity, int accountsDone, int accountsTotal) {
    identities.add(identity);
    progress.add(new Progress(accountsDone, accountsTotal));
  }

  @Override
  public void onWarning(String message) {
    warnings.add(message);
  }

  List<String> names() {
    return identities.stream().map(ProvisionedIdentity::name).toList();
  }
}
