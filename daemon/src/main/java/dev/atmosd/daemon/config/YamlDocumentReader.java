package dev.atmosd.daemon.config;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads one YAML file into plain {@code Map}/{@code List}/{@code String} values, as atmos (Go yaml.v3) reads it:
 * anchors, aliases and {@code <<} merge keys resolve. Scalars stay as their source text (an unquoted account id such
 * as {@code 012345678901} must not become a number and lose its leading zero); booleans and durations are read
 * where the schema says so. Failures are one line — file:line:col and the problem — never a stack trace.
 *
 * <p>SnakeYAML's node graph is used rather than Jackson's YAML parser because Jackson hands an alias over as the
 * anchor's name instead of its content. SnakeYAML is already here as jackson-dataformat-yaml's parser.
 */
final class YamlDocumentReader {
  private static final int MAX_DEPTH = 64;
  /**
   * Room for a provisioned file of tens of thousands of identities (1,000 take ~150 kB), checked before reading: the
   * daemon runs in a 96 MB heap, and reading a 60 MB file ran it out of memory mid-call ("Application error
   * processing RPC") instead of saying what was wrong. SnakeYAML's own default (3 MB) is too tight.
   */
  static final long MAX_FILE_BYTES = 8L * 1024 * 1024;
  private static final int MAX_CODE_POINTS = (int) MAX_FILE_BYTES;
  /** SnakeYAML reads a long plain scalar in quadratic time (a 2 MB line took 44 s): no config needs such a line. */
  private static final int MAX_LINE_LENGTH = 64 * 1024;
  /** Values after aliases are expanded: bounds an alias bomb ("billion laughs") long before memory runs out. */
  private static final int MAX_VALUES = 250_000;

  private YamlDocumentReader() {}

