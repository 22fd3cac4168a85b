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

    @Override
    public boolean keepsSignInAlive() {
      return false;
    }
  };

  /** Whether a device flow may be started for this waiter (false when nobody could see its code). */
  default boolean mayStartSignIn() {
    return true;
  }

  /**
   * Whether this waiter counts as someone waiting on a device flow: a client that shows the code to a person. When no
   * such waiter is left, the flow is abandoned after a grace period. Background work never keeps a flow running.
   */
  default boolean keepsSignInAlive() {
    return true;
  }

  /**
   * Runs {@code onGone} once this waiter's client has gone away (disconnected, Ctrl-C, deadline passed), or at once if
   * it already has. Waiters inside the daemon never go away this way; they cancel their future instead.
   */
  default void whenGone(Runnable onGone) {}

  /** Whether this waiter's client may open a browser (false for --no-browser, CI, background work). */
  default boolean mayOpenBrowser() {
    return false;
  }

  /** A device flow this waiter joined or started; {@code prompt.openBrowser()} is true for exactly one waiter. */
  default void onDeviceAuthorization(DeviceAuthorizationPrompt prompt) {}

  /** A line of progress worth showing ("refreshing the session of company-sso"). */
  default void onProgress(String message) {}
}
