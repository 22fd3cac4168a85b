package dev.atmosd.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;

/** What one finished OS process left behind: its command, exit code, stdout and stderr. */
public record CliResult(List<String> command, int exitCode, String stdout, String stderr) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** stdout parsed as one JSON document; fails the test with the whole result when it is not JSON. */
  public JsonNode json() {
    try {
      return JSON.readTree(stdout);
    } catch (IOException e) {
      throw new AssertionError("stdout is not JSON: " + e.getMessage() + "\n" + this, e);
    }
  }

  /** The non-blank lines of stderr. */
  public List<String> stderrLines() {
    return Arrays.stream(stderr.split("\\R")).filter(l -> !l.isBlank()).toList();
  }

  public List<String> stdoutLines() {
    return Arrays.stream(stdout.split("\\R")).filter(l -> !l.isBlank()).toList();
  }

  public String lastStderrLine() {
    List<String> lines = stderrLines();
    return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
  }

  public static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public String toString() {
    return "$ " + String.join(" ", command) + "\n  exit " + exitCode
        + "\n  --- stdout ---\n" + indent(stdout) + "\n  --- stderr ---\n" + indent(stderr);
  }

  private static String indent(String s) {
    return s.isEmpty() ? "  (empty)" : "  " + s.replace("\n", "\n  ");
  }
}
