package dev.atmosd.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random names and values through every `auth env` format (issue 11, item 2): a plain name with any value reads back
 * exactly, through the real shell where one is installed (bash for bash and dotenv, fish; pwsh only if present), through
 * a JSON parser, and through GitHub's documented $GITHUB_ENV syntax; any other name is refused in every format.
 * Round-trip names carry a prefix because every shell has variables of its own (PATH, RANDOM, status, _...) whose
 * assignment means something else; the refusal property uses names as they come.
 */
class EnvFormatterRoundTripTest {
  private static final Path BASH = Path.of("/bin/bash");
  private static final Path FISH = findOnPath("fish");
  private static final Path PWSH = findOnPath("pwsh");
  private static final EnvFormatter FORMATTER = new EnvFormatter(() -> "ghadelimiter_fixed");

  @Property(tries = 25)
  void plainNamesAndAnyValuesReadBackExactlyInEveryShell(@ForAll("variables") Map<String, String> set,
      @ForAll("unsetNames") List<String> unset) throws Exception {
    List<String> gone = new ArrayList<>(unset);
    gone.removeAll(set.keySet());
    assertThat(readBash(FORMATTER.render(EnvFormatter.Format.BASH, set, gone), set, gone)).isEqualTo(expected(set, gone));
    assertThat(readDotenv(FORMATTER.render(EnvFormatter.Format.DOTENV, set, gone), set)).isEqualTo(set);
    if (FISH != null) {
      assertThat(readFish(FORMATTER.render(EnvFormatter.Format.FISH, set, gone), set, gone))
          .isEqualTo(expected(set, gone));
    }
    if (PWSH != null) {
      assertThat(readPowershell(FORMATTER.render(EnvFormatter.Format.POWERSHELL, set, gone), set)).isEqualTo(set);
    }
    assertThat(readJson(FORMATTER.render(EnvFormatter.Format.JSON, set, gone))).isEqualTo(set);
    assertThat(readGithubEnv(FORMATTER.render(EnvFormatter.Format.GITHUB, set, gone))).isEqualTo(set);
  }

  @Property(tries = 300)
  void aNameThatIsNotAPlainVariableNameIsRefusedInEveryFormat(@ForAll("anyNames") String name) {
    Assume.that(!name.matches("[A-Za-z_][A-Za-z0-9_]*"));
    for (EnvFormatter.Format format : EnvFormatter.Format.values()) {
      assertThatThrownBy(() -> FORMATTER.render(format, Map.of(name, "v"), List.of()))
          .as("%s in %s", name, format).isInstanceOf(UserError.class).hasMessageContaining("a name must match");
      assertThatThrownBy(() -> FORMATTER.render(format, Map.of(), List.of(name)))
          .as("unset %s in %s", name, format).isInstanceOf(UserError.class);
    }
  }

  @Property(tries = 300)
  void aPlainNameIsAccepted(@ForAll("plainNames") String name) {
    for (EnvFormatter.Format format : EnvFormatter.Format.values()) {
      assertThat(FORMATTER.render(format, Map.of(name, "v"), List.of())).contains(name);
    }
  }

  @Provide
  Arbitrary<String> plainNames() {
    Arbitrary<Character> first = Arbitraries.chars().range('a', 'z').range('A', 'Z').with('_');
    Arbitrary<String> rest = Arbitraries.strings().withCharRange('a', 'z').withCharRange('A', 'Z')
        .withCharRange('0', '9').withChars('_').ofMaxLength(20);
    return Combinators.combine(first, rest).as((c, r) -> c + r);
  }

  @Provide
  Arbitrary<String> anyNames() {
    Arbitrary<String> shellish = Arbitraries.strings().withChars("AZaz_09=;$`'\"\\ \t\n(){}|&<>#*?![]~-.").ofMaxLength(12);
    return Arbitraries.oneOf(shellish, Arbitraries.strings().ofMaxLength(8),
        Arbitraries.of("X=1; touch /tmp/p; Y", "$(id)", "1ABC", "", "A B", "A-B", "é"));
  }

  @Provide
  Arbitrary<Map<String, String>> variables() {
    return Arbitraries.maps(plainNames().map(n -> "ATMOS_T_" + n), values()).ofMinSize(1).ofMaxSize(8);
  }

  @Provide
  Arbitrary<List<String>> unsetNames() {
    return plainNames().map(n -> "ATMOS_T_" + n).list().uniqueElements().ofMaxSize(3);
  }

  /** Anything an environment variable can hold: no NUL, and no code points fish keeps for itself (U+F600-U+F6FF). */
  private Arbitrary<String> values() {
    Arbitrary<String> nasty = Arbitraries.strings()
        .withChars("'\"\\$`!;&|<>(){}[]*?~#%^=,.:/@+- \t\n\r")
        .withCharRange('a', 'z').withCharRange('0', '9')
        .withChars("é日本€")
        .ofMaxLength(40);
    return Arbitraries.oneOf(nasty, Arbitraries.strings().alpha().numeric().ofMaxLength(10),
        Arbitraries.of("", "'", "\\", "\n", "ghadelimiter_fixed", "a\nghadelimiter_fixed\nb", "😀", "-n"));
  }

