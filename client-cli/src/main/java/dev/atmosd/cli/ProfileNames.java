package dev.atmosd.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * Profile names as atmos reads {@code --profile} and {@code ATMOS_PROFILE}: comma-separated, blanks trimmed, empty
 * entries dropped (cloudposse/atmos pkg/config/load.go parseProfilesFromEnvString).
 */
final class ProfileNames {
  private ProfileNames() {}

  static List<String> split(String value) {
    List<String> names = new ArrayList<>();
    if (value == null) {
      return names;
    }
    for (String part : value.split(",")) {
      if (!part.isBlank()) {
        names.add(part.strip());
      }
    }
    return names;
  }
}
