package dev.atmosd.daemon.config;

import dev.atmosd.daemon.aws.AwsEndpoints;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns the merged {@code auth} mapping into {@link ProviderConfig}s and {@link IdentityConfig}s, checking each entry
 * on its own (required fields, kinds, value types). Cross-references ({@code via}, cycles) are
 * {@link ReferenceCheck}'s job. Every message names the file the entry came from and the field.
 */
final class AuthSectionParser {
  private final Path source;
  private final Map<String, Path> origins;
  private final Set<String> provisionedNames;
  private final Map<String, String> clientEnv;
  private final Map<String, String> daemonEnv;

  /**
   * @param origins lowercase {@code providers.<name>} / {@code identities.<name>} → the last file that set it
   * @param provisionedNames lowercase identity names that came from a provisioned-identities file
   */
  AuthSectionParser(Path source, Map<String, Path> origins, Set<String> provisionedNames,
      Map<String, String> clientEnv, Map<String, String> daemonEnv) {
    this.source = source;
    this.origins = origins;
    this.provisionedNames = provisionedNames;
    this.clientEnv = clientEnv;
    this.daemonEnv = daemonEnv;
  }

  static String originKey(String section, String name) {
    return section + "." + name.toLowerCase(Locale.ROOT);
  }

  /** Go's validator.ValidateLogsConfig, which runs before the providers: {@code auth.logs.level}, case as written. */
  void checkLogs(Map<String, Object> auth) {
    Map<String, Object> logs = auth == null ? null : mapping(auth, "logs", source, "auth.logs");
    String level = logs == null ? null : text(logs, "level", source, "auth.logs");
    if (level != null && !List.of("Debug", "Info", "Warn", "Error").contains(level)) {
      throw new ConfigException(source + ": auth.logs.level: invalid log level \"" + level + "\", must be one of:"
          + " Debug, Info, Warn, Error");
    }
  }

  Map<String, ProviderConfig> providers(Map<String, Object> auth) {
    Map<String, Object> section = auth == null ? null : mapping(auth, "providers", source, "auth.providers");
    Map<String, ProviderConfig> providers = new LinkedHashMap<>();
    if (section == null) {
      // Go accepts identities without providers (aws/user, ambient); a command needing one says so.
      return providers;
    }
    for (Map.Entry<String, Object> entry : section.entrySet()) {
      providers.put(entry.getKey(), provider(entry.getKey(), entry.getValue()));
    }
    return providers;
  }

  /**
   * @param providers the parsed providers: with auto-provisioning on, an entry that only adds fields (no {@code kind})
   *     to an identity not discovered yet is skipped with a warning instead of failing. Otherwise a config that marks
   *     a provisioned identity {@code default: true} could not even be loaded for the login that discovers it.
   */
  Map<String, IdentityConfig> identities(Map<String, Object> auth, Map<String, ProviderConfig> providers,
      List<String> warnings) {
    Map<String, Object> section = auth == null ? null : mapping(auth, "identities", source, "auth.identities");
    Map<String, IdentityConfig> identities = new LinkedHashMap<>();
    boolean discovers = providers.values().stream().anyMatch(ProviderConfig::autoProvisionIdentities);
    if (section != null) {
      for (Map.Entry<String, Object> entry : section.entrySet()) {
        String name = entry.getKey();
        if (discovers && isOverlayWithoutIdentity(name, entry.getValue())) {
          Path file = origins.getOrDefault(originKey("identities", name), source);
          warnings.add(file + ": auth.identities." + name + " sets no kind and no provisioned identity of that name"
              + " exists yet: it applies once atmos auth login discovers it");
          continue;
        }
        identities.put(name, identity(name, entry.getValue()));
      }
    }
    return identities;
  }

