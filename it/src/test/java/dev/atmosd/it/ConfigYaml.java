package dev.atmosd.it;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds an atmos.yaml {@code auth:} section the way a user would write it. */
public final class ConfigYaml {
  private static final YAMLMapper YAML = YAMLMapper.builder()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
      .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
      .build();

  private final Map<String, Object> providers = new LinkedHashMap<>();
  private final Map<String, Object> identities = new LinkedHashMap<>();

  public static ConfigYaml create() {
    return new ConfigYaml();
  }

  /** An {@code aws/iam-identity-center} provider pointed at the emulator. */
  public ConfigYaml ssoProvider(String name, String startUrl, String region, String endpointUrl) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("kind", "aws/iam-identity-center");
    if (startUrl != null) {
      p.put("start_url", startUrl);
    }
    if (region != null) {
      p.put("region", region);
    }
    if (endpointUrl != null) {
      p.put("spec", new LinkedHashMap<>(Map.of("endpoint_url", endpointUrl)));
    }
    providers.put(name, p);
    return this;
  }

  @SuppressWarnings("unchecked")
  public ConfigYaml providerField(String provider, String field, Object value) {
    ((Map<String, Object>) providers.get(provider)).put(field, value);
    return this;
  }

  public ConfigYaml autoProvision(String provider) {
    return providerField(provider, "auto_provision_identities", true);
  }

  /** Any provider entry, as written (kinds atmosd only accepts, extra fields). */
  public ConfigYaml provider(String name, Map<String, Object> body) {
    providers.put(name, new LinkedHashMap<>(body));
    return this;
  }

  /** Any identity entry, as written. */
  public ConfigYaml identity(String name, Map<String, Object> body) {
    identities.put(name, new LinkedHashMap<>(body));
    return this;
  }

  public ConfigYaml permissionSet(String name, String provider, String permissionSet, String accountName) {
    Map<String, Object> i = new LinkedHashMap<>();
    i.put("kind", "aws/permission-set");
    i.put("via", Map.of("provider", provider));
    i.put("principal", Map.of("name", permissionSet, "account", Map.of("name", accountName)));
    identities.put(name, i);
    return this;
  }

  public ConfigYaml assumeRole(String name, String viaIdentity, String roleArn) {
    Map<String, Object> i = new LinkedHashMap<>();
    i.put("kind", "aws/assume-role");
    i.put("via", Map.of("identity", viaIdentity));
    i.put("principal", Map.of("assume_role", roleArn));
    identities.put(name, i);
    return this;
  }

  /** Marks an identity default; for a provisioned identity this adds an override entry holding only that flag. */
  @SuppressWarnings("unchecked")
  public ConfigYaml defaultIdentity(String name) {
    ((Map<String, Object>) identities.computeIfAbsent(name, k -> new LinkedHashMap<>())).put("default", true);
    return this;
  }

  /** The identity's own {@code env:} entries (atmos' list-of-key/value shape). */
  @SuppressWarnings("unchecked")
  public ConfigYaml identityEnv(String name, String key, String value) {
    Map<String, Object> i = (Map<String, Object>) identities.get(name);
    List<Object> env = (List<Object>) i.computeIfAbsent("env", k -> new java.util.ArrayList<>());
    env.add(Map.of("key", key, "value", value));
    return this;
  }

  public String render() {
    Map<String, Object> auth = new LinkedHashMap<>();
    auth.put("providers", providers);
    if (!identities.isEmpty()) {
      auth.put("identities", identities);
    }
    try {
      return YAML.writeValueAsString(Map.of("auth", auth));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public String toString() {
    return render();
  }
}
