package dev.atmosd.daemon.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads one YAML file into plain {@code Map}/{@code List}/{@code String} values. Scalars stay as their source text
 * (an unquoted account id such as {@code 012345678901} must not become a number and lose its leading zero), and
 * booleans and durations are interpreted where the schema says so. Failures are one line: file:line:col and the
 * problem, never a stack trace.
 */
final class YamlDocumentReader {
  private static final YAMLFactory YAML = YAMLFactory.builder().build();

  private YamlDocumentReader() {}

  /** The document's top-level mapping; an empty file is an empty map. */
  static Map<String, Object> read(Path file) {
    if (!Files.exists(file)) {
      throw new ConfigException("config file " + file + " does not exist: pass --config or set ATMOS_CLI_CONFIG_PATH"
          + " to an atmos.yaml");
    }
    if (Files.isDirectory(file)) {
      throw new ConfigException("config file " + file + " is a directory: point --config at the atmos.yaml inside it");
    }
    try (InputStream in = Files.newInputStream(file); JsonParser parser = YAML.createParser(in)) {
      JsonToken first = parser.nextToken();
      if (first == null || first == JsonToken.VALUE_NULL) {
        return new LinkedHashMap<>();
      }
      if (first != JsonToken.START_OBJECT) {
        throw new ConfigException(at(file, parser.currentTokenLocation())
            + ": the top level must be a mapping (key: value), not " + describe(first));
      }
      return readMapping(parser, file);
    } catch (JsonProcessingException e) {
      throw new ConfigException(at(file, e.getLocation()) + ": invalid YAML: " + firstLine(e.getOriginalMessage())
          + ": fix the syntax");
    } catch (NoSuchFileException e) {
      throw new ConfigException("config file " + file + " does not exist: pass --config or set ATMOS_CLI_CONFIG_PATH"
          + " to an atmos.yaml");
    } catch (AccessDeniedException e) {
      throw new ConfigException("cannot read config file " + file + ": permission denied: check its owner and mode");
    } catch (IOException e) {
      throw new ConfigException("cannot read config file " + file + ": " + firstLine(e.getMessage()));
    }
  }

  private static Map<String, Object> readMapping(JsonParser parser, Path file) throws IOException {
    Map<String, Object> map = new LinkedHashMap<>();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String key = parser.currentName();
      parser.nextToken();
      map.put(key, readValue(parser, file));
    }
    return map;
  }

  private static Object readValue(JsonParser parser, Path file) throws IOException {
    JsonToken token = parser.currentToken();
    if (token == JsonToken.START_OBJECT) {
      return readMapping(parser, file);
    }
    if (token == JsonToken.START_ARRAY) {
      List<Object> list = new ArrayList<>();
      while (parser.nextToken() != JsonToken.END_ARRAY) {
        list.add(readValue(parser, file));
      }
      return list;
    }
    if (token == JsonToken.VALUE_NULL) {
      return null;
    }
    // The YAML parser keeps a scalar's source text; numbers and booleans are read from it when needed.
    return parser.getText();
  }

  static String at(Path file, JsonLocation location) {
    if (location == null || location.getLineNr() < 1) {
      return file.toString();
    }
    return file + ":" + location.getLineNr() + ":" + location.getColumnNr();
  }

  static String firstLine(String message) {
    if (message == null) {
      return "unreadable";
    }
    String line = message.strip();
    int newline = line.indexOf('\n');
    return (newline < 0 ? line : line.substring(0, newline)).strip();
  }

  private static String describe(JsonToken token) {
    return token == JsonToken.START_ARRAY ? "a list" : "a single value";
  }
}
