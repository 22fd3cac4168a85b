package dev.atmosd.daemon.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Checks what single entries cannot: every {@code via}/{@code provider} names something configured, and no
 * {@code via.identity} chain loops back on itself. Names compare case-insensitively, as in atmos.
 */
final class ReferenceCheck {
  private ReferenceCheck() {}

  /**
   * @param warnings receives a {@code via.identity} that names no identity yet while an auto-provisioning provider
   *     has not discovered any: it may be a provisioned name (removed by logout, back after the next login), and
   *     failing the config would refuse the very login that brings it back (issue 11 item 8).
   */
  static void check(Map<String, ProviderConfig> providers, Map<String, IdentityConfig> identities,
      Map<String, Path> origins, Path source, List<String> warnings) {
    List<String> undiscovered = undiscoveredProviders(providers, identities);
    for (IdentityConfig identity : identities.values()) {
      Path file = origins.getOrDefault(AuthSectionParser.originKey("identities", identity.name()), source);
      String field = "auth.identities." + identity.name();
      if (identity.viaProvider() != null) {
        requireProvider(providers, identity.viaProvider(), file, field + ".via.provider");
      }
      if (identity.provider() != null) {
        requireProvider(providers, identity.provider(), file, field + ".provider");
      }
      if (identity.viaIdentity() != null && Lookup.ignoringCase(identities, identity.viaIdentity()) == null) {
        if (!undiscovered.isEmpty()) {
          warnings.add(file + ": " + field + ".via.identity \"" + identity.viaIdentity() + "\" is not configured yet;"
              + " it may be provisioned by " + String.join(", ", undiscovered) + ": run atmos auth login --provider "
              + undiscovered.get(0) + " to discover it");
          continue;
        }
        throw new ConfigException(file + ": " + field + ".via.identity \"" + identity.viaIdentity()
            + "\" is not a configured identity" + suggestion(identity.viaIdentity(), identities.keySet(),
                "add it under auth.identities or fix the name"));
      }
    }
    for (IdentityConfig identity : identities.values()) {
      List<String> loop = loopFrom(identity, identities);
      if (loop != null) {
        Path file = origins.getOrDefault(AuthSectionParser.originKey("identities", identity.name()), source);
        throw new ConfigException(file + ": auth.identities via.identity chain loops: " + String.join(" -> ", loop)
            + ": point one of them at a provider or another identity");
      }
    }
  }

  /** Auto-provisioning providers with no provisioned identity loaded: their discovery has not run (or was undone). */
  private static List<String> undiscoveredProviders(Map<String, ProviderConfig> providers,
      Map<String, IdentityConfig> identities) {
    List<String> undiscovered = new ArrayList<>();
    for (ProviderConfig provider : providers.values()) {
      boolean discovered = identities.values().stream().anyMatch(i -> i.provisioned()
          && (provider.name().equalsIgnoreCase(i.viaProvider()) || provider.name().equalsIgnoreCase(i.provider())));
      if (provider.autoProvisionIdentities() && !discovered) {
        undiscovered.add(provider.name());
      }
    }
    return undiscovered;
  }

  /** The names around a cycle reachable from {@code start} ({@code a -> b -> a}), or null when the chain ends. */
  static List<String> loopFrom(IdentityConfig start, Map<String, IdentityConfig> identities) {
    List<String> path = new ArrayList<>();
    Set<String> onPath = new HashSet<>();
    IdentityConfig current = start;
    while (current != null) {
      String key = current.name().toLowerCase(Locale.ROOT);
      if (!onPath.add(key)) {
        int loopStart = 0;
        while (!path.get(loopStart).equalsIgnoreCase(current.name())) {
          loopStart++;
        }
        List<String> loop = new ArrayList<>(path.subList(loopStart, path.size()));
        loop.add(path.get(loopStart));
        return loop;
      }
      path.add(current.name());
      current = current.viaIdentity() == null ? null : Lookup.ignoringCase(identities, current.viaIdentity());
    }
    return null;
  }

  private static void requireProvider(Map<String, ProviderConfig> providers, String name, Path file, String field) {
    if (Lookup.ignoringCase(providers, name) == null) {
      throw new ConfigException(file + ": " + field + " \"" + name + "\" is not a configured provider"
          + suggestion(name, providers.keySet(), "add it under auth.providers or fix the name"));
    }
  }

  private static String suggestion(String wanted, Set<String> names, String otherwise) {
    String near = NearestNames.didYouMean(wanted, names);
    return near.isEmpty() ? ": " + otherwise : near;
  }
}
