package dev.atmosd.cli;

import dev.atmosd.v1.CredentialState;
import dev.atmosd.v1.IdentityInfo;
import dev.atmosd.v1.ListIdentitiesReply;
import dev.atmosd.v1.ProviderInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;

/**
 * {@code auth list --format table}: the Go atmos's two tables (pkg/auth/list/formatter_table.go), PROVIDERS with
 * NAME, KIND, REGION, START URL / URL, DEFAULT and IDENTITIES with a status dot, NAME, KIND, VIA PROVIDER, VIA
 * IDENTITY, DEFAULT, ALIAS, EXPIRES; "-" for an empty cell; aligned, colour only on a terminal.
 */
final class IdentityTableRenderer {
  private static final String EMPTY = "-";
  private static final String DEFAULT = "✓";
  private final Terminal terminal;
  private final Instant now;

  IdentityTableRenderer(Terminal terminal, Instant now) {
    this.terminal = terminal;
    this.now = now;
  }

  String render(ListIdentitiesReply reply) {
    StringBuilder out = new StringBuilder();
    if (reply.getProvidersCount() > 0) {
      TextTable table = new TextTable().row("NAME", "KIND", "REGION", "START URL / URL", "DEFAULT");
      reply.getProvidersList().stream().sorted(Comparator.comparing(ProviderInfo::getName)).forEach(p -> table.row(
          p.getName(), p.getKind(), orEmpty(p.getRegion()), orEmpty(p.getStartUrl()), p.getIsDefault() ? DEFAULT : ""));
      out.append(terminal.bold("PROVIDERS")).append('\n').append(table.render(""));
    }
    if (reply.getIdentitiesCount() > 0) {
      if (out.length() > 0) {
        out.append('\n');
      }
      TextTable table = new TextTable().row(" ", "NAME", "KIND", "VIA PROVIDER", "VIA IDENTITY", "DEFAULT", "ALIAS",
          "EXPIRES");
      reply.getIdentitiesList().stream().sorted(Comparator.comparing(IdentityInfo::getName)).forEach(i -> table.row(
          dot(i.getCredentialState()), i.getName(), i.getKind(), orEmpty(i.getViaProvider()),
          orEmpty(i.getViaIdentity()), i.getIsDefault() ? DEFAULT : "", orEmpty(i.getAlias()), expires(i)));
      out.append(terminal.bold("IDENTITIES")).append('\n').append(table.render(""));
    }
    if (out.length() == 0) {
      out.append("No providers or identities configured.\n");
    }
    return out.toString();
  }

  private String dot(CredentialState state) {
    switch (state) {
      case CREDENTIAL_STATE_VALID: return terminal.green("●");
      case CREDENTIAL_STATE_EXPIRING: return terminal.yellow("●");
      case CREDENTIAL_STATE_EXPIRED: return terminal.colour() ? terminal.red("●") : "○";
      default: return " ";
    }
  }

  private String expires(IdentityInfo identity) {
    if (identity.getCredentialState() == CredentialState.CREDENTIAL_STATE_EXPIRED) {
      return "expired";
    }
    if (identity.getCredentialState() == CredentialState.CREDENTIAL_STATE_UNKNOWN
        || !Timestamps.isSet(identity.getCredentialsExpireAt())) {
      return EMPTY;
    }
    return HumanDuration.format(Duration.between(now, Timestamps.toInstant(identity.getCredentialsExpireAt())));
  }

  private static String orEmpty(String value) {
    return value.isEmpty() ? EMPTY : value;
  }
}
