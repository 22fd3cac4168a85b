package dev.atmosd.daemon.session;

/**
 * One waiter on a portal's sign-in: a CLI stream, or a background refresh with nobody to tell. Called from the
 * engine's threads; implementations hand the event on and return at once.
 */
public interface SignInObserver {
  SignInObserver NOBODY = new SignInObserver() {};

  /**
   * Background work (re-minting credentials, discovery): uses a session that exists or can be renewed silently, but
   * never starts a device flow, since nobody would see its code.
   */
  SignInObserver BACKGROUND = new SignInObserver() {
    @Override
    public boolean mayStartSignIn() {
      return false;
    }
  };

  /** Whether a device flow may be started for this waiter (false when nobody could see its code). */
  default boolean mayStartSignIn() {
    return true;
  }

  /** Whether this waiter's client may open a browser (false for --no-browser, CI, background work). */
  default boolean mayOpenBrowser() {
    return false;
  }

  /** A device flow this waiter joined or started; {@code prompt.openBrowser()} is true for exactly one waiter. */
  default void onDeviceAuthorization(DeviceAuthorizationPrompt prompt) {}

  /** A line of progress worth showing ("refreshing the session of company-sso"). */
  default void onProgress(String message) {}
}
