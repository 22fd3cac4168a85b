package dev.atmosd.it.units;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Reads settings of a systemd unit file as systemd does for the few settings the tests need: a line's value split into
 * words with double/single quotes and C escapes (systemd.syntax(7)), {@code %x} specifiers resolved by the caller, and
 * in {@code Exec*=} lines {@code $$} as a literal {@code $}.
 */
final class UnitFile {
  private UnitFile() {}

  /** The words of every {@code key=} line, in order. */
  static List<List<String>> values(String unit, String key, IntFunction<String> specifier) {
    List<List<String>> lines = new ArrayList<>();
    for (String line : unit.split("\n")) {
      if (line.startsWith(key + "=")) {
        lines.add(words(line.substring(key.length() + 1), specifier, key.startsWith("Exec")));
      }
    }
    return lines;
  }

  /** {@code Environment=} assignments of a drop-in, with specifiers other than {@code %%} refused. */
  static Map<String, String> environment(Path dropIn) {
    Map<String, String> env = new LinkedHashMap<>();
    for (List<String> line : values(Shell.read(dropIn), "Environment", c -> {
      if (c == '%') {
        return "%";
      }
      throw new AssertionError("unexpected specifier %" + (char) c + " in " + dropIn);
    })) {
      for (String assignment : line) {
        int eq = assignment.indexOf('=');
        env.put(assignment.substring(0, eq), assignment.substring(eq + 1));
      }
    }
    return env;
  }

  static List<String> words(String value, IntFunction<String> specifier, boolean exec) {
    List<String> words = new ArrayList<>();
    StringBuilder word = null;
    char quote = 0;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (quote == 0 && Character.isWhitespace(c)) {
        if (word != null) {
          words.add(word.toString());
          word = null;
        }
        continue;
      }
      if (word == null) {
        word = new StringBuilder();
      }
      if (c == quote) {
        quote = 0;
      } else if (quote == 0 && (c == '"' || c == '\'')) {
        quote = c;
      } else if (c == '\\' && i + 1 < value.length()) {
        char next = value.charAt(++i);
        word.append(switch (next) {
          case 'n' -> '\n';
          case 't' -> '\t';
          default -> next;
        });
      } else if (c == '%' && i + 1 < value.length()) {
        word.append(specifier.apply(value.charAt(++i)));
      } else if (exec && c == '$' && i + 1 < value.length() && value.charAt(i + 1) == '$') {
        word.append('$');
        i++;
      } else {
        word.append(c);
      }
    }
    if (word != null) {
      words.add(word.toString());
    }
    return words;
  }
}
