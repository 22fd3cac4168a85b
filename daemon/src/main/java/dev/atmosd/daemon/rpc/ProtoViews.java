package dev.atmosd.daemon.rpc;

import dev.atmosd.daemon.config.AtmosConfig;
import dev.atmosd.daemon.config.IdentityConfig;
import dev.atmosd.daemon.config.ProviderConfig;
import dev.atmosd.daemon.config.ProvisionedIdentity;
import dev.atmosd.daemon.provisioning.ProvisioningResult;
import dev.atmosd.daemon.session.AccessToken;
import dev.atmosd.daemon.session.SessionSnapshot;
import dev.atmosd.v1.IdentityInfo;
import dev.atmosd.v1.PortalSession;
import dev.atmosd.v1.ProvisioningFinished;
import dev.atmosd.v1.SessionState;
import com.google.protobuf.ListValue;
import com.google.protobuf.NullValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import java.util.List;
import java.util.Map;

/** The daemon's records as the proto messages clients see. Nothing here carries a token. */
public final class ProtoViews {
  private ProtoViews() {}

  public static PortalSession session(SessionSnapshot snapshot) {
    PortalSession.Builder session = PortalSession.newBuilder()
        .setSessionKey(snapshot.sessionKey())
        .setStartUrl(nullToEmpty(snapshot.startUrl()))
        .setRegion(nullToEmpty(snapshot.region()))
        .addAllProviders(snapshot.providers() == null ? List.of() : snapshot.providers())
        .setState(state(snapshot.state()))
        .setHasRefreshToken(snapshot.hasRefreshToken())
        .setLastError(nullToEmpty(snapshot.lastError()))
        .setRefreshCount(snapshot.refreshCount());
    if (snapshot.accessTokenExpiresAt() != null) {
      session.setAccessTokenExpiresAt(AuthEventStream.timestamp(snapshot.accessTokenExpiresAt()));
    }
    if (snapshot.nextRefreshAt() != null) {
      session.setNextRefreshAt(AuthEventStream.timestamp(snapshot.nextRefreshAt()));
    }
    if (snapshot.registrationExpiresAt() != null) {
      session.setRegistrationExpiresAt(AuthEventStream.timestamp(snapshot.registrationExpiresAt()));
    }
    if (snapshot.lastRefreshedAt() != null) {
      session.setLastRefreshedAt(AuthEventStream.timestamp(snapshot.lastRefreshedAt()));
    }
    return session.build();
  }

  /** A just-signed-in session when the engine has no snapshot of it (yet). */
  public static PortalSession session(ProviderConfig provider, AccessToken token, List<String> providers) {
    return PortalSession.newBuilder()
        .setSessionKey(provider.sessionKey())
        .setStartUrl(provider.startUrl())
        .setRegion(provider.region())
        .addAllProviders(providers)
        .setState(SessionState.SESSION_STATE_ACTIVE)
        .setAccessTokenExpiresAt(AuthEventStream.timestamp(token.expiresAt()))
        .build();
  }

  public static SessionState state(SessionSnapshot.State state) {
    if (state == null) {
      return SessionState.SESSION_STATE_UNSPECIFIED;
    }
    return switch (state) {
      case ACTIVE -> SessionState.SESSION_STATE_ACTIVE;
      case SIGNING_IN -> SessionState.SESSION_STATE_SIGNING_IN;
      case NEEDS_SIGN_IN -> SessionState.SESSION_STATE_NEEDS_SIGN_IN;
      case EXPIRED -> SessionState.SESSION_STATE_EXPIRED;
      case NOT_SIGNED_IN -> SessionState.SESSION_STATE_NOT_SIGNED_IN;
    };
  }

  public static IdentityInfo identity(ProvisionedIdentity identity, ProviderConfig provider) {
    return IdentityInfo.newBuilder()
        .setName(identity.name())
        .setKind(IdentityConfig.KIND_PERMISSION_SET)
        .setRootProvider(provider.name())
        .setViaProvider(provider.name())
        .setAccountId(nullToEmpty(identity.accountId()))
        .setAccountName(nullToEmpty(identity.accountName()))
        .setPermissionSet(nullToEmpty(identity.permissionSet()))
        .setProvisioned(true)
        .build();
  }

