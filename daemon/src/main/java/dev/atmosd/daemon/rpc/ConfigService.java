package dev.atmosd.daemon.rpc;

import dev.atmosd.daemon.config.AtmosConfig;
import dev.atmosd.v1.ConfigGrpc;
import dev.atmosd.v1.ValidateReply;
import dev.atmosd.v1.ValidateRequest;
import io.grpc.stub.StreamObserver;

/** {@code atmos auth validate}: loads the config as every other call would and reports what it found. */
public final class ConfigService extends ConfigGrpc.ConfigImplBase {
  private final ClientConfigs configs;

  public ConfigService(ClientConfigs configs) {
    this.configs = configs;
  }

  @Override
  public void validate(ValidateRequest request, StreamObserver<ValidateReply> response) {
    try {
      AtmosConfig config = configs.load(request.getContext());
      response.onNext(ValidateReply.newBuilder()
          .setConfigPath(config.source().toString())
          .setProviders(config.providers().size())
          .setIdentities(config.identities().size())
          .setProvisionedIdentities(config.provisionedIdentityCount())
          .addAllWarnings(config.warnings())
          .addAllImportedFiles(config.importedFiles().stream().map(Object::toString).toList())
          .addAllNotes(config.notRunNotes())
          .build());
      response.onCompleted();
    } catch (RuntimeException e) {
      response.onError(StatusErrors.toStatus(e));
    }
  }
}
