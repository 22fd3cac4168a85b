package dev.atmosd.cli;

import com.google.protobuf.Struct;
import com.google.protobuf.Timestamp;
import com.google.protobuf.Value;
import dev.atmosd.v1.CallerIdentity;
import dev.atmosd.v1.CredentialState;
import dev.atmosd.v1.DaemonInfo;
import dev.atmosd.v1.IdentityInfo;
import dev.atmosd.v1.ListIdentitiesReply;
import dev.atmosd.v1.PortalSession;
import dev.atmosd.v1.ProviderInfo;
import dev.atmosd.v1.ProviderStatus;
import dev.atmosd.v1.SessionState;
import dev.atmosd.v1.StatusReply;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Daemon replies as plain maps and lists for the json/yaml formats: snake_case keys, timestamps ISO-8601 UTC,
 * enums lower-case without their prefix, unset timestamps and empty strings left out. Never a token.
 */
public final class ReplyDocuments {
  private ReplyDocuments() {}

  /** The key under which atmosd's live state sits in each entry: the Go atmos never writes it, so Go's jq paths hold. */
  public static final String LIVE_STATE = "atmosd";

  /**
   * {@code auth list --format json|yaml} in the Go atmos's shape (cmd/auth/list.go renderJSON, golden
   * TestCLICommands_atmos_auth_list_--format_json.stdout.golden): {@code identities} and {@code providers} as maps
   * keyed by name, sorted, each the atmos.yaml entry (kind, via, principal, default, ...); a section with no entries
   * is left out as Go leaves it out. atmosd's live state (session, credential expiry, provisioned) is added to each
   * entry under {@link #LIVE_STATE} only.
   */
  public static Map<String, Object> identities(ListIdentitiesReply reply) {
    Map<String, Object> doc = new LinkedHashMap<>();
    Map<String, Object> identities = new TreeMap<>();
    for (IdentityInfo identity : reply.getIdentitiesList()) {
      identities.put(identity.getName(), identity(identity));
    }
    if (!identities.isEmpty()) {
      doc.put("identities", identities);
    }
    Map<String, Object> providers = new TreeMap<>();
    for (ProviderInfo provider : reply.getProvidersList()) {
      providers.put(provider.getName(), provider(provider));
    }
    if (!providers.isEmpty()) {
      doc.put("providers", providers);
    }
    if (!reply.getConfigPath().isEmpty()) {
      doc.put(LIVE_STATE, Map.of("config_path", reply.getConfigPath()));
    }
    return doc;
  }

  /**
   * The entry as atmos.yaml has it ({@code definition}, key for key), over Go's keys built from the typed fields so
   * that a provisioned identity or a partial override still shows kind, via, principal and default.
   */
  public static Map<String, Object> identity(IdentityInfo identity) {
    Map<String, Object> i = new LinkedHashMap<>();
    put(i, "kind", identity.getKind());
    if (identity.getIsDefault()) {
      i.put("default", true);
    }
    Map<String, Object> via = new LinkedHashMap<>();
    put(via, "provider", identity.getViaProvider());
    put(via, "identity", identity.getViaIdentity());
    if (!via.isEmpty()) {
      i.put("via", via);
    }
    Map<String, Object> principal = new LinkedHashMap<>();
    Map<String, Object> account = new LinkedHashMap<>();
    put(account, "name", identity.getAccountName());
    put(account, "id", identity.getAccountId());
    if (!account.isEmpty() && !identity.getPermissionSet().isEmpty()) {
      principal.put("account", account);
    }
    put(principal, "name", identity.getPermissionSet());
    put(principal, "assume_role", identity.getRoleArn());
    if (!principal.isEmpty()) {
      i.put("principal", principal);
    }
    put(i, "alias", identity.getAlias());
    if (identity.getTagsCount() > 0) {
      i.put("tags", new ArrayList<>(identity.getTagsList()));
    }
    if (identity.getRequired()) {
      i.put("required", true);
    }
    put(i, "provider", identity.getProvider());
    i.putAll(plain(identity.getDefinition()));
    Map<String, Object> live = new LinkedHashMap<>();
    put(live, "provider", identity.getRootProvider());
    put(live, "account_id", identity.getAccountId());
    put(live, "region", identity.getRegion());
    live.put("default", identity.getIsDefault());
    live.put("provisioned", identity.getProvisioned());
    live.put("credentials", credentialState(identity.getCredentialState()));
    put(live, "credentials_expire_at", identity.getCredentialsExpireAt());
    put(live, "not_run_reason", identity.getNotRunReason());
    i.put(LIVE_STATE, live);
    return i;
  }

  public static Map<String, Object> provider(ProviderInfo provider) {
    Map<String, Object> p = new LinkedHashMap<>();
    put(p, "kind", provider.getKind());
    put(p, "start_url", provider.getStartUrl());
    put(p, "region", provider.getRegion());
    if (provider.getIsDefault()) {
      p.put("default", true);
    }
    if (provider.getAutoProvisionIdentities()) {
      p.put("auto_provision_identities", true);
    }
    p.putAll(plain(provider.getDefinition()));
    Map<String, Object> live = new LinkedHashMap<>();
    live.put("default", provider.getIsDefault());
    live.put("auto_provision_identities", provider.getAutoProvisionIdentities());
    if (provider.hasSession()) {
      live.put("session", session(provider.getSession()));
    }
    put(live, "not_run_reason", provider.getNotRunReason());
    p.put(LIVE_STATE, live);
    return p;
  }