  /** A configured identity, without credential state (that is the credentials side's to fill in). */
  public static IdentityInfo identity(IdentityConfig identity, AtmosConfig config) {
    IdentityInfo.Builder info = IdentityInfo.newBuilder()
        .setName(identity.name())
        .setKind(identity.kind())
        .setViaProvider(nullToEmpty(identity.viaProvider() != null ? identity.viaProvider() : identity.provider()))
        .setViaIdentity(nullToEmpty(identity.viaIdentity()))
        .setIsDefault(identity.isDefault())
        .setProvisioned(identity.provisioned())
        .setAlias(nullToEmpty(identity.alias()))
        .addAllTags(identity.tags() == null ? List.of() : identity.tags())
        .setRequired(identity.required())
        .setProvider(nullToEmpty(identity.provider()))
        .setNotRunReason(nullToEmpty(identity.notRunReason()))
        .setDefinition(struct(identity.definition()));
    if (identity.sessionDuration() != null) {
      info.setSessionDuration(com.google.protobuf.Duration.newBuilder()
          .setSeconds(identity.sessionDuration().getSeconds()).setNanos(identity.sessionDuration().getNano()));
    }
    if (identity.principalRegion() != null) {
      info.setRegion(identity.principalRegion());
    }
    try {
      info.setRootProvider(config.rootProvider(identity.name()).name());
    } catch (RuntimeException unresolvable) {
      // validated configs always resolve; a hand-built one may not, and a listing should still show the rest
    }
    if (identity.principal() != null) {
      IdentityConfig.Principal principal = identity.principal();
      info.setAccountId(nullToEmpty(principal.accountId()))
          .setAccountName(nullToEmpty(principal.accountName()))
          .setPermissionSet(nullToEmpty(principal.permissionSetName()))
          .setRoleArn(nullToEmpty(principal.assumeRoleArn()))
          .setRegion(nullToEmpty(principal.region()));
    }
    return info.build();
  }

  /** A config entry (strings, lists, mappings as the YAML reader gives them) as a protobuf Struct. */
  public static Struct struct(Map<String, Object> entry) {
    Struct.Builder struct = Struct.newBuilder();
    if (entry != null) {
      entry.forEach((key, value) -> struct.putFields(key, value(value)));
    }
    return struct.build();
  }

  @SuppressWarnings("unchecked")
  private static Value value(Object value) {
    if (value == null) {
      return Value.newBuilder().setNullValue(NullValue.NULL_VALUE).build();
    }
    if (value instanceof Map<?, ?> map) {
      return Value.newBuilder().setStructValue(struct((Map<String, Object>) map)).build();
    }
    if (value instanceof List<?> list) {
      ListValue.Builder items = ListValue.newBuilder();
      list.forEach(item -> items.addValues(value(item)));
      return Value.newBuilder().setListValue(items).build();
    }
    if (value instanceof Boolean bool) {
      return Value.newBuilder().setBoolValue(bool).build();
    }
    if (value instanceof Number number) {
      return Value.newBuilder().setNumberValue(number.doubleValue()).build();
    }
    return Value.newBuilder().setStringValue(String.valueOf(value)).build();
  }

  public static ProvisioningFinished finished(ProvisioningResult result) {
    return ProvisioningFinished.newBuilder()
        .setProvider(result.provider())
        .setIdentities(result.identities())
        .setAccounts(result.accounts())
        .setDurationMillis(result.duration() == null ? 0 : result.duration().toMillis())
        .setFile(result.file() == null ? "" : result.file().toString())
        .setAccountsKept(result.accountsKept())
        .setAdded(result.added())
        .setRemoved(result.removed())
        .build();
  }

  static String nullToEmpty(String value) {
    return value == null ? "" : value;
  }
}
