package dev.atmosd.cli;

import com.google.protobuf.Timestamp;
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

/**
 * Daemon replies as plain maps and lists for the json/yaml formats: snake_case keys, timestamps ISO-8601 UTC,
 * enums lower-case without their prefix, unset timestamps and empty strings left out. Never a token.
 */
public final class ReplyDocuments {
  private ReplyDocuments() {}

  public static Map<String, Object> identities(ListIdentitiesReply reply) {
    Map<String, Object> doc = new LinkedHashMap<>();
    put(doc, "config_path", reply.getConfigPath());
    List<Object> providers = new ArrayList<>();
    for (ProviderInfo provider : reply.getProvidersList()) {
      Map<String, Object> p = new LinkedHashMap<>();
      put(p, "name", provider.getName());
      put(p, "kind", provider.getKind());
      put(p, "start_url", provider.getStartUrl());
      put(p, "region", provider.getRegion());
      p.put("default", provider.getIsDefault());
      p.put("auto_provision_identities", provider.getAutoProvisionIdentities());
      put(p, "not_run_reason", provider.getNotRunReason());
      if (provider.hasSession()) {
        p.put("session", session(provider.getSession()));
      }
      providers.add(p);
    }
    doc.put("providers", providers);
    List<Object> identities = new ArrayList<>();
    for (IdentityInfo identity : reply.getIdentitiesList()) {
      identities.add(identity(identity));
    }
    doc.put("identities", identities);
    return doc;
  }

  public static Map<String, Object> identity(IdentityInfo identity) {
    Map<String, Object> i = new LinkedHashMap<>();
    put(i, "name", identity.getName());
    put(i, "kind", identity.getKind());
    put(i, "provider", identity.getRootProvider());
    put(i, "via_provider", identity.getViaProvider());
    put(i, "via_identity", identity.getViaIdentity());
    put(i, "account_id", identity.getAccountId());
    put(i, "account_name", identity.getAccountName());
    put(i, "permission_set", identity.getPermissionSet());
    put(i, "role_arn", identity.getRoleArn());
    put(i, "region", identity.getRegion());
    i.put("default", identity.getIsDefault());
    i.put("provisioned", identity.getProvisioned());
    i.put("credentials", credentialState(identity.getCredentialState()));
    put(i, "credentials_expire_at", identity.getCredentialsExpireAt());
    put(i, "not_run_reason", identity.getNotRunReason());
    return i;
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
