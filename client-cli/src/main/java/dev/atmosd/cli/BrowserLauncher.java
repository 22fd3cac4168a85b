package dev.atmosd.cli;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Opens the sign-in page. {@code $BROWSER} first, read as Python's webbrowser and the ESR convention do: a
 * {@code :}-separated list of command lines tried in order, {@code %s} replaced by the URL (else the URL is appended),
 * {@code %%} a literal {@code %}. Otherwise {@code open} on macOS, or {@code xdg-open} when there is a display.
 * The browser is started detached and never awaited: the sign-in continues whether or not it appears.
 */
public final class BrowserLauncher {
  private final Map<String, String> env;
  private final String osName;

  public BrowserLauncher(Map<String, String> env, String osName) {
    this.env = env;
    this.osName = osName.toLowerCase(Locale.ROOT);
  }

  public static BrowserLauncher forThisProcess() {
    return new BrowserLauncher(System.getenv(), System.getProperty("os.name", ""));
  }

  /** The command that would open {@code url}, or empty when this machine has no way to show a browser. */
  public Optional<List<String>> commandFor(String url) {
    String browser = env.get("BROWSER");
    if (browser != null && !browser.isBlank()) {
      for (String entry : browser.split(":")) {
        if (entry.isBlank()) {
          continue;
        }
        List<String> command = substitute(CommandLineSplitter.split(entry), url);
        if (!command.isEmpty() && onPath(command.get(0)).isPresent()) {
          return Optional.of(command);
        }
      }
      return Optional.empty();
    }
    if (osName.contains("mac")) {
      return onPath("open").map(open -> List.of(open, url));
    }
    if (!isSet("DISPLAY") && !isSet("WAYLAND_DISPLAY")) {
      // Without a display xdg-open falls back to a terminal browser that would fight us for the terminal.
      return Optional.empty();
    }
    return onPath("xdg-open").map(open -> List.of(open, url));
  }

  public boolean canOpen() {
    return commandFor("https://example.invalid/").isPresent();
  }

  /** Starts the browser; false when there is no way to, or it could not be started (the caller prints the URL). */
  public boolean open(String url) {
    Optional<List<String>> command = commandFor(url);
    if (command.isEmpty()) {
      return false;
    }
    try {
      new ProcessBuilder(command.get())
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .redirectError(ProcessBuilder.Redirect.DISCARD)
          .start();
      return true;
    } catch (Exception failed) {
      return false;
    }
  }

  static List<String> substitute(List<String> words, String url) {
    List<String> command = new ArrayList<>(words.size() + 1);
    boolean placed = false;
    for (String word : words) {
      if (word.contains("%s")) {
        placed = true;
      }
      command.add(replacePlaceholders(word, url));
    }
    if (!placed && !command.isEmpty()) {
      command.add(url);
    }
    return command;
  }

  private static String replacePlaceholders(String word, String url) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < word.length(); i++) {
      char c = word.charAt(i);
      if (c == '%' && i + 1 < word.length() && word.charAt(i + 1) == 's') {
        out.append(url);
        i++;
      } else if (c == '%' && i + 1 < word.length() && word.charAt(i + 1) == '%') {
        out.append('%');
        i++;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private boolean isSet(String name) {
    String value = env.get(name);
    return value != null && !value.isBlank();
  }

  private Optional<String> onPath(String program) {
    return Executables.find(program, env.get("PATH")).map(Path::toString);
  }
}
