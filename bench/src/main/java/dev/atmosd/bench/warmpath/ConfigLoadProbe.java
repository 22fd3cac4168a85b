package dev.atmosd.bench.warmpath;

import dev.atmosd.bench.support.Stats;
import dev.atmosd.daemon.config.ConfigLoader;
import dev.atmosd.daemon.files.DaemonPaths;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Attributes the warm path's cost: times {@code ConfigLoader.load} (what the daemon runs on every GetCredentials and
 * every container-endpoint GET) on a sandbox the warm-path benchmark kept ({@code -Dbench.keep=1}), in this JVM.
 *
 * <p>Usage: {@code bench/run-java.sh dev.atmosd.bench.warmpath.ConfigLoadProbe SANDBOX_DIR [iterations]}.
 */
public final class ConfigLoadProbe {
  public static void main(String[] args) {
    Path dir = Path.of(args[0]);
    int iterations = args.length > 1 ? Integer.parseInt(args[1]) : 30;
    Map<String, String> env = Map.of("XDG_CACHE_HOME", dir.resolve("cache").toString(), "XDG_STATE_HOME",
        dir.resolve("state").toString());
    ConfigLoader loader = new ConfigLoader(DaemonPaths.fromEnvironment(env), env);
    Path yaml = dir.resolve("work/atmos.yaml");
    int identities = loader.load(yaml, Map.of()).identities().size();
    List<Double> ms = new ArrayList<>();
    for (int i = 0; i < iterations; i++) {
      long t0 = System.nanoTime();
      loader.load(yaml, Map.of());
      ms.add((System.nanoTime() - t0) / 1e6);
    }
    System.out.printf(Locale.ROOT, "ConfigLoader.load with %d identities, Java %s %s: %s ms per load (median, min–max"
            + " of %d, after 1 warm-up)%n", identities, System.getProperty("java.version"),
        String.join(" ", java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()),
        Stats.medianMinMax(ms, "%.1f"), iterations);
    System.exit(0);
  }
}
