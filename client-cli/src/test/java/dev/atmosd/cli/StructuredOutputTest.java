package dev.atmosd.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StructuredOutputTest {
  @Test
  void quotesEveryScalarAYamlReaderCouldMisread() {
    assertThat(StructuredOutput.yamlScalar("prod/Admin")).isEqualTo("prod/Admin");
    assertThat(StructuredOutput.yamlScalar("us-east-1")).isEqualTo("us-east-1");
    assertThat(StructuredOutput.yamlScalar("123456789012")).isEqualTo("\"123456789012\"");
    assertThat(StructuredOutput.yamlScalar("yes")).isEqualTo("\"yes\"");
    assertThat(StructuredOutput.yamlScalar("null")).isEqualTo("\"null\"");
    assertThat(StructuredOutput.yamlScalar("")).isEqualTo("\"\"");
    assertThat(StructuredOutput.yamlScalar("a: b")).isEqualTo("\"a: b\"");
    assertThat(StructuredOutput.yamlScalar("#x")).isEqualTo("\"#x\"");
    assertThat(StructuredOutput.yamlScalar("line\nbreak")).isEqualTo("\"line\\nbreak\"");
    assertThat(StructuredOutput.yamlScalar(true)).isEqualTo("true");
    assertThat(StructuredOutput.yamlScalar(42)).isEqualTo("42");
  }

  @Test
  void writesNestedMappingsAndSequencesInBlockStyle() {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("name", "x");
    doc.put("empty", List.of());
    doc.put("items", List.of(Map.of("a", 1), "plain", List.of("m")));
    doc.put("nested", Map.of("k", "v"));
    assertThat(StructuredOutput.yaml(doc)).isEqualTo(
        "name: x\nempty: []\nitems:\n  - a: 1\n  - plain\n  -\n    - m\nnested:\n  k: v\n");
  }
}
