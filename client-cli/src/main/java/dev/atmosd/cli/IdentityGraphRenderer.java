package dev.atmosd.cli;

import dev.atmosd.v1.IdentityInfo;
import dev.atmosd.v1.ListIdentitiesReply;
import dev.atmosd.v1.ProviderInfo;
import java.util.Comparator;
import java.util.List;

/**
 * {@code auth list --format graphviz|dot|mermaid|markdown}, line for line as the Go atmos draws them
 * (pkg/auth/list/graph.go): providers then identities, sorted by name, an edge from each {@code via}.
 */
final class IdentityGraphRenderer {
  private IdentityGraphRenderer() {}

  static String graphviz(ListIdentitiesReply reply) {
    if (reply.getProvidersCount() == 0 && reply.getIdentitiesCount() == 0) {
      return "digraph AuthConfig {\n  // No providers or identities configured\n}\n";
    }
    StringBuilder out = new StringBuilder("digraph AuthConfig {\n  rankdir=LR;\n  node [shape=box, style=rounded];\n\n");
    for (ProviderInfo provider : providers(reply)) {
      String label = provider.getName() + "\\n(" + provider.getKind() + ")";
      out.append("  ").append(quoted(provider.getName())).append(" [label=").append(quoted(label))
          .append(provider.getIsDefault() ? ", style=\"rounded,filled\", fillcolor=lightblue" : "").append("];\n");
    }
    out.append('\n');
    for (IdentityInfo identity : identities(reply)) {
      String label = identity.getName() + "\\n(" + identity.getKind() + ")";
      out.append("  ").append(quoted(identity.getName())).append(" [label=").append(quoted(label))
          .append(identity.getIsDefault() ? ", style=\"rounded,filled\", fillcolor=lightgreen" : "").append("];\n");
      for (String parent : parents(identity)) {
        out.append("  ").append(quoted(parent)).append(" -> ").append(quoted(identity.getName())).append(";\n");
      }
    }
    return out.append("}\n").toString();
  }

  static String mermaid(ListIdentitiesReply reply) {
    if (reply.getProvidersCount() == 0 && reply.getIdentitiesCount() == 0) {
      return "graph LR\n  Empty[No providers or identities configured]\n";
    }
    StringBuilder out = new StringBuilder("graph LR\n");
    for (ProviderInfo provider : providers(reply)) {
      out.append("  ").append(mermaidId(provider.getName())).append("[\"").append(mermaidLabel(provider.getName()))
          .append("<br/>").append(provider.getKind()).append("\"]:::provider")
          .append(provider.getIsDefault() ? ":::default" : "").append('\n');
    }
    for (IdentityInfo identity : identities(reply)) {
      out.append("  ").append(mermaidId(identity.getName())).append("[\"").append(mermaidLabel(identity.getName()))
          .append("<br/>").append(identity.getKind()).append("\"]:::identity")
          .append(identity.getIsDefault() ? ":::default" : "").append('\n');
      for (String parent : parents(identity)) {
        out.append("  ").append(mermaidId(parent)).append(" --> ").append(mermaidId(identity.getName())).append('\n');
      }
    }
    return out.append("\n")
        .append("  classDef provider fill:#e3f2fd,stroke:#1976d2,stroke-width:2px\n")
        .append("  classDef identity fill:#e8f5e9,stroke:#388e3c,stroke-width:2px\n")
        .append("  classDef default stroke:#ff9800,stroke-width:3px\n").toString();
  }

  static String markdown(ListIdentitiesReply reply) {
    if (reply.getProvidersCount() == 0 && reply.getIdentitiesCount() == 0) {
      return "# Authentication Configuration\n\nNo providers or identities configured.\n";
    }
    return "# Authentication Configuration\n\n```mermaid\n" + mermaid(reply) + "```\n";
  }

  private static List<ProviderInfo> providers(ListIdentitiesReply reply) {
    return reply.getProvidersList().stream().sorted(Comparator.comparing(ProviderInfo::getName)).toList();
  }

  private static List<IdentityInfo> identities(ListIdentitiesReply reply) {
    return reply.getIdentitiesList().stream().sorted(Comparator.comparing(IdentityInfo::getName)).toList();
  }

  private static List<String> parents(IdentityInfo identity) {
    return java.util.stream.Stream.of(identity.getViaProvider(), identity.getViaIdentity())
        .filter(s -> !s.isEmpty()).toList();
  }

  /** A DOT quoted ID: quotes and backslashes other than the label's own {@code \n} escaped. */
  private static String quoted(String text) {
    return "\"" + text.replace("\"", "\\\"") + "\"";
  }

  /** As Go's sanitizeMermaidID: '-', '/' and '.' become '_'. */
  static String mermaidId(String name) {
    return name.replace('-', '_').replace('/', '_').replace('.', '_');
  }

  private static String mermaidLabel(String name) {
    return name.replace("\"", "#quot;");
  }
}
