package dev.atmosd.daemon.keys;

/** A key store that cannot answer: locked, absent, or a wrong password. The message is one line a user can act on. */
public class KeyStoreException extends Exception {
  public KeyStoreException(String message) {
    super(message);
  }

  public KeyStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