  private boolean isOverlayWithoutIdentity(String name, Object value) {
    return value instanceof Map<?, ?> body
        && DeepMerge.getIgnoringCase(castMap(body), "kind") == null
        && !provisionedNames.contains(name.toLowerCase(Locale.ROOT));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> castMap(Map<?, ?> map) {
    return (Map<String, Object>) map;
  }

  private ProviderConfig provider(String name, Object value) {
    Path file = origins.getOrDefault(originKey("providers", name), source);
    String field = "auth.providers." + name;
    Map<String, Object> body = entryBody(value, file, field);
    String kind = text(body, "kind", file, field);
    boolean autoProvision = bool(body, "auto_provision_identities", file, field);
    // Go's validator.ValidateProvider and factory.NewProvider: the phrases stay Go's.
    if (kind == null) {
      throw new ConfigException(file + ": " + field + ".kind: provider kind is required: set kind: "
          + ProviderConfig.KIND_IDENTITY_CENTER + " (or another kind atmos knows)");
    }
    if (!AuthKinds.GO_PROVIDER_KINDS.contains(kind)) {
      throw new ConfigException(file + ": " + field + ".kind: unsupported provider kind: " + kind
          + ": use one of " + String.join(", ", new java.util.TreeSet<>(AuthKinds.GO_PROVIDER_KINDS)));
    }
    if (autoProvision && !ProviderConfig.KIND_IDENTITY_CENTER.equals(kind)) {
      throw new ConfigException(file + ": " + field + ".auto_provision_identities needs kind "
          + ProviderConfig.KIND_IDENTITY_CENTER + " (this provider is " + kind + "): remove it");
    }
    String startUrl = text(body, "start_url", file, field);
    String region = text(body, "region", file, field);
    Map<String, Object> spec = mapping(body, "spec", file, field + ".spec");
    String audience = null;
    switch (kind) {
      case ProviderConfig.KIND_IDENTITY_CENTER -> {
        if (startUrl == null) {
          throw new ConfigException(file + ": " + field + ".start_url is missing: set it to your AWS access portal"
              + " URL (https://<id>.awsapps.com/start)");
        }
        if (region == null) {
          throw new ConfigException(file + ": " + field + ".region is missing: set it to the IAM Identity Center"
              + " region (e.g. us-east-1)");
        }
      }
      case ProviderConfig.KIND_SAML -> {
        // Go's saml.go: url and region are required.
        startUrl = text(body, "url", file, field);
        if (startUrl == null) {
          throw new ConfigException(file + ": " + field + ".url is missing: url is required for AWS SAML provider");
        }
        if (region == null) {
          throw new ConfigException(file + ": " + field + ".region is missing: region is required for AWS SAML"
              + " provider");
        }
      }
      case ProviderConfig.KIND_GITHUB_OIDC -> {
        // Go's github oidc.go: region is required; spec.audience is read when set.
        audience = spec == null ? null : text(spec, "audience", file, field + ".spec");
        if (region == null) {
          throw new ConfigException(file + ": " + field + ".region is missing: region is required for GitHub OIDC"
              + " provider");
        }
      }
      default -> { }
    }
    String endpointUrl = spec == null ? null : text(spec, "endpoint_url", file, field + ".spec");
    AwsEndpoints endpoints;
    try {
      endpoints = AwsEndpoints.resolve(endpointUrl, clientEnv, daemonEnv);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(file + ": " + field + ".spec.endpoint_url (or AWS_ENDPOINT_URL*) is not a valid URL: fix it");
    }
    Map<String, Object> session = mapping(body, "session", file, field + ".session");
    Map<String, Object> console = mapping(body, "console", file, field + ".console");
    return new ProviderConfig(name, kind, startUrl, region, autoProvision, bool(body, "default", file, field),
        endpoints, provisioning(body, spec, file, field),
        session == null ? null : duration(session, "duration", file, field + ".session"),
        console == null ? null : duration(console, "session_duration", file, field + ".console"),
        audience, spec == null ? Map.of() : Definitions.withoutSecrets(spec), Definitions.withoutSecrets(body),
        AuthKinds.providerNotRunReason(kind));
  }

  private ProviderConfig.ProvisioningSettings provisioning(Map<String, Object> body, Map<String, Object> spec,
      Path file, String field) {
    Map<String, Object> provisioning = mapping(body, "provisioning", file, field + ".provisioning");
    ProviderConfig.ProvisioningSettings defaults = ProviderConfig.ProvisioningSettings.DEFAULT;
    Map<String, Object> discovery = spec == null ? null : mapping(spec, "discovery", file, field + ".spec.discovery");
    DiscoveryFilter filter = discoveryFilter(discovery, file, field + ".spec.discovery");
    IdentityNameTemplate nameTemplate = nameTemplate(discovery, file, field + ".spec.discovery");
    if (provisioning == null) {
      return new ProviderConfig.ProvisioningSettings(defaults.interval(), defaults.parallelism(), filter, nameTemplate);
    }
    String where = field + ".provisioning";
    Duration interval = duration(provisioning, "interval", file, where);
    String parallelismText = text(provisioning, "parallelism", file, where);
    int parallelism = defaults.parallelism();
    if (parallelismText != null) {
      try {
        parallelism = Integer.parseInt(parallelismText);
      } catch (NumberFormatException e) {
        parallelism = 0;
      }
      if (parallelism < 1 || parallelism > 64) {
        throw new ConfigException(file + ": " + where + ".parallelism \"" + parallelismText
            + "\" must be a whole number from 1 to 64");
      }
    }
    return new ProviderConfig.ProvisioningSettings(interval == null ? defaults.interval() : interval, parallelism,
        filter, nameTemplate);
  }

  /** {@code spec.discovery.filters}; everything when absent. */
  private static DiscoveryFilter discoveryFilter(Map<String, Object> discovery, Path file, String where) {
    Map<String, Object> filters = discovery == null ? null : mapping(discovery, "filters", file, where + ".filters");
    if (filters == null) {
      return DiscoveryFilter.ALL;
    }
    String at = where + ".filters";
    List<String> accounts = words(filters, "accounts", file, at);
    List<String> roles = words(filters, "roles", file, at);
    String accountPattern = text(filters, "account_pattern", file, at);
    String rolePattern = text(filters, "role_pattern", file, at);
    for (String[] pattern : new String[][] {{"account_pattern", accountPattern}, {"role_pattern", rolePattern}}) {
      if (pattern[1] != null) {
        try {
          java.util.regex.Pattern.compile(pattern[1]);
        } catch (java.util.regex.PatternSyntaxException e) {
          throw new ConfigException(file + ": " + at + "." + pattern[0] + " \"" + pattern[1]
              + "\" is not a regular expression (" + e.getDescription() + " at index " + e.getIndex() + "): fix it");
        }
      }
    }
    return new DiscoveryFilter(accounts, accountPattern, roles, rolePattern);
  }

  /** {@code spec.discovery.identity_name_template}; {@code {{ .AccountName }}/{{ .RoleName }}} when absent. */
  private static IdentityNameTemplate nameTemplate(Map<String, Object> discovery, Path file, String where) {
    String text = discovery == null ? null : text(discovery, "identity_name_template", file, where);
    if (text == null) {
      return IdentityNameTemplate.DEFAULT;
    }
    try {
      return IdentityNameTemplate.parse(text);
    } catch (IdentityNameTemplate.InvalidTemplateException e) {
      throw new ConfigException(file + ": " + where + ".identity_name_template: " + e.getMessage());
    }
  }

  /** A list of names, or one name; blank entries dropped. */
  private static List<String> words(Map<String, Object> parent, String key, Path file, String field) {
    Object value = DeepMerge.getIgnoringCase(parent, key);
    if (value == null) {
      return List.of();
    }
    if (value instanceof String one) {
      return one.isBlank() ? List.of() : List.of(one.strip());
    }
    if (value instanceof List<?> list) {
      List<String> out = new java.util.ArrayList<>();
      for (Object item : list) {
        if (!(item instanceof String word)) {
          throw new ConfigException(file + ": " + field + "." + key + " must be a list of names");
        }
        if (!word.isBlank()) {
          out.add(word.strip());
        }
      }
      return List.copyOf(out);
    }
    throw new ConfigException(file + ": " + field + "." + key + " must be a list of names");
  }

  private IdentityConfig identity(String name, Object value) {
    Path file = origins.getOrDefault(originKey("identities", name), source);
    String field = "auth.identities." + name;
    Map<String, Object> body = entryBody(value, file, field);
    String kind = text(body, "kind", file, field);
    // Go's validator.ValidateIdentity, validateViaConfiguration and factory.NewIdentity: the phrases stay Go's.
    if (kind == null) {
      throw new ConfigException(file + ": " + field + ".kind: identity kind is required: set kind: "
          + IdentityConfig.KIND_PERMISSION_SET + " or " + IdentityConfig.KIND_ASSUME_ROLE);
    }
    if (!AuthKinds.GO_IDENTITY_KINDS.contains(kind)) {
      throw new ConfigException(file + ": " + field + ".kind: unsupported identity kind: " + kind
          + ": use one of " + String.join(", ", new java.util.TreeSet<>(AuthKinds.GO_IDENTITY_KINDS)));
    }
    Map<String, Object> via = mapping(body, "via", file, field + ".via");
    String viaProvider = via == null ? null : text(via, "provider", file, field + ".via");
    String viaIdentity = via == null ? null : text(via, "identity", file, field + ".via");
    if (via != null && !IdentityConfig.KIND_USER.equals(kind)) {
      if (viaProvider == null && viaIdentity == null) {
        throw new ConfigException(file + ": " + field + ".via: exactly one of via.provider or via.identity must be"
            + " set");
      }
      if (viaProvider != null && viaIdentity != null) {
        throw new ConfigException(file + ": " + field + ".via: via.provider and via.identity are mutually"
            + " exclusive; only one can be set");
      }
    }
    String provider = text(body, "provider", file, field);
    IdentityConfig.Principal principal = null;
    IdentityConfig.AssumeRootPrincipal rootPrincipal = null;
    if (IdentityConfig.KIND_PERMISSION_SET.equals(kind) || IdentityConfig.KIND_ASSUME_ROLE.equals(kind)) {
      principal = principal(kind, body, file, field);
    } else if (IdentityConfig.KIND_ASSUME_ROOT.equals(kind)) {
      rootPrincipal = rootPrincipal(body, file, field);
    }
    Map<String, Object> principalBody = mapping(body, "principal", file, field + ".principal");
    String principalRegion = principalBody == null ? null : text(principalBody, "region", file, field + ".principal");
    Map<String, Object> session = mapping(body, "session", file, field + ".session");
    return new IdentityConfig(name, kind, viaProvider, viaIdentity, provider, principal,
        bool(body, "default", file, field), provisionedNames.contains(name.toLowerCase(Locale.ROOT)),
        env(body, file, field), text(body, "alias", file, field), tags(body, file, field),
        bool(body, "required", file, field),
        session == null ? null : duration(session, "duration", file, field + ".session"), rootPrincipal,
        userCredentials(kind, body, file, field), principalRegion, Definitions.withoutSecrets(body),
        AuthKinds.identityNotRunReason(kind));
  }

  /** aws/assume-root: Go's assume_root.go validateTargetPrincipal / validateTaskPolicyArn. */
  private IdentityConfig.AssumeRootPrincipal rootPrincipal(Map<String, Object> body, Path file, String field) {
    String where = field + ".principal";
    Map<String, Object> principal = mapping(body, "principal", file, where);
    if (principal == null) {
      throw new ConfigException(file + ": " + where + " is missing: add principal with target_principal and"
          + " task_policy_arn");
    }
    String target = text(principal, "target_principal", file, where);
    if (target == null) {
      throw new ConfigException(file + ": " + where + ".target_principal is missing: set the 12-digit member"
          + " account ID");
    }
    if (!target.matches("\\d{12}")) {
      throw new ConfigException(file + ": " + where + ".target_principal \"" + target + "\": target_principal must"
          + " be a 12-digit AWS account ID");
    }
    String policy = text(principal, "task_policy_arn", file, where);
    if (policy == null) {
      throw new ConfigException(file + ": " + where + ".task_policy_arn is missing: set an AWS-managed root task"
          + " policy ARN (" + ROOT_TASK_POLICY_PREFIX + "...)");
    }
    if (!policy.startsWith(ROOT_TASK_POLICY_PREFIX)) {
      throw new ConfigException(file + ": " + where + ".task_policy_arn \"" + policy + "\": task_policy_arn must be"
          + " an AWS-managed root task policy (" + ROOT_TASK_POLICY_PREFIX + "...)");
    }
    return new IdentityConfig.AssumeRootPrincipal(target, policy, duration(principal, "duration", file, where),
        text(principal, "region", file, where));
  }

  private static final String ROOT_TASK_POLICY_PREFIX = "arn:aws:iam::aws:policy/root-task/";

  /** aws/user {@code credentials}; every field optional (Go falls back to the keyring). */
  private IdentityConfig.UserCredentials userCredentials(String kind, Map<String, Object> body, Path file,
      String field) {
    if (!IdentityConfig.KIND_USER.equals(kind)) {
      return null;
    }
    String where = field + ".credentials";
    Map<String, Object> credentials = mapping(body, "credentials", file, where);
    if (credentials == null) {
      return null;
    }
    return new IdentityConfig.UserCredentials(text(credentials, "access_key_id", file, where),
        text(credentials, "secret_access_key", file, where), text(credentials, "region", file, where),
        text(credentials, "mfa_arn", file, where));
  }

  private static List<String> tags(Map<String, Object> body, Path file, String field) {
    return words(body, "tags", file, field);
  }

  private IdentityConfig.Principal principal(String kind, Map<String, Object> body, Path file, String field) {
    String where = field + ".principal";
    Map<String, Object> principal = mapping(body, "principal", file, where);
    if (principal == null) {
      principal = Map.of();
    }
    Map<String, Object> account = mapping(principal, "account", file, where + ".account");
    String accountId = account == null ? null : text(account, "id", file, where + ".account");
    String accountName = account == null ? null : text(account, "name", file, where + ".account");
    String permissionSet = text(principal, "name", file, where);
    String assumeRole = text(principal, "assume_role", file, where);
    if (IdentityConfig.KIND_PERMISSION_SET.equals(kind)) {
      if (permissionSet == null) {
        throw new ConfigException(file + ": " + where + ".name is missing: set the permission set name"
            + " (e.g. AdministratorAccess)");
      }
      if (accountId == null && accountName == null) {
        throw new ConfigException(file + ": " + where + ".account is missing: set account.id (12 digits) or"
            + " account.name");
      }
      if (accountId != null && !accountId.matches("\\d{12}")) {
        throw new ConfigException(file + ": " + where + ".account.id \"" + accountId + "\" is not a 12-digit AWS"
            + " account id: fix it, or use account.name");
      }
    } else if (assumeRole == null) {
      throw new ConfigException(file + ": " + where + ".assume_role is missing: set the ARN of the role to assume");
    }
    return new IdentityConfig.Principal(permissionSet, accountId, accountName, assumeRole,
        text(principal, "external_id", file, where), duration(principal, "duration", file, where),
        text(principal, "session_name", file, where), text(principal, "region", file, where));
  }

  private static Map<String, String> env(Map<String, Object> body, Path file, String field) {
    Object value = DeepMerge.getIgnoringCase(body, "env");
    Map<String, String> env = new LinkedHashMap<>();
    if (value == null) {
      return env;
    }
    if (value instanceof Map<?, ?> map) {
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        env.put(variableName(String.valueOf(entry.getKey()), file, field),
            scalarOrEmpty(entry.getValue(), file, field + ".env." + entry.getKey()));
      }
      return env;
    }
    if (value instanceof List<?> list) {
      for (Object item : list) {
        if (!(item instanceof Map<?, ?> pair) || pair.get("key") == null) {
          throw new ConfigException(file + ": " + field + ".env entries must be {key: NAME, value: VALUE}: fix the"
              + " entry without a key");
        }
        env.put(variableName(scalarOrEmpty(pair.get("key"), file, field + ".env"), file, field),
            scalarOrEmpty(pair.get("value"), file, field + ".env"));
      }
      return env;
    }
    throw new ConfigException(file + ": " + field + ".env must be a list of {key, value} or a mapping");
  }

