package dev.atmosd.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Whether a given output stream is a terminal, and whether to colour it. {@code System.console()} only says stdin
 * and stdout are both terminals; stderr must be asked about separately (a piped {@code credential-process} still has
 * a terminal on stderr, and {@code env > file} still wants a spinner).
 */
public final class Terminal {
  public static final int STDOUT = 1;
  public static final int STDERR = 2;

  private final boolean terminal;
  private final boolean colour;

  public Terminal(boolean terminal, boolean colour) {
    this.terminal = terminal;
    this.colour = colour;
  }

  public static Terminal forDescriptor(int fd, Map<String, String> env) {
    boolean tty = isTerminal(fd);
    String noColor = env.get("NO_COLOR");
    boolean colour = tty && (noColor == null || noColor.isEmpty()) && !"dumb".equals(env.get("TERM"));
    return new Terminal(tty, colour);
  }

  public static Terminal plain() {
    return new Terminal(false, false);
  }

  public boolean isTerminal() {
    return terminal;
  }

  public boolean colour() {
    return colour;
  }

  public String green(String text) {
    return paint("32", text);
  }

  public String yellow(String text) {
    return paint("33", text);
  }

  public String red(String text) {
    return paint("31", text);
  }

  public String bold(String text) {
    return paint("1", text);
  }

  public String dim(String text) {
    return paint("2", text);
  }

  private String paint(String sgr, String text) {
    return colour ? "\u001b[" + sgr + "m" + text + "\u001b[0m" : text;
  }

  private static boolean isTerminal(int fd) {
    Path link = Path.of("/proc/self/fd/" + fd);
    try {
      if (Files.isSymbolicLink(link)) {
        String target = Files.readSymbolicLink(link).toString();
        return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
      }
    } catch (Exception unreadable) {
      // fall through to the portable, coarser answer
    }
    // No /proc (macOS): System.console() covers stdin+stdout; the best available answer for stderr as well.
    return System.console() != null;
  }
}
