package dev.atmosd.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads CLI JSON output by field path, accepting either naming style for each segment ({@code refresh_count} or
 * {@code refreshCount}) since the contract names fields in snake_case and proto's JSON mapping in lowerCamelCase.
 */
public final class Json {
  private Json() {}

  public static JsonNode at(JsonNode node, String... path) {
    JsonNode current = node;
    for (String segment : path) {
      if (current == null || current.isMissingNode()) {
        return MissingNode.getInstance();
      }
      JsonNode next = current.get(segment);
      if (next == null) {
        next = current.get(camel(segment));
      }
      if (next == null) {
        next = current.get(snake(segment));
      }
      current = next == null ? MissingNode.getInstance() : next;
    }
    return current;
  }

  /** The elements of an array, or of an object's values (some outputs key lists by name). */
  public static List<JsonNode> elements(JsonNode node) {
    List<JsonNode> out = new ArrayList<>();
    if (node != null) {
      node.elements().forEachRemaining(out::add);
    }
    return out;
  }

  static String camel(String s) {
    StringBuilder b = new StringBuilder();
    boolean up = false;
    for (char c : s.toCharArray()) {
      if (c == '_') {
        up = true;
      } else {
        b.append(up ? Character.toUpperCase(c) : c);
        up = false;
      }
    }
    return b.toString();
  }

  static String snake(String s) {
    StringBuilder b = new StringBuilder();
    for (char c : s.toCharArray()) {
      if (Character.isUpperCase(c)) {
        b.append('_').append(Character.toLowerCase(c));
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }
}
