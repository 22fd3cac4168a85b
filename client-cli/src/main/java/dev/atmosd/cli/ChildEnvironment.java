package dev.atmosd.cli;

import dev.atmosd.v1.EndpointGrant;
import java.util.Map;
import java.util.TreeMap;

/**
 * The environment of a command run by {@code auth exec} / {@code terraform}: the caller's environment without
 * anything that could make an SDK pick other credentials, plus the daemon's endpoint for exactly one identity. An
 * ambient identity's grant passes the caller's own credentials through instead.
 */
public final class ChildEnvironment {
  private ChildEnvironment() {}

  public static Map<String, String> build(Map<String, String> current, EndpointGrant grant) {
    Map<String, String> env = new TreeMap<>(current);
    if (!grant.getPassthrough()) {
      CredentialEnvironment.SHADOWING.forEach(env::remove);
    }
    // The endpoint's variables, including the ones that keep ~/.aws profiles and instance metadata out of the way.
    env.putAll(CredentialEnvironment.forGrant(grant));
    env.put("ATMOS_IDENTITY", grant.getIdentity());
    return env;
  }
}
