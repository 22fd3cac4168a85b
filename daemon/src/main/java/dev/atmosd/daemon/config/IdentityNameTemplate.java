package dev.atmosd.daemon.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code spec.discovery.identity_name_template}: how a provisioned identity is named, written as the Go template
 * the atmos PRD specifies ({@code docs/prd/sso-role-auto-discovery.md} §6, default
 * {@code {{ .AccountName }}/{{ .RoleName }}}).
 *
 * <p>The part of Go's {@code text/template} a name needs, and no more: literal text; actions {@code {{ .Field }}}
 * with the fields {@code .AccountName}, {@code .AccountID} and {@code .RoleName}; pipelines into the Sprig string
 * functions atmos templates use ({@code lower}, {@code upper}, {@code trim}, {@code replace OLD NEW},
 * {@code trimPrefix P}, {@code trimSuffix S}); and the {@code {{-}}/{@code -}}} whitespace trimmers. Anything else
 * is refused when the config loads, with the column and what is allowed — a name is never code, so there is no
 * {@code if}, {@code range}, {@code env} or {@code exec}.
 */
public final class IdentityNameTemplate {
  private static final List<String> FIELDS = List.of("AccountName", "AccountID", "RoleName");
  private static final Map<String, Integer> FUNCTIONS = Map.of(
      "lower", 0, "upper", 0, "trim", 0, "replace", 2, "trimPrefix", 1, "trimSuffix", 1);

  public static final String DEFAULT_TEXT = "{{ .AccountName }}/{{ .RoleName }}";
  // After FIELDS and FUNCTIONS: parse reads them.
  public static final IdentityNameTemplate DEFAULT = parse(DEFAULT_TEXT);

  private final String text;
  private final List<Part> parts;

  private IdentityNameTemplate(String text, List<Part> parts) {
    this.text = text;
    this.parts = parts;
  }

  /** The values a name is made of. */
  public record Values(String accountName, String accountId, String roleName) {
    String field(String name) {
      return switch (name) {
        case "AccountName" -> accountName;
        case "AccountID" -> accountId;
        default -> roleName;
      };
    }
  }

  /** The template is not one this subset reads; the message says where and what is allowed. */
  public static final class InvalidTemplateException extends IllegalArgumentException {
    InvalidTemplateException(String message) {
      super(message);
    }
  }

  private sealed interface Part permits Literal, Action {}

  private record Literal(String text) implements Part {}

  private record Call(String function, List<String> arguments) {}

  private record Action(String field, List<Call> pipeline) implements Part {}

