package dev.atmosd.daemon.keys;

import dev.atmosd.daemon.config.IdentityConfig.UserCredentials;
import java.util.Optional;

/**
 * Where an {@code aws/user} identity's long-lived keys live when atmos.yaml does not hold them: the OS key store
 * (Secret Service, Keychain) or, where there is none, an encrypted file, as the Go atmos's keyring does. The seam
 * between the key store and the minter that turns keys into session credentials, so each is built and tested alone.
 */
public interface UserKeyStore {

  /** The keys stored for {@code identity}, or empty when none are. */
  Optional<UserCredentials> find(String identity) throws KeyStoreException;

  /** Stores (or replaces) the keys of {@code identity}. */
  void store(String identity, UserCredentials keys) throws KeyStoreException;

  /** Removes the keys of {@code identity}; false when there were none. */
  boolean remove(String identity) throws KeyStoreException;

  /** What the store is, for messages and {@code status}: e.g. "Secret Service", "encrypted file ~/.atmos/keyring". */
  String describe();
}
