package dev.atmosd.daemon.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Evaluates the YAML functions atmos evaluates in atmos.yaml, with atmos's semantics (Go: pkg/config/process_yaml.go,
 * pkg/utils/yaml_func_env.go, yaml_func_exec.go, pkg/git ProcessTagRoot):
 * <ul>
 *   <li>{@code !env NAME [default]}: the client's variable, else the default, else empty (atmos does not fail);
 *   <li>{@code !exec CMD}: {@code sh -c CMD}'s stdout, trailing newlines stripped, JSON decoded when it is JSON;
 *       a non-zero exit fails;
 *   <li>{@code !include FILE} / {@code !include.raw FILE}: a YAML/JSON file's content (else its text), relative to
 *       the including file (for a file in {@code .atmos.d/}, also to the directory holding it);
 *   <li>{@code !repo-root [default]} / {@code !git.root}: the git worktree root above the config's directory;
 *   <li>{@code !cwd [path]}, {@code !random [min] [max]}, and {@code !unset} (removes the key when merged).
 * </ul>
 * A function that fails is one line naming file:line and what to do ({@link ConfigException}, CLI exit 2).
 * !exec and !repo-root run from the directory of the file that holds them.
 */
final class YamlFunctions {
  /** Marks a key {@code !unset} removes when documents are merged. */
  static final Object UNSET = new Object() {
    @Override
    public String toString() {
      return "!unset";
    }
  };

  private static final long EXEC_TIMEOUT_SECONDS = 60;
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Variables that carry credentials: atmos strips them from !exec's environment, so does atmosd. */
  private static final List<String> SENSITIVE_PREFIXES = List.of("AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
      "AWS_ACCESS_KEY_ID", "ATMOS_PRO_TOKEN", "GITHUB_TOKEN", "ACTIONS_ID_TOKEN_REQUEST_TOKEN");

  private final Map<String, String> env;
  private int evaluated;

  /** @param env the variables {@code !env} and {@code !exec} see (the client's over the daemon's) */
  YamlFunctions(Map<String, String> env) {
    this.env = env;
  }

  /** How many functions were evaluated so far: a config made with any is not re-used from cache. */
  int evaluated() {
    return evaluated;
  }

  /** {@code document} with every function evaluated; the same instance when it holds none. */
  Map<String, Object> evaluate(Map<String, Object> document) {
    return hasFunctions(document) ? mapping(document) : document;
  }

  private static boolean hasFunctions(Object value) {
    if (value instanceof YamlFunction) {
      return true;
    }
    if (value instanceof Map<?, ?> map) {
      for (Object item : map.values()) {
        if (hasFunctions(item)) {
          return true;
        }
      }
    } else if (value instanceof List<?> list) {
      for (Object item : list) {
        if (hasFunctions(item)) {
          return true;
        }
      }
    }
    return false;
  }

  private Map<String, Object> mapping(Map<String, Object> map) {
    Map<String, Object> result = new LinkedHashMap<>();
    map.forEach((key, value) -> result.put(key, value(value)));
    return result;
  }

  @SuppressWarnings("unchecked")
  private Object value(Object value) {
    if (value instanceof YamlFunction function) {
      evaluated++;
      return call(function);
    }
    if (value instanceof Map<?, ?> map) {
      return mapping((Map<String, Object>) map);
    }
    if (value instanceof List<?> list) {
      List<Object> result = new ArrayList<>(list.size());
      list.forEach(item -> result.add(value(item)));
      return result;
    }
    return value;
  }

  private Object call(YamlFunction function) {
    String argument = function.argument().strip();
    switch (function.tag()) {
      case "!env":
        return envFunction(function, argument);
      case "!exec":
        return exec(function, argument);
      case "!include":
        return include(function, argument, false);
      case "!include.raw":
        return include(function, argument, true);
      case "!repo-root":
      case "!git.root":
        return repoRoot(function, argument);
      case "!cwd":
        Path cwd = function.file().getParent();
        return (argument.isEmpty() ? cwd : cwd.resolve(argument).normalize()).toString();
      case "!random":
        return random(function, argument);
      case "!unset":
        return UNSET;
      default:
        // atmos decodes a tag it does not know as the plain value; the stack-only functions (!terraform.output,
        // !store, ...) have no meaning in atmos.yaml.
        return function.argument();
    }
  }