  public static IdentityNameTemplate parse(String text) {
    List<Part> parts = new ArrayList<>();
    StringBuilder literal = new StringBuilder();
    int i = 0;
    while (i < text.length()) {
      int open = text.indexOf("{{", i);
      if (open < 0) {
        literal.append(text, i, text.length());
        break;
      }
      literal.append(text, i, open);
      int close = text.indexOf("}}", open + 2);
      if (close < 0) {
        throw new InvalidTemplateException("unclosed action at column " + (open + 1) + ": end it with }}");
      }
      String inner = text.substring(open + 2, close);
      boolean trimLeft = inner.startsWith("- ") || inner.equals("-");
      boolean trimRight = inner.endsWith(" -");
      if (trimLeft) {
        inner = inner.substring(1);
        stripTrailingWhitespace(literal);
      }
      if (trimRight) {
        inner = inner.substring(0, inner.length() - 1);
      }
      if (!literal.isEmpty()) {
        parts.add(new Literal(literal.toString()));
        literal.setLength(0);
      }
      parts.add(action(inner.strip(), open + 1));
      i = close + 2;
      if (trimRight) {
        while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
          i++;
        }
      }
    }
    if (!literal.isEmpty()) {
      parts.add(new Literal(literal.toString()));
    }
    if (parts.stream().noneMatch(Action.class::isInstance)) {
      throw new InvalidTemplateException("uses no field, so every identity would get the same name: use "
          + fieldList());
    }
    return new IdentityNameTemplate(text, List.copyOf(parts));
  }

  private static Action action(String inner, int column) {
    String[] stages = inner.split("\\|", -1);
    String field = stages[0].strip();
    if (!field.startsWith(".") || !FIELDS.contains(field.substring(1))) {
      throw new InvalidTemplateException("\"" + field + "\" at column " + column + " is not a field: use "
          + fieldList());
    }
    List<Call> pipeline = new ArrayList<>();
    for (int s = 1; s < stages.length; s++) {
      List<String> words = words(stages[s].strip(), column);
      if (words.isEmpty()) {
        throw new InvalidTemplateException("empty pipeline stage at column " + column + ": name a function after |");
      }
      String function = words.get(0);
      Integer arity = FUNCTIONS.get(function);
      if (arity == null) {
        throw new InvalidTemplateException("function \"" + function + "\" at column " + column
            + " is not one a name may use: use lower, upper, trim, replace, trimPrefix or trimSuffix");
      }
      if (words.size() - 1 != arity) {
        throw new InvalidTemplateException(function + " at column " + column + " takes " + arity
            + " quoted argument" + (arity == 1 ? "" : "s") + ", not " + (words.size() - 1));
      }
      pipeline.add(new Call(function, List.copyOf(words.subList(1, words.size()))));
    }
    return new Action(field.substring(1), List.copyOf(pipeline));
  }

  /** A function name followed by double-quoted (Go-escaped) or back-quoted arguments. */
  private static List<String> words(String stage, int column) {
    List<String> words = new ArrayList<>();
    int i = 0;
    while (i < stage.length()) {
      char c = stage.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '"' || c == '`') {
        StringBuilder word = new StringBuilder();
        int j = i + 1;
        while (j < stage.length() && stage.charAt(j) != c) {
          if (c == '"' && stage.charAt(j) == '\\' && j + 1 < stage.length()) {
            j++;
          }
          word.append(stage.charAt(j));
          j++;
        }
        if (j >= stage.length()) {
          throw new InvalidTemplateException("unterminated string at column " + column + ": close it with " + c);
        }
        words.add(word.toString());
        i = j + 1;
      } else {
        int j = i;
        while (j < stage.length() && !Character.isWhitespace(stage.charAt(j))) {
          j++;
        }
        String word = stage.substring(i, j);
        if (!words.isEmpty()) {
          throw new InvalidTemplateException("argument " + word + " at column " + column + " must be a quoted string");
        }
        words.add(word);
        i = j;
      }
    }
    return words;
  }

  public String render(Values values) {
    StringBuilder out = new StringBuilder();
    for (Part part : parts) {
      if (part instanceof Literal literal) {
        out.append(literal.text());
      } else if (part instanceof Action action) {
        String value = values.field(action.field());
        value = value == null ? "" : value;
        for (Call call : action.pipeline()) {
          value = apply(call, value);
        }
        out.append(value);
      }
    }
    return out.toString();
  }

  public String text() {
    return text;
  }

  private static String apply(Call call, String value) {
    List<String> args = call.arguments();
    return switch (call.function()) {
      case "lower" -> value.toLowerCase(Locale.ROOT);
      case "upper" -> value.toUpperCase(Locale.ROOT);
      case "trim" -> value.strip();
      // Sprig's argument order: the piped value comes last.
      case "replace" -> value.replace(args.get(0), args.get(1));
      case "trimPrefix" -> value.startsWith(args.get(0)) ? value.substring(args.get(0).length()) : value;
      default -> value.endsWith(args.get(0)) ? value.substring(0, value.length() - args.get(0).length()) : value;
    };
  }

  private static void stripTrailingWhitespace(StringBuilder literal) {
    int end = literal.length();
    while (end > 0 && Character.isWhitespace(literal.charAt(end - 1))) {
      end--;
    }
    literal.setLength(end);
  }

  private static String fieldList() {
    return ".AccountName, .AccountID or .RoleName";
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof IdentityNameTemplate template && template.parts.equals(parts);
  }

  @Override
  public int hashCode() {
    return parts.hashCode();
  }

  @Override
  public String toString() {
    return text;
  }
}
