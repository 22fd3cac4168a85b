package dev.atmosd.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Writes a tree of maps, lists, strings, numbers and booleans as JSON (jackson-core) or as YAML. The YAML side is a
 * writer for this one shape, not a library: block style, and any string that a YAML reader could take for something
 * else is written double-quoted with JSON escapes (a JSON string is a valid YAML double-quoted scalar).
 */
public final class StructuredOutput {
  private static final Pattern PLAIN_YAML =
      Pattern.compile("[A-Za-z_/][A-Za-z0-9_./@+-]*(:[A-Za-z0-9_./@+-]+)*");
  private static final Pattern YAML_KEYWORD = Pattern.compile(
      "(?i)(y|n|yes|no|true|false|on|off|null|~)");

  private StructuredOutput() {}

  public static String json(Object tree) {
    StringWriter out = new StringWriter();
    try (JsonGenerator json = new JsonFactory().createGenerator(out)) {
      json.useDefaultPrettyPrinter();
      writeJson(json, tree);
    } catch (IOException impossible) {
      throw new UncheckedIOException(impossible);
    }
    return out + "\n";
  }

  public static String yaml(Object tree) {
    StringBuilder out = new StringBuilder();
    if (tree instanceof Map || tree instanceof List) {
      writeYamlBlock(out, tree, 0);
    } else {
      out.append(yamlScalar(tree)).append('\n');
    }
    return out.toString();
  }

  private static void writeJson(JsonGenerator json, Object value) throws IOException {
    if (value == null) {
      json.writeNull();
    } else if (value instanceof Map) {
      json.writeStartObject();
      for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
        json.writeFieldName(String.valueOf(entry.getKey()));
        writeJson(json, entry.getValue());
      }
      json.writeEndObject();
    } else if (value instanceof List) {
      json.writeStartArray();
      for (Object item : (List<?>) value) {
        writeJson(json, item);
      }
      json.writeEndArray();
    } else if (value instanceof Boolean) {
      json.writeBoolean((Boolean) value);
    } else if (value instanceof Integer || value instanceof Long) {
      json.writeNumber(((Number) value).longValue());
    } else if (value instanceof Number) {
      json.writeNumber(((Number) value).doubleValue());
    } else {
      json.writeString(String.valueOf(value));
    }
  }

  private static void writeYamlBlock(StringBuilder out, Object value, int indent) {
    String pad = " ".repeat(indent);
    if (value instanceof Map) {
      Map<?, ?> map = (Map<?, ?>) value;
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        out.append(pad).append(yamlScalar(String.valueOf(entry.getKey()))).append(':');
        writeYamlValue(out, entry.getValue(), indent);
      }
    } else {
      for (Object item : (List<?>) value) {
        out.append(pad).append('-');
        if (item instanceof Map && !((Map<?, ?>) item).isEmpty()) {
          // "- key: v" then the rest of the mapping aligned under the first key.
          StringBuilder nested = new StringBuilder();
          writeYamlBlock(nested, item, indent + 2);
          out.append(' ').append(nested.substring(indent + 2));
        } else {
          writeYamlValue(out, item, indent);
        }
      }
    }
  }

  private static void writeYamlValue(StringBuilder out, Object value, int indent) {
    if (value instanceof Map && !((Map<?, ?>) value).isEmpty()) {
      out.append('\n');
      writeYamlBlock(out, value, indent + 2);
    } else if (value instanceof List && !((List<?>) value).isEmpty()) {
      out.append('\n');
      writeYamlBlock(out, value, indent + 2);
    } else {
      out.append(' ').append(yamlScalar(value)).append('\n');
    }
  }

  static String yamlScalar(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof Map) {
      return "{}";
    }
    if (value instanceof List) {
      return "[]";
    }
    if (value instanceof Boolean || value instanceof Number) {
      return String.valueOf(value);
    }
    String text = String.valueOf(value);
    if (PLAIN_YAML.matcher(text).matches() && !YAML_KEYWORD.matcher(text).matches()) {
      return text;
    }
    StringWriter quoted = new StringWriter();
    try (JsonGenerator json = new JsonFactory().createGenerator(quoted)) {
      json.writeString(text);
    } catch (IOException impossible) {
      throw new UncheckedIOException(impossible);
    }
    return quoted.toString();
  }
}
