package dev.atmosd.cli;

import dev.atmosd.v1.SessionState;

/** A portal session's state in words, and its colour, for the human formats. */
public final class SessionStates {
  private SessionStates() {}

  public static String describe(SessionState state) {
    switch (state) {
      case SESSION_STATE_ACTIVE: return "active";
      case SESSION_STATE_SIGNING_IN: return "signing in";
      case SESSION_STATE_NEEDS_SIGN_IN: return "needs sign-in";
      case SESSION_STATE_EXPIRED: return "expired (refreshes on use)";
      case SESSION_STATE_NOT_SIGNED_IN: return "not signed in";
      default: return "unknown";
    }
  }

  public static String coloured(Terminal terminal, SessionState state) {
    String text = describe(state);
    switch (state) {
      case SESSION_STATE_ACTIVE: return terminal.green(text);
      case SESSION_STATE_SIGNING_IN:
      case SESSION_STATE_EXPIRED: return terminal.yellow(text);
      case SESSION_STATE_NEEDS_SIGN_IN: return terminal.red(text);
      default: return text;
    }
  }
}
