package dev.atmosd.daemon.rpc;

import dev.atmosd.v1.ClientContext;
import dev.atmosd.v1.EnvironmentVariable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The environment variables a client sent with its call, by name; a name sent twice keeps its last value. */
final class ClientEnvironment {
  private ClientEnvironment() {}

  static Map<String, String> of(ClientContext context) {
    if (context.getEnvironmentCount() == 0) {
      return Map.of();
    }
    Map<String, String> byName = new LinkedHashMap<>();
    for (EnvironmentVariable variable : context.getEnvironmentList()) {
      byName.put(variable.getName(), variable.getValue());
    }
    return Collections.unmodifiableMap(byName);
  }

  /** The client's whole environment for its atmos.yaml's YAML functions; empty from an older client. */
  static Map<String, String> forFunctions(ClientContext context) {
    Map<String, String> byName = new LinkedHashMap<>();
    for (EnvironmentVariable variable : context.getFunctionEnvironmentList()) {
      byName.put(variable.getName(), variable.getValue());
    }
    return byName;
  }
}
