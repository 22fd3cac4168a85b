package dev.atmosd.cli;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Renders variables for {@code atmos auth env}: sorted keys, each format quoted the way its reader parses it, and
 * shadowing variables unset where the format can express that (bash, fish, powershell).
 */
public final class EnvFormatter {
  public enum Format { BASH, DOTENV, ENV, JSON, FISH, POWERSHELL, GITHUB }

  /** Characters a POSIX shell takes literally; like Go's shellescape, values made only of these stay bare. */
  private static final Pattern SHELL_SAFE = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");
  /**
   * A variable name every format prints bare. The daemon's config parser accepts nothing else either; refusing here
   * too means a name from anywhere can never become shell code ({@code X=1; touch /tmp/p; Y}) under {@code eval}.
   */
  static final Pattern VARIABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private final Supplier<String> delimiters;

  public EnvFormatter() {
    this(() -> "ghadelimiter_" + UUID.randomUUID());
  }

  /** {@code delimiters} makes the github heredoc delimiter predictable for tests. */
  public EnvFormatter(Supplier<String> delimiters) {
    this.delimiters = delimiters;
  }

  public static Format parseFormat(String name) {
    try {
      return Format.valueOf(name.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException unknown) {
      throw new UserError("unknown --format " + name + ": use bash, dotenv, env, json, fish, powershell or github");
    }
  }

  /** Refuses (exit 2) any name that is not a plain variable name, before printing anything. */
  public String render(Format format, Map<String, String> set, List<String> unset) {
    set.keySet().forEach(EnvFormatter::requireVariableName);
    unset.forEach(EnvFormatter::requireVariableName);
    Map<String, String> sorted = new TreeMap<>(set);
    StringBuilder out = new StringBuilder();
    switch (format) {
      case BASH:
        if (!unset.isEmpty()) {
          out.append("unset ").append(String.join(" ", unset)).append('\n');
        }
        sorted.forEach((k, v) -> out.append("export ").append(k).append('=').append(shellQuote(v)).append('\n'));
        break;
      case DOTENV:
        sorted.forEach((k, v) -> out.append(k).append('=').append(shellQuote(v)).append('\n'));
        break;
      case ENV:
        // Go's "env" format (cmd/auth/env.go SupportedFormats): KEY=value lines as `env`/`export -p` read them.
        sorted.forEach((k, v) -> out.append(k).append('=').append(v).append('\n'));
        break;
      case FISH:
        unset.forEach(k -> out.append("set -e ").append(k).append(";\n"));
        sorted.forEach((k, v) -> out.append("set -gx ").append(k).append(' ').append(fishQuote(v)).append(";\n"));
        break;
      case POWERSHELL:
        unset.forEach(k -> out.append("Remove-Item Env:").append(k).append(" -ErrorAction SilentlyContinue\n"));
        sorted.forEach((k, v) -> out.append("$Env:").append(k).append(" = ").append(powershellQuote(v)).append('\n'));
        break;
      case GITHUB:
        sorted.forEach((k, v) -> out.append(githubEntry(k, v)));
        break;
      case JSON:
        out.append(StructuredOutput.json(sorted));
        break;
      default:
        throw new IllegalStateException(format.toString());
    }
    return out.toString();
  }

  private static void requireVariableName(String name) {
    if (!VARIABLE_NAME.matcher(name).matches()) {
      throw new UserError("refusing to print the environment variable name \"" + name.replace("\n", "\\n")
          + "\": a name must match [A-Za-z_][A-Za-z0-9_]*; fix the identity's env in atmos.yaml");
    }
  }

  static String shellQuote(String value) {
    if (value.isEmpty()) {
      return "''";
    }
    if (SHELL_SAFE.matcher(value).matches()) {
      return value;
    }
    return "'" + value.replace("'", "'\"'\"'") + "'";
  }

  /** fish: inside single quotes only {@code \\} and {@code \'} are escapes. */
  static String fishQuote(String value) {
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  /** PowerShell: a verbatim string; a single quote is doubled. */
  static String powershellQuote(String value) {
    return "'" + value.replace("'", "''") + "'";
  }

  /**
   * {@code $GITHUB_ENV}: {@code NAME=value} for one line; a multi-line value goes in a heredoc whose delimiter
   * cannot appear in the value (the runner ends the value at the first delimiter line).
   */
  private String githubEntry(String name, String value) {
    if (value.indexOf('\n') < 0 && value.indexOf('\r') < 0) {
      return name + "=" + value + "\n";
    }
    String delimiter = delimiters.get();
    while (value.contains(delimiter)) {
      delimiter = delimiters.get() + "_";
    }
    return name + "<<" + delimiter + "\n" + value + "\n" + delimiter + "\n";
  }
}
