package dev.atmosd.daemon.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The {@code auth} section of an atmos.yaml after imports: provisioned identity files first, then the file's own
 * {@code import:} list, then the file itself deep-merged over them. Maps keep the order of the file.
 * Lookups match names case-insensitively (as atmos does) and keep the configured case for display.
 */
public record AtmosConfig(
    Path source,
    Map<String, ProviderConfig> providers,
    Map<String, IdentityConfig> identities,
    List<Path> importedFiles,
    List<String> warnings) {

  /** The provider called {@code name}; unknown → NOT_FOUND naming the nearest configured names. */
  public ProviderConfig provider(String name) {
    ProviderConfig found = Lookup.ignoringCase(providers, name);
    if (found == null) {
      throw ConfigException.notFound("no provider \"" + name + "\" in " + source
          + suggestion(name, providers.keySet(), "providers"));
    }
    return found;
  }

  /** The identity called {@code name}; unknown → NOT_FOUND naming the nearest configured names. */
  public IdentityConfig identity(String name) {
    IdentityConfig found = Lookup.ignoringCase(identities, name);
    if (found == null) {
      throw ConfigException.notFound("no identity \"" + name + "\" in " + source
          + suggestion(name, identities.keySet(), "identities"));
    }
    return found;
  }

  /** The one identity marked {@code default: true}. */
  public IdentityConfig defaultIdentity() {
    List<IdentityConfig> defaults = identities.values().stream().filter(IdentityConfig::isDefault).toList();
    if (defaults.isEmpty()) {
      throw ConfigException.notFound("no default identity: pass --identity or mark one `default: true` in " + source);
    }
    if (defaults.size() > 1) {
      throw new ConfigException("several default identities (" + String.join(", ",
          defaults.stream().map(IdentityConfig::name).toList()) + ") in " + source + ": keep one");
    }
    return defaults.get(0);
  }

  /** The only provider, else the one marked {@code default: true}. */
  public ProviderConfig defaultProvider() {
    if (providers.size() == 1) {
      return providers.values().iterator().next();
    }
    List<ProviderConfig> defaults = providers.values().stream().filter(ProviderConfig::isDefault).toList();
    if (defaults.size() == 1) {
      return defaults.get(0);
    }
    // A CI provider (github/oidc, ...) beside the one portal atmosd signs in to does not make the choice ambiguous.
    List<ProviderConfig> runnable = providers.values().stream().filter(ProviderConfig::runByAtmosd).toList();
    if (defaults.isEmpty() && runnable.size() == 1) {
      return runnable.get(0);
    }
    if (defaults.isEmpty()) {
      throw ConfigException.notFound("several providers (" + String.join(", ", providers.keySet()) + ") and none is"
          + " the default: pass --provider or mark one `default: true` in " + source);
    }
    throw new ConfigException("several default providers (" + String.join(", ",
        defaults.stream().map(ProviderConfig::name).toList()) + ") in " + source + ": keep one");
  }

  /**
   * The identities from the root provider outward, ending with {@code identity}: for an assume-role via a permission
   * set, {@code [permission-set, assume-role]}.
   */
  public List<IdentityConfig> chain(String identity) {
    IdentityConfig target = identity(identity);
    List<String> loop = ReferenceCheck.loopFrom(target, identities);
    if (loop != null) {
      throw new ConfigException("auth.identities via.identity chain loops in " + source + ": "
          + String.join(" -> ", loop) + ": point one of them at a provider or another identity");
    }
    List<IdentityConfig> chain = new ArrayList<>();
    for (IdentityConfig current = target; current != null;
        current = current.viaIdentity() == null ? null : identity(current.viaIdentity())) {
      chain.add(current);
    }
    Collections.reverse(chain);
    return List.copyOf(chain);
  }

  /** The provider at the root of {@code identity}'s chain. */
  public ProviderConfig rootProvider(String identity) {
    IdentityConfig root = chain(identity).get(0);
    String name = root.viaProvider() != null ? root.viaProvider() : root.provider();
    if (name == null) {
      throw new ConfigException("identity \"" + root.name() + "\" in " + source + " has no via.provider: name the"
          + " provider that signs it in");
    }
    return provider(name);
  }

  /** Every configured provider pointing at the portal {@code sessionKey} (several names may share one portal). */
  public List<ProviderConfig> providersOnPortal(String sessionKey) {
    return providers.values().stream().filter(p -> p.sessionKey().equals(sessionKey)).toList();
  }

  /**
   * One line naming every entry whose kind atmosd accepts but does not run, or none: {@code validate} shows it and
   * still succeeds, since only a command that uses such an entry fails.
   */
  public List<String> notRunNotes() {
    List<String> entries = new ArrayList<>();
    providers.values().stream().filter(p -> !p.runByAtmosd())
        .forEach(p -> entries.add("provider " + p.name() + " (" + p.kind() + ")"));
    identities.values().stream().filter(i -> !i.runByAtmosd())
        .forEach(i -> entries.add("identity " + i.name() + " (" + i.kind() + ")"));
    if (entries.isEmpty()) {
      return List.of();
    }
    return List.of("atmosd accepts but does not run " + String.join(", ", entries) + ": commands using them fail;"
        + " use the Go atmos for those, every other entry works here");
  }

  /** How many identities came from provisioned-identities files. */
  public int provisionedIdentityCount() {
    return (int) identities.values().stream().filter(IdentityConfig::provisioned).count();
  }

  private static String suggestion(String wanted, java.util.Set<String> names, String what) {
    String near = NearestNames.didYouMean(wanted, names);
    if (!near.isEmpty()) {
      return near;
    }
    return names.isEmpty() ? ": none are configured" : ": the configured " + what + " are listed by atmos auth list";
  }
}
