package dev.atmosd.cli;

import dev.atmosd.v1.DaemonInfo;
import dev.atmosd.v1.PortalSession;
import dev.atmosd.v1.StatusReply;
import java.time.Duration;
import java.time.Instant;

/** {@code atmos auth status} / {@code atmos daemon status} for people: the daemon, then one row per portal session. */
public final class StatusRenderer {
  private final Terminal terminal;
  private final Instant now;

  public StatusRenderer(Terminal terminal, Instant now) {
    this.terminal = terminal;
    this.now = now;
  }

  public String daemon(DaemonInfo info) {
    TextTable table = new TextTable();
    table.row("pid", String.valueOf(info.getPid()));
    table.row("version", info.getVersion());
    if (Timestamps.isSet(info.getStartedAt())) {
      table.row("uptime", HumanDuration.format(Duration.between(Timestamps.toInstant(info.getStartedAt()), now)));
    }
    table.row("socket", info.getSocketPath() + (info.getSocketActivated() ? " (socket-activated)" : ""));
    if (!info.getCredentialsEndpoint().isEmpty()) {
      table.row("endpoint", info.getCredentialsEndpoint());
    }
    if (!info.getLogFile().isEmpty()) {
      table.row("log", info.getLogFile());
    }
    if (!info.getJavaVersion().isEmpty()) {
      table.row("java", info.getJavaVersion());
    }
    return terminal.bold("atmosd") + " " + terminal.green("running") + "\n" + table.render("  ");
  }

  public String status(StatusReply reply) {
    StringBuilder out = new StringBuilder(daemon(reply.getDaemon()));
    out.append('\n');
    if (reply.getSessionsCount() == 0) {
      out.append("No portal sessions. Sign in with: atmos auth login\n");
      return out.toString();
    }
    TextTable table = new TextTable();
    table.row(terminal.bold("PROVIDER"), terminal.bold("STATE"), terminal.bold("EXPIRES IN"),
        terminal.bold("NEXT REFRESH"), terminal.bold("REFRESHES"), terminal.bold("START URL"));
    for (PortalSession session : reply.getSessionsList()) {
      table.row(
          session.getProvidersCount() == 0 ? "-" : String.join(",", session.getProvidersList()),
          SessionStates.coloured(terminal, session.getState()),
          until(session.getAccessTokenExpiresAt()),
          until(session.getNextRefreshAt()),
          String.valueOf(session.getRefreshCount()),
          session.getStartUrl());
    }
    out.append(table.render(""));
    for (PortalSession session : reply.getSessionsList()) {
      if (!session.getLastError().isEmpty()) {
        out.append(terminal.yellow("! ")).append(String.join(",", session.getProvidersList())).append(": ")
            .append(session.getLastError()).append('\n');
      }
    }
    return out.toString();
  }

  private String until(com.google.protobuf.Timestamp at) {
    if (!Timestamps.isSet(at)) {
      return "-";
    }
    return HumanDuration.format(Duration.between(now, Timestamps.toInstant(at)));
  }
}