  private static final java.util.regex.Pattern VARIABLE_NAME = java.util.regex.Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  /** An env name is printed bare by `auth env` (and eval'd): only a plain variable name is safe there. */
  private static String variableName(String name, Path file, String field) {
    if (!VARIABLE_NAME.matcher(name).matches()) {
      throw new ConfigException(file + ": " + field + ".env key \"" + name + "\" is not a variable name: use letters,"
          + " digits and _ only, not starting with a digit");
    }
    return name;
  }

  private static String scalarOrEmpty(Object value, Path file, String field) {
    if (value == null) {
      return "";
    }
    if (value instanceof String text) {
      return text;
    }
    throw new ConfigException(file + ": " + field + " must be a single value");
  }

  // ------------------------------------------------------------------------------------------------- field readers

  private static Map<String, Object> entryBody(Object value, Path file, String field) {
    if (value == null) {
      throw new ConfigException(file + ": " + field + " is empty: give it a kind and its settings");
    }
    if (!(value instanceof Map<?, ?>)) {
      throw new ConfigException(file + ": " + field + " must be a mapping (kind: ..., ...), not a single value");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> body = (Map<String, Object>) value;
    return body;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> mapping(Map<String, Object> parent, String key, Path file, String field) {
    Object value = DeepMerge.getIgnoringCase(parent, key);
    if (value == null) {
      return null;
    }
    if (value instanceof Map<?, ?> map) {
      return (Map<String, Object>) map;
    }
    throw new ConfigException(file + ": " + field + " must be a mapping (key: value)");
  }

  private static String text(Map<String, Object> parent, String key, Path file, String field) {
    Object value = DeepMerge.getIgnoringCase(parent, key);
    if (value == null) {
      return null;
    }
    if (value instanceof String text) {
      String stripped = text.strip();
      return stripped.isEmpty() ? null : stripped;
    }
    throw new ConfigException(file + ": " + field + "." + key + " must be a single value");
  }

  private static boolean bool(Map<String, Object> parent, String key, Path file, String field) {
    String value = text(parent, key, file, field);
    if (value == null) {
      return false;
    }
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "true", "yes", "on" -> true;
      case "false", "no", "off" -> false;
      default -> throw new ConfigException(file + ": " + field + "." + key + " is \"" + value
          + "\": use true or false");
    };
  }

  private static Duration duration(Map<String, Object> parent, String key, Path file, String field) {
    String value = text(parent, key, file, field);
    if (value == null) {
      return null;
    }
    Duration parsed = GoDurations.parse(value);
    if (parsed == null || parsed.isZero()) {
      throw new ConfigException(file + ": " + field + "." + key + " \"" + value
          + "\" is not a duration: use e.g. 1h, 30m, 1h30m or 90s");
    }
    return parsed;
  }
}
