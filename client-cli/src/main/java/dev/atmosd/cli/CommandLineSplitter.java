package dev.atmosd.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a command line the way a POSIX shell tokenises words (quotes and backslashes, no expansion), so
 * {@code BROWSER="'/Applications/My Browser' --new-tab %s"} means what the user typed.
 */
public final class CommandLineSplitter {
  private CommandLineSplitter() {}

  public static List<String> split(String line) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean inWord = false;
    int i = 0;
    while (i < line.length()) {
      char c = line.charAt(i);
      if (c == '\'') {
        int end = line.indexOf('\'', i + 1);
        if (end < 0) {
          throw new UserError("unterminated ' in command line: " + line);
        }
        word.append(line, i + 1, end);
        inWord = true;
        i = end + 1;
      } else if (c == '"') {
        i++;
        boolean closed = false;
        while (i < line.length()) {
          char d = line.charAt(i);
          if (d == '"') {
            closed = true;
            i++;
            break;
          }
          // Inside double quotes a backslash only escapes the characters the shell gives meaning there.
          if (d == '\\' && i + 1 < line.length() && "\"\\$`".indexOf(line.charAt(i + 1)) >= 0) {
            word.append(line.charAt(i + 1));
            i += 2;
          } else {
            word.append(d);
            i++;
          }
        }
        if (!closed) {
          throw new UserError("unterminated \" in command line: " + line);
        }
        inWord = true;
      } else if (c == '\\') {
        if (i + 1 < line.length()) {
          word.append(line.charAt(i + 1));
        }
        inWord = true;
        i += 2;
      } else if (Character.isWhitespace(c)) {
        if (inWord) {
          words.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
        i++;
      } else {
        word.append(c);
        inWord = true;
        i++;
      }
    }
    if (inWord) {
      words.add(word.toString());
    }
    return words;
  }
}
