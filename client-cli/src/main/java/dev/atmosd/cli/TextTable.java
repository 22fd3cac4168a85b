package dev.atmosd.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Left-aligned columns separated by two spaces; widths ignore colour escapes so coloured cells still line up. */
public final class TextTable {
  private static final Pattern ANSI = Pattern.compile("\u001b\\[[0-9;]*m");
  private final List<String[]> rows = new ArrayList<>();

  public TextTable row(String... cells) {
    rows.add(cells);
    return this;
  }

  public boolean isEmpty() {
    return rows.isEmpty();
  }

  public String render(String indent) {
    int columns = rows.stream().mapToInt(r -> r.length).max().orElse(0);
    int[] widths = new int[columns];
    for (String[] row : rows) {
      for (int c = 0; c < row.length; c++) {
        widths[c] = Math.max(widths[c], visibleLength(row[c]));
      }
    }
    StringBuilder out = new StringBuilder();
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder(indent);
      for (int c = 0; c < row.length; c++) {
        line.append(row[c]);
        if (c < row.length - 1) {
          line.append(" ".repeat(widths[c] - visibleLength(row[c]) + 2));
        }
      }
      out.append(line.toString().stripTrailing()).append('\n');
    }
    return out.toString();
  }

  static int visibleLength(String text) {
    return ANSI.matcher(text).replaceAll("").codePointCount(0, ANSI.matcher(text).replaceAll("").length());
  }
}