  private Object envFunction(YamlFunction function, String argument) {
    List<String> parts = splitArguments(function, argument);
    if (parts.isEmpty() || parts.size() > 2) {
      throw new ConfigException(function.where() + ": !env takes a variable name and an optional default, not \""
          + argument + "\": write !env NAME [default]");
    }
    String value = env.get(parts.get(0));
    if (value != null) {
      return value.strip();
    }
    return parts.size() == 2 ? parts.get(1) : "";
  }

  private Object exec(YamlFunction function, String command) {
    if (command.isEmpty()) {
      throw new ConfigException(function.where() + ": !exec needs a command: write !exec COMMAND");
    }
    ProcessBuilder builder = new ProcessBuilder("/bin/sh", "-c", command)
        .directory(function.file().getParent().toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
        .redirectError(ProcessBuilder.Redirect.DISCARD);
    Map<String, String> processEnv = builder.environment();
    processEnv.clear();
    env.forEach((name, value) -> {
      if (SENSITIVE_PREFIXES.stream().noneMatch(name::startsWith)) {
        processEnv.put(name, value);
      }
    });
    String output;
    int exit;
    try {
      Process process = builder.start();
      byte[] stdout = process.getInputStream().readNBytes(1024 * 1024);
      if (!process.waitFor(EXEC_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new ConfigException(function.where() + ": !exec \"" + command + "\" ran longer than "
            + EXEC_TIMEOUT_SECONDS + " s: make the command finish or remove it");
      }
      exit = process.exitValue();
      output = new String(stdout, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ConfigException(function.where() + ": !exec \"" + command + "\" could not start: "
          + YamlDocumentReader.firstLine(e.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ConfigException(function.where() + ": !exec \"" + command + "\" was interrupted");
    }
    if (exit != 0) {
      throw new ConfigException(function.where() + ": !exec \"" + command + "\" failed with exit code " + exit
          + ": fix the command or remove it");
    }
    output = output.replaceAll("\n+$", "");
    return decodedJson(output);
  }

  /** atmos decodes !exec output that is JSON; an object or list becomes YAML content, a scalar its text. */
  private static Object decodedJson(String output) {
    String trimmed = output.strip();
    if (!(trimmed.startsWith("{") || trimmed.startsWith("["))) {
      return output;
    }
    try {
      return plain(JSON.readValue(trimmed, Object.class));
    } catch (IOException e) {
      return output;
    }
  }

  private static Object plain(Object value) {
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> result = new LinkedHashMap<>();
      map.forEach((k, v) -> result.put(String.valueOf(k), plain(v)));
      return result;
    }
    if (value instanceof List<?> list) {
      List<Object> result = new ArrayList<>();
      list.forEach(item -> result.add(plain(item)));
      return result;
    }
    return value == null ? null : String.valueOf(value);
  }

  private Object include(YamlFunction function, String argument, boolean raw) {
    List<String> parts = splitArguments(function, argument);
    if (parts.isEmpty()) {
      throw new ConfigException(function.where() + ": " + function.tag() + " needs a file: write "
          + function.tag() + " PATH");
    }
    String name = parts.get(0);
    if (name.contains("://")) {
      throw new ConfigException(function.where() + ": " + function.tag() + " \"" + name + "\" is remote; atmosd"
          + " includes local files only: copy it beside atmos.yaml");
    }
    if (parts.size() > 1) {
      throw new ConfigException(function.where() + ": " + function.tag() + " with a query (\"" + parts.get(1)
          + "\") is not supported by atmosd: include a file that holds just the part you need");
    }
    Path file = includedFile(function, name);
    if (raw || !(name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json"))) {
      try {
        return Files.readString(file, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new ConfigException(function.where() + ": cannot read " + function.tag() + " file " + file + ": "
            + YamlDocumentReader.firstLine(e.getMessage()));
      }
    }
    return new YamlFunctions(env).evaluateIncluded(YamlDocumentReader.read(file), this);
  }

  private Map<String, Object> evaluateIncluded(Map<String, Object> document, YamlFunctions parent) {
    Map<String, Object> result = evaluate(document);
    parent.evaluated += evaluated;
    return result;
  }

  private static Path includedFile(YamlFunction function, String name) {
    String expanded = name.startsWith("~/") ? System.getProperty("user.home") + name.substring(1) : name;
    Path dir = function.file().getParent();
    List<Path> candidates = new ArrayList<>();
    candidates.add(dir.resolve(expanded).normalize());
    String dirName = dir.getFileName() == null ? "" : dir.getFileName().toString();
    if ((dirName.equals(".atmos.d") || dirName.equals("atmos.d")) && dir.getParent() != null) {
      candidates.add(dir.getParent().resolve(expanded).normalize());
    }
    for (Path candidate : candidates) {
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    throw new ConfigException(function.where() + ": " + function.tag() + " file " + candidates.get(0)
        + " does not exist: fix the path (relative to " + dir + ")");
  }

  private static Object repoRoot(YamlFunction function, String defaultValue) {
    for (Path dir = function.file().getParent(); dir != null; dir = dir.getParent()) {
      if (Files.exists(dir.resolve(".git"))) {
        return dir.toString();
      }
    }
    if (!defaultValue.isEmpty()) {
      return defaultValue;
    }
    throw new ConfigException(function.where() + ": " + function.tag() + ": " + function.file().getParent()
        + " is not inside a git repository: give a default (" + function.tag() + " PATH) or use a plain path");
  }

  private static Object random(YamlFunction function, String argument) {
    List<String> parts = argument.isEmpty() ? List.of() : List.of(argument.split("\\s+"));
    long min = 0;
    long max = 65535;
    try {
      if (parts.size() == 1) {
        max = Long.parseLong(parts.get(0));
      } else if (parts.size() == 2) {
        min = Long.parseLong(parts.get(0));
        max = Long.parseLong(parts.get(1));
      } else if (parts.size() > 2) {
        throw new NumberFormatException();
      }
    } catch (NumberFormatException e) {
      throw new ConfigException(function.where() + ": !random takes up to two integers, not \"" + argument
          + "\": write !random [min] max");
    }
    if (min > max) {
      throw new ConfigException(function.where() + ": !random " + argument + ": min is above max: swap them");
    }
    return Long.toString(ThreadLocalRandom.current().nextLong(min, max + 1));
  }

  /** Splits on spaces; single or double quotes keep a part with spaces together (atmos's SplitStringByDelimiter). */
  private static List<String> splitArguments(YamlFunction function, String text) {
    List<String> parts = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    char quote = 0;
    boolean inPart = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else {
          current.append(c);
        }
      } else if (c == '"' || c == '\'') {
        quote = c;
        inPart = true;
      } else if (c == ' ' || c == '\t') {
        if (inPart) {
          parts.add(current.toString());
          current.setLength(0);
          inPart = false;
        }
      } else {
        current.append(c);
        inPart = true;
      }
    }
    if (quote != 0) {
      throw new ConfigException(function.where() + ": " + function.tag() + " " + text + ": a quote is not closed:"
          + " close it");
    }
    if (inPart) {
      parts.add(current.toString());
    }
    return parts;
  }

  static Map<String, String> environment(Map<String, String> daemonEnv, Map<String, String> clientEnv) {
    Map<String, String> merged = new HashMap<>(daemonEnv);
    merged.putAll(clientEnv);
    return merged;
  }

  static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }
}
