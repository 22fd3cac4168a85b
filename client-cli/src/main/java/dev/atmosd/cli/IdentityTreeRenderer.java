package dev.atmosd.cli;

import dev.atmosd.v1.CredentialState;
import dev.atmosd.v1.IdentityInfo;
import dev.atmosd.v1.ListIdentitiesReply;
import dev.atmosd.v1.PortalSession;
import dev.atmosd.v1.ProviderInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code atmos auth list} as atmos draws it: "Authentication Configuration", each provider with its region, start URL
 * and session, its identities nested under it (an assume-role identity under the identity it chains from), and
 * "Standalone Identities" last. A dot gives the cached credentials' state: green valid, yellow expiring, red expired,
 * none unknown; without colour {@code ●} is usable and {@code ○} expired.
 */
public final class IdentityTreeRenderer {
  private final Terminal terminal;
  private final Instant now;

  public IdentityTreeRenderer(Terminal terminal, Instant now) {
    this.terminal = terminal;
    this.now = now;
  }

  /** One line of the tree before it is drawn: its text and its children. */
  private static final class Node {
    final String text;
    final List<Node> children = new ArrayList<>();

    Node(String text) {
      this.text = text;
    }

    Node add(Node child) {
      children.add(child);
      return child;
    }
  }

  public String render(ListIdentitiesReply reply) {
    Map<String, IdentityInfo> byName = new LinkedHashMap<>();
    reply.getIdentitiesList().forEach(i -> byName.put(i.getName(), i));
    Map<String, List<IdentityInfo>> chainedUnder = new LinkedHashMap<>();
    Map<String, List<IdentityInfo>> underProvider = new LinkedHashMap<>();
    List<IdentityInfo> standalone = new ArrayList<>();
    Set<String> providerNames = new LinkedHashSet<>();
    reply.getProvidersList().forEach(p -> providerNames.add(p.getName()));

    for (IdentityInfo identity : reply.getIdentitiesList()) {
      String parent = identity.getViaIdentity();
      String provider = identity.getViaProvider().isEmpty() ? identity.getRootProvider() : identity.getViaProvider();
      if (!parent.isEmpty() && byName.containsKey(parent) && !parent.equals(identity.getName())) {
        chainedUnder.computeIfAbsent(parent, k -> new ArrayList<>()).add(identity);
      } else if (!provider.isEmpty() && providerNames.contains(provider)) {
        underProvider.computeIfAbsent(provider, k -> new ArrayList<>()).add(identity);
      } else {
        standalone.add(identity);
      }
    }

    Node root = new Node(terminal.bold("Authentication Configuration"));
    for (ProviderInfo provider : reply.getProvidersList()) {
      Node node = root.add(new Node(terminal.bold(provider.getName()) + " (" + provider.getKind() + ")"
          + (provider.getIsDefault() ? " [DEFAULT]" : "")));
      if (!provider.getRegion().isEmpty()) {
        node.add(new Node("Region: " + provider.getRegion()));
      }
      if (!provider.getStartUrl().isEmpty()) {
        node.add(new Node("Start URL: " + provider.getStartUrl()));
      }
      node.add(new Node("Session: " + describeSession(provider)));
      List<IdentityInfo> identities = underProvider.getOrDefault(provider.getName(), List.of());
      if (!identities.isEmpty()) {
        Node identitiesNode = node.add(new Node("Identities"));
        identities.forEach(i -> addIdentity(identitiesNode, i, chainedUnder, new LinkedHashSet<>()));
      }
    }
    if (!standalone.isEmpty()) {
      Node node = root.add(new Node(terminal.bold("Standalone Identities")));
      standalone.forEach(i -> addIdentity(node, i, chainedUnder, new LinkedHashSet<>()));
    }
    StringBuilder out = new StringBuilder(root.text).append('\n');
    draw(out, root.children, "");
    return out.toString();
  }

  private void addIdentity(Node parent, IdentityInfo identity, Map<String, List<IdentityInfo>> chainedUnder,
      Set<String> path) {
    if (!path.add(identity.getName())) {
      return; // a cycle in the config: the daemon rejects it, but never loop here
    }
    Node node = parent.add(new Node(identityLine(identity)));
    String principal = principal(identity);
    if (!principal.isEmpty()) {
      node.add(new Node(terminal.dim(principal)));
    }
    for (IdentityInfo child : chainedUnder.getOrDefault(identity.getName(), List.of())) {
      addIdentity(node, child, chainedUnder, path);
    }
    path.remove(identity.getName());
  }

  String identityLine(IdentityInfo identity) {
    StringBuilder line = new StringBuilder();
    line.append(dot(identity.getCredentialState())).append(identity.getName());
    if (!identity.getKind().isEmpty()) {
      line.append(" (").append(identity.getKind()).append(')');
    }
    if (identity.getIsDefault()) {
      line.append(" [DEFAULT]");
    }
    String left = timeLeft(identity);
    if (!left.isEmpty()) {
      line.append(' ').append(left);
    }
    return line.toString();
  }

  private String dot(CredentialState state) {
    switch (state) {
      case CREDENTIAL_STATE_VALID: return (terminal.colour() ? terminal.green("●") : "●") + " ";
      case CREDENTIAL_STATE_EXPIRING: return (terminal.colour() ? terminal.yellow("●") : "●") + " ";
      case CREDENTIAL_STATE_EXPIRED: return (terminal.colour() ? terminal.red("●") : "○") + " ";
      default: return "  ";
    }
  }

  private String timeLeft(IdentityInfo identity) {
    if (identity.getCredentialState() == CredentialState.CREDENTIAL_STATE_EXPIRED) {
      return "expired";
    }
    if (identity.getCredentialState() == CredentialState.CREDENTIAL_STATE_UNKNOWN
        || !Timestamps.isSet(identity.getCredentialsExpireAt())) {
      return "";
    }
    return HumanDuration.format(Duration.between(now, Timestamps.toInstant(identity.getCredentialsExpireAt())));
  }

  private static String principal(IdentityInfo identity) {
    List<String> parts = new ArrayList<>();
    if (!identity.getAccountId().isEmpty()) {
      parts.add("account " + identity.getAccountId()
          + (identity.getAccountName().isEmpty() ? "" : " (" + identity.getAccountName() + ")"));
    }
    if (!identity.getPermissionSet().isEmpty()) {
      parts.add("permission set " + identity.getPermissionSet());
    }
    if (!identity.getRoleArn().isEmpty()) {
      parts.add("role " + identity.getRoleArn());
    }
    return String.join(", ", parts);
  }

  private String describeSession(ProviderInfo provider) {
    if (!provider.hasSession()) {
      return "not signed in";
    }
    PortalSession session = provider.getSession();
    String state = SessionStates.describe(session.getState());
    if (Timestamps.isSet(session.getAccessTokenExpiresAt())) {
      Duration left = Duration.between(now, Timestamps.toInstant(session.getAccessTokenExpiresAt()));
      if (!left.isNegative() && !left.isZero()) {
        state += ", expires in " + HumanDuration.format(left);
      }
    }
    return state;
  }

  private static void draw(StringBuilder out, List<Node> nodes, String prefix) {
    for (int i = 0; i < nodes.size(); i++) {
      boolean last = i == nodes.size() - 1;
      Node node = nodes.get(i);
      out.append(prefix).append(last ? "└── " : "├── ").append(node.text).append('\n');
      draw(out, node.children, prefix + (last ? "    " : "│   "));
    }
  }
}
