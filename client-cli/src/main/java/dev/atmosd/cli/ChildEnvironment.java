package dev.atmosd.cli;

import dev.atmosd.v1.EndpointGrant;
import java.util.Map;
import java.util.TreeMap;

/**
 * The environment of a command run by {@code auth exec} / {@code terraform}: the caller's environment without
 * anything that could make an SDK pick other credentials, plus the daemon's endpoint for exactly one identity.
 */
public final class ChildEnvironment {
  private ChildEnvironment() {}

  public static Map<String, String> build(Map<String, String> current, EndpointGrant grant) {
    Map<String, String> env = new TreeMap<>(current);
    CredentialEnvironment.SHADOWING.forEach(env::remove);
    env.putAll(grant.getIdentityEnvironmentMap());
    // A [default] profile with keys in ~/.aws would come before the container provider in the SDK chain.
    env.put("AWS_CONFIG_FILE", "/dev/null");
    env.put("AWS_SHARED_CREDENTIALS_FILE", "/dev/null");
    // Never fall through to instance metadata (a slow timeout off EC2, the wrong role on it).
    env.put("AWS_EC2_METADATA_DISABLED", "true");
    env.putAll(CredentialEnvironment.forGrant(grant));
    env.put("ATMOS_IDENTITY", grant.getIdentity());
    return env;
  }
}
