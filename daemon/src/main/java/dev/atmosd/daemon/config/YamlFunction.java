package dev.atmosd.daemon.config;

import java.nio.file.Path;

/**
 * A scalar tagged with an atmos YAML function ({@code !env}, {@code !exec}, {@code !include}, ...), kept unevaluated
 * in the parsed (and cached) document so each load evaluates it with that load's environment.
 */
record YamlFunction(String tag, String argument, Path file, int line) {
  String where() {
    return file + ":" + line;
  }
}