  /**
   * Parsed documents, re-used while the file is unchanged: every request reads its client's atmos.yaml afresh, and
   * parsing a provisioned file of a thousand identities took ~90 ms a time. Validated by a stat (file key, size,
   * modification time) on every read; bounded, since clients choose the paths.
   */
  private static final int CACHED_DOCUMENTS = 64;
  private static final Map<Path, Parsed> parsed = new java.util.LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Path, Parsed> eldest) {
      return size() > CACHED_DOCUMENTS;
    }
  };

  private record Parsed(FileStamp stamp, Map<String, Object> document) {}

  /** The document's top-level mapping (read-only, possibly shared); an empty file is an empty map. */
  static Map<String, Object> read(Path file) {
    java.nio.file.attribute.BasicFileAttributes before;
    try {
      before = Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class);
    } catch (IOException e) {
      before = null; // parse() reports why the file cannot be read
    }
    FileStamp stamp = before == null ? null : FileStamp.of(before);
    if (stamp != null) {
      synchronized (parsed) {
        Parsed hit = parsed.get(file);
        if (hit != null && hit.stamp().equals(stamp)) {
          return hit.document();
        }
      }
    }
    Map<String, Object> document = frozen(parse(file));
    if (stamp != null && before.isRegularFile() && stamp.settled()) {
      synchronized (parsed) {
        parsed.put(file, new Parsed(stamp, document));
      }
    }
    return document;
  }

  @SuppressWarnings("unchecked")
  private static <T> T frozen(T value) {
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> copy = new LinkedHashMap<>();
      map.forEach((k, v) -> copy.put((String) k, frozen(v)));
      return (T) Collections.unmodifiableMap(copy);
    }
    if (value instanceof List<?> list) {
      List<Object> copy = new ArrayList<>(list.size());
      list.forEach(item -> copy.add(frozen(item)));
      return (T) Collections.unmodifiableList(copy);
    }
    return value;
  }

  private static Map<String, Object> parse(Path file) {
    if (!Files.exists(file)) {
      throw missing(file);
    }
    if (Files.isDirectory(file)) {
      throw new ConfigException("config file " + file + " is a directory: point --config at the atmos.yaml inside it");
    }
    if (!Files.isRegularFile(file)) {
      // A FIFO or device would block the read (or never end): refuse it before opening.
      throw new ConfigException("config file " + file + " is not a regular file: point --config at an atmos.yaml");
    }
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(true);
    options.setMaxAliasesForCollections(200);
    options.setCodePointLimit(MAX_CODE_POINTS);
    Yaml yaml = new Yaml(new SafeConstructor(options));
    try {
      long size = Files.size(file);
      if (size > MAX_FILE_BYTES) {
        throw tooLarge(file, size);
      }
      String text = Files.readString(file, StandardCharsets.UTF_8);
      refuseOverlongLines(text, file);
      Node root = yaml.compose(new java.io.StringReader(text));
      if (root == null || isNull(root)) {
        return new LinkedHashMap<>();
      }
      if (!(root instanceof MappingNode mapping)) {
        throw new ConfigException(at(file, root.getStartMark()) + ": the top level must be a mapping (key: value),"
            + " not " + (root instanceof SequenceNode ? "a list" : "a single value"));
      }
      return mapping(mapping, file, 0, new int[] {0});
    } catch (MarkedYAMLException e) {
      Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      String problem = e.getProblem() != null ? e.getProblem() : e.getContext();
      throw new ConfigException(at(file, mark) + ": invalid YAML: " + firstLine(problem) + ": fix the syntax");
    } catch (YAMLException e) {
      throw new ConfigException(file + ": invalid YAML: " + firstLine(e.getMessage()) + ": fix the syntax");
    } catch (NoSuchFileException e) {
      throw missing(file);
    } catch (AccessDeniedException e) {
      throw new ConfigException("cannot read config file " + file + ": permission denied: check its owner and mode");
    } catch (CharacterCodingException e) {
      throw new ConfigException(file + ": is not UTF-8 text: save it as UTF-8");
    } catch (IOException e) {
      throw new ConfigException("cannot read config file " + file + ": " + firstLine(e.getMessage()));
    }
  }

  private static ConfigException tooLarge(Path file, long size) {
    return new ConfigException(String.format(java.util.Locale.ROOT,
        "config file %s is %.1f MiB (%d bytes), over the limit of %d MiB for atmos.yaml and the files it imports:"
            + " check that --config / ATMOS_CLI_CONFIG_PATH names your atmos.yaml",
        file, size / (1024.0 * 1024), size, MAX_FILE_BYTES / (1024 * 1024)));
  }

  private static ConfigException missing(Path file) {
    return new ConfigException("config file " + file + " does not exist: pass --config or set ATMOS_CLI_CONFIG_PATH"
        + " to an atmos.yaml");
  }

  private static void refuseOverlongLines(String text, Path file) {
    int line = 1;
    int lineStart = 0;
    for (int i = 0; i <= text.length(); i++) {
      if (i == text.length() || text.charAt(i) == '\n') {
        if (i - lineStart > MAX_LINE_LENGTH) {
          throw new ConfigException(file + ":" + line + ": line is " + (i - lineStart) + " characters long; atmos.yaml"
              + " lines are limited to " + MAX_LINE_LENGTH + ": shorten it");
        }
        line++;
        lineStart = i + 1;
      }
    }
  }

  /** Counts one more value against the document's budget ({@code expanded[0]}). */
  private static void spend(int[] expanded, Node node, Path file) {
    if (++expanded[0] > MAX_VALUES) {
      throw new ConfigException(at(file, node.getStartMark()) + ": the document expands to more than " + MAX_VALUES
          + " values (aliases nested in aliases?): simplify its anchors and aliases");
    }
  }

  private static Map<String, Object> mapping(MappingNode node, Path file, int depth, int[] expanded) {
    checkDepth(node, file, depth);
    spend(expanded, node, file);
    Map<String, Object> map = new LinkedHashMap<>();
    // "<<: *base" (or a list of them) first, so the mapping's own keys win, as in yaml.v3.
    for (NodeTuple tuple : node.getValue()) {
      if (isMergeKey(tuple.getKeyNode())) {
        Node merged = tuple.getValueNode();
        List<Node> sources = merged instanceof SequenceNode list ? list.getValue() : List.of(merged);
        for (Node source : sources) {
          if (!(source instanceof MappingNode sourceMapping)) {
            throw new ConfigException(at(file, source.getStartMark()) + ": a << merge key needs a mapping (or a list"
                + " of mappings) to merge");
          }
          map.putAll(mapping(sourceMapping, file, depth + 1, expanded));
        }
      }
    }
    for (NodeTuple tuple : node.getValue()) {
      Node key = tuple.getKeyNode();
      if (isMergeKey(key)) {
        continue;
      }
      if (!(key instanceof ScalarNode scalarKey)) {
        throw new ConfigException(at(file, key.getStartMark()) + ": a key must be a plain value, not a mapping or"
            + " a list");
      }
      map.put(scalarKey.getValue(), value(tuple.getValueNode(), file, depth + 1, expanded));
    }
    return map;
  }

  private static Object value(Node node, Path file, int depth, int[] expanded) {
    if (node instanceof MappingNode mapping) {
      return mapping(mapping, file, depth, expanded);
    }
    spend(expanded, node, file);
    if (node instanceof SequenceNode sequence) {
      checkDepth(node, file, depth);
      List<Object> list = new ArrayList<>();
      for (Node item : sequence.getValue()) {
        list.add(value(item, file, depth + 1, expanded));
      }
      return list;
    }
    if (isNull(node)) {
      return null;
    }
    String tag = node.getTag().getValue();
    if (tag.startsWith("!") && !tag.startsWith("!!")) {
      // A local tag: one of atmos's YAML functions, evaluated per load by YamlFunctions.
      return new YamlFunction(tag, ((ScalarNode) node).getValue(), file, node.getStartMark().getLine() + 1);
    }
    return ((ScalarNode) node).getValue();
  }

  private static boolean isMergeKey(Node key) {
    return key instanceof ScalarNode scalar && (Tag.MERGE.equals(scalar.getTag()) || "<<".equals(scalar.getValue()));
  }

  private static boolean isNull(Node node) {
    return node instanceof ScalarNode && Tag.NULL.equals(node.getTag());
  }

  private static void checkDepth(Node node, Path file, int depth) {
    if (depth > MAX_DEPTH) {
      throw new ConfigException(at(file, node.getStartMark()) + ": nested deeper than " + MAX_DEPTH
          + " levels (a recursive alias?): simplify it");
    }
  }

  static String at(Path file, Mark mark) {
    if (mark == null) {
      return file.toString();
    }
    return file + ":" + (mark.getLine() + 1) + ":" + (mark.getColumn() + 1);
  }

  static String firstLine(String message) {
    if (message == null) {
      return "unreadable";
    }
    String line = message.strip();
    int newline = line.indexOf('\n');
    return (newline < 0 ? line : line.substring(0, newline)).strip();
  }
}
