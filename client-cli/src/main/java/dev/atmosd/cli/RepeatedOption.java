package dev.atmosd.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * The values of a repeatable global option given anywhere on the command line ({@code atmos --config a auth list
 * --config b}). picocli hands each command its own list, appended to in place, so every list seen is kept and read
 * in order at the end rather than copied when the setter runs.
 */
final class RepeatedOption {
  private final List<List<String>> lists = new ArrayList<>();
  private final List<String> direct = new ArrayList<>();

  void bind(List<String> values) {
    if (values != null && lists.stream().noneMatch(list -> list == values)) {
      lists.add(values);
    }
  }

  void add(String value) {
    direct.add(value);
  }

  List<String> values() {
    List<String> all = new ArrayList<>(direct);
    lists.forEach(all::addAll);
    return List.copyOf(all);
  }
}
