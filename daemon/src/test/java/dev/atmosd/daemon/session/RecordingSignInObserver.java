package dev.atmosd.daemon.session;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A waiter that remembers the prompts it was shown. */
final class RecordingSignInObserver implements SignInObserver {
  final boolean mayOpenBrowser;
  final List<DeviceAuthorizationPrompt> prompts = new CopyOnWriteArrayList<>();
  final List<String> progress = new CopyOnWriteArrayList<>();

  RecordingSignInObserver(boolean mayOpenBrowser) {
    this.mayOpenBrowser = mayOpenBrowser;
  }

  @Override
  public boolean mayOpenBrowser() {
    return mayOpenBrowser;
  }

  @Override
  public void onDeviceAuthorization(DeviceAuthorizationPrompt prompt) {
    prompts.add(prompt);
  }

  @Override
  public void onProgress(String message) {
    progress.add(message);
  }

  boolean toldToOpenBrowser() {
    return prompts.stream().anyMatch(DeviceAuthorizationPrompt::openBrowser);
  }
}