  /** A protobuf Struct as plain maps, lists, strings, booleans and numbers (whole numbers stay whole). */
  static Map<String, Object> plain(Struct struct) {
    Map<String, Object> map = new LinkedHashMap<>();
    struct.getFieldsMap().forEach((key, value) -> map.put(key, plain(value)));
    return map;
  }

  private static Object plain(Value value) {
    switch (value.getKindCase()) {
      case STRUCT_VALUE: return plain(value.getStructValue());
      case LIST_VALUE: {
        List<Object> list = new ArrayList<>();
        value.getListValue().getValuesList().forEach(v -> list.add(plain(v)));
        return list;
      }
      case STRING_VALUE: return value.getStringValue();
      case BOOL_VALUE: return value.getBoolValue();
      case NUMBER_VALUE: {
        double number = value.getNumberValue();
        return number == Math.rint(number) && Math.abs(number) < 1e15 ? (Object) (long) number : (Object) number;
      }
      default: return null;
    }
  }

  public static Map<String, Object> session(PortalSession session) {
    Map<String, Object> s = new LinkedHashMap<>();
    put(s, "session_key", session.getSessionKey());
    put(s, "start_url", session.getStartUrl());
    put(s, "region", session.getRegion());
    s.put("providers", new ArrayList<>(session.getProvidersList()));
    s.put("state", sessionState(session.getState()));
    put(s, "access_token_expires_at", session.getAccessTokenExpiresAt());
    put(s, "next_refresh_at", session.getNextRefreshAt());
    put(s, "registration_expires_at", session.getRegistrationExpiresAt());
    s.put("has_refresh_token", session.getHasRefreshToken());
    put(s, "last_refreshed_at", session.getLastRefreshedAt());
    s.put("refresh_count", session.getRefreshCount());
    put(s, "last_error", session.getLastError());
    return s;
  }

  public static Map<String, Object> daemon(DaemonInfo info) {
    Map<String, Object> d = new LinkedHashMap<>();
    put(d, "version", info.getVersion());
    d.put("pid", info.getPid());
    put(d, "started_at", info.getStartedAt());
    put(d, "socket", info.getSocketPath());
    put(d, "credentials_endpoint", info.getCredentialsEndpoint());
    put(d, "cache_dir", info.getCacheDir());
    put(d, "log_file", info.getLogFile());
    put(d, "java_version", info.getJavaVersion());
    d.put("active_clients", info.getActiveClients());
    d.put("socket_activated", info.getSocketActivated());
    return d;
  }

  public static Map<String, Object> status(StatusReply reply) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("daemon", daemon(reply.getDaemon()));
    List<Object> sessions = new ArrayList<>();
    reply.getSessionsList().forEach(s -> sessions.add(session(s)));
    doc.put("sessions", sessions);
    List<Object> providers = new ArrayList<>();
    for (ProviderStatus provider : reply.getProvidersList()) {
      Map<String, Object> p = new LinkedHashMap<>();
      put(p, "name", provider.getName());
      put(p, "kind", provider.getKind());
      put(p, "session_key", provider.getSessionKey());
      p.put("auto_provision_identities", provider.getAutoProvisionIdentities());
      p.put("provisioned_identities", provider.getProvisionedIdentities());
      put(p, "provisioned_at", provider.getProvisionedAt());
      providers.add(p);
    }
    doc.put("providers", providers);
    return doc;
  }

  public static Map<String, Object> caller(CallerIdentity caller) {
    Map<String, Object> c = new LinkedHashMap<>();
    put(c, "identity", caller.getIdentity());
    put(c, "provider", caller.getProvider());
    put(c, "account", caller.getAccount());
    put(c, "arn", caller.getArn());
    put(c, "user_id", caller.getUserId());
    put(c, "region", caller.getRegion());
    put(c, "expires_at", caller.getCredentialsExpireAt());
    return c;
  }

  public static String sessionState(SessionState state) {
    switch (state) {
      case SESSION_STATE_ACTIVE: return "active";
      case SESSION_STATE_SIGNING_IN: return "signing-in";
      case SESSION_STATE_NEEDS_SIGN_IN: return "needs-sign-in";
      case SESSION_STATE_EXPIRED: return "expired";
      case SESSION_STATE_NOT_SIGNED_IN: return "not-signed-in";
      default: return "unknown";
    }
  }

  public static String credentialState(CredentialState state) {
    return state == CredentialState.UNRECOGNIZED ? "unknown"
        : state.name().substring("CREDENTIAL_STATE_".length()).toLowerCase(Locale.ROOT);
  }

  private static void put(Map<String, Object> map, String key, String value) {
    if (value != null && !value.isEmpty()) {
      map.put(key, value);
    }
  }

  private static void put(Map<String, Object> map, String key, Timestamp value) {
    if (Timestamps.isSet(value)) {
      map.put(key, Timestamps.iso(value));
    }
  }
}