  private static Map<String, String> expected(Map<String, String> set, List<String> gone) {
    Map<String, String> expected = new LinkedHashMap<>(set);
    gone.forEach(name -> expected.put(name, null));
    return expected;
  }

  // ------------------------------------------------------------------------------------------------ the readers

  private Map<String, String> readBash(String script, Map<String, String> set, List<String> gone) throws Exception {
    StringBuilder print = new StringBuilder("eval \"$(cat \"$1\")\"\n");
    names(set, gone).forEach(name -> print.append("if [ -n \"${").append(name).append("+set}\" ]; then printf 'S%s\\0' \"$")
        .append(name).append("\"; else printf 'U\\0'; fi\n"));
    return run(List.of(BASH.toString(), "-c", print.toString(), "bash"), script, set, gone);
  }

  private Map<String, String> readDotenv(String file, Map<String, String> set) throws Exception {
    StringBuilder print = new StringBuilder("set -a; . \"$1\"; set +a\n");
    set.keySet().forEach(name -> print.append("printf 'S%s\\0' \"$").append(name).append("\"\n"));
    Map<String, String> read = run(List.of(BASH.toString(), "-c", print.toString(), "bash"), file, set, List.of());
    return read;
  }

  private Map<String, String> readFish(String script, Map<String, String> set, List<String> gone) throws Exception {
    StringBuilder print = new StringBuilder("source $argv[1]\n");
    names(set, gone).forEach(name -> print.append("if set -q ").append(name).append("; printf 'S%s\\0' \"$")
        .append(name).append("\"; else; printf 'U\\0'; end\n"));
    return run(List.of(FISH.toString(), "--no-config", "-c", print.toString()), script, set, gone);
  }

  private Map<String, String> readPowershell(String script, Map<String, String> set) throws Exception {
    StringBuilder print = new StringBuilder(". $args[0]\n");
    set.keySet().forEach(name -> print.append("[Console]::Out.Write('S' + $Env:").append(name).append(" + \"`0\")\n"));
    return run(List.of(PWSH.toString(), "-NoProfile", "-Command", print.toString()), script, set, List.of());
  }

  private static List<String> names(Map<String, String> set, List<String> gone) {
    List<String> names = new ArrayList<>(set.keySet());
    names.addAll(gone);
    return names;
  }

  /** Runs {@code command} with the script file as its argument; the variables to unset are set beforehand. */
  private Map<String, String> run(List<String> command, String script, Map<String, String> set, List<String> gone)
      throws Exception {
    Path file = Files.createTempFile("atmos-env", ".sh");
    try {
      Files.writeString(file, script);
      List<String> full = new ArrayList<>(command);
      full.add(file.toString());
      ProcessBuilder builder = new ProcessBuilder(full).redirectErrorStream(false);
      gone.forEach(name -> builder.environment().put(name, "to be unset"));
      builder.environment().put("LC_ALL", "C.UTF-8");
      Process process = builder.start();
      byte[] out = process.getInputStream().readAllBytes();
      String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(process.exitValue()).as("%s failed: %s\n%s", command.get(0), err, script).isZero();
      String[] fields = new String(out, StandardCharsets.UTF_8).split("\0", -1);
      List<String> names = names(set, gone);
      Map<String, String> read = new LinkedHashMap<>();
      for (int i = 0; i < names.size(); i++) {
        read.put(names.get(i), fields[i].startsWith("S") ? fields[i].substring(1) : null);
      }
      return read;
    } finally {
      Files.deleteIfExists(file);
    }
  }

  private static Map<String, String> readJson(String json) throws IOException {
    Map<String, String> read = new LinkedHashMap<>();
    try (JsonParser parser = new JsonFactory().createParser(json)) {
      assertThat(parser.nextToken()).isEqualTo(JsonToken.START_OBJECT);
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        parser.nextToken();
        read.put(name, parser.getText());
      }
    }
    return read;
  }

  /**
   * $GITHUB_ENV as the runner reads it (docs.github.com "Setting an environment variable", multiline strings):
   * {@code NAME=value} lines, or {@code NAME<<DELIMITER}, the value's lines, and the delimiter alone on a line.
   */
  private static Map<String, String> readGithubEnv(String file) {
    Map<String, String> read = new LinkedHashMap<>();
    String[] lines = file.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      if (line.isEmpty()) {
        continue;
      }
      int equals = line.indexOf('=');
      int heredoc = line.indexOf("<<");
      if (equals >= 0 && (heredoc < 0 || equals < heredoc)) {
        read.put(line.substring(0, equals), line.substring(equals + 1));
        continue;
      }
      String delimiter = line.substring(heredoc + 2);
      List<String> value = new ArrayList<>();
      while (!lines[++i].equals(delimiter)) {
        value.add(lines[i]);
      }
      read.put(line.substring(0, heredoc), String.join("\n", value));
    }
    return read;
  }

  private static Path findOnPath(String program) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      Path candidate = Path.of(dir, program);
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return null;
  }
}
