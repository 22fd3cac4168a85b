package dev.atmosd.bench.config;

import dev.atmosd.bench.support.Stats;
import dev.atmosd.daemon.config.AtmosConfig;
import dev.atmosd.daemon.config.ConfigLoader;
import dev.atmosd.daemon.config.ConfigRequest;
import dev.atmosd.daemon.files.DaemonPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The daemon's config load on the largest config of the test corpus ({@code it/src/test/resources/atmos-corpus}, by
 * size), cold and warm side by side in one JVM:
 *
 * <ul>
 *   <li><b>first load</b>: the very first {@code ConfigLoader.load} in the JVM (class loading, JIT-cold), once;
 *   <li><b>cold</b>: a fresh {@code ConfigLoader} per load, so every load reads, parses, merges and validates the
 *       files (what each edit of atmos.yaml costs, once the code is compiled);
 *   <li><b>warm</b>: the same loader again and again: the config is re-used while a stat of each file it was made of
 *       shows it unchanged (what every GetCredentials and container-endpoint GET pays).
 * </ul>
 *
 * <p>Rounds alternate a cold batch and a warm batch, so both see the same machine load; each figure is the median of
 * the rounds' p50 (min–max), and the ratio is taken per round. Files are copied into a temp dir and aged past the
 * loader's "racily clean" window (2 s), as a config on disk normally is.
 *
 * <p>Usage: {@code bench/run-config-load.sh [rounds] [cold loads per round] [warm loads per round] [corpus dir]},
 * default 7 400 20000.
 */
public final class ConfigLoadBenchmark {
  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
    int coldLoads = args.length > 1 ? Integer.parseInt(args[1]) : 400;
    int warmLoads = args.length > 2 ? Integer.parseInt(args[2]) : 20_000;
    Path corpus = Path.of(args.length > 3 ? args[3] : "it/src/test/resources/atmos-corpus");

    Path largest = largestConfig(corpus);
    Path dir = Files.createTempDirectory("atmosd-config-bench");
    Path config = Files.copy(largest, Files.createDirectories(dir.resolve("project")).resolve("atmos.yaml"));
    Files.setLastModifiedTime(config, FileTime.from(Instant.now().minusSeconds(60)));
    Files.setLastModifiedTime(config.getParent(), FileTime.from(Instant.now().minusSeconds(60)));
    DaemonPaths paths = new DaemonPaths(dir.resolve("cache"), dir.resolve("state"));
    ConfigRequest request = new ConfigRequest(List.of(new ConfigRequest.Source(config, true)), List.of(),
        config.getParent());
    Map<String, String> env = Map.of("HOME", dir.resolve("home").toString());

    long firstStart = System.nanoTime();
    AtmosConfig first = new ConfigLoader(paths, Map.of()).load(request, Map.of(), env);
    long firstLoad = System.nanoTime() - firstStart;
    System.out.printf(Locale.ROOT, "config: %s (%d bytes; %d providers, %d identities)%n", largest,
        Files.size(largest), first.providers().size(), first.identities().size());
    System.out.printf(Locale.ROOT, "first load in a fresh JVM: %.2f ms%n", firstLoad / 1e6);

    // Compile both paths before measuring.
    ConfigLoader warmLoader = new ConfigLoader(paths, Map.of());
    for (int i = 0; i < 2_000; i++) {
      new ConfigLoader(paths, Map.of()).load(request, Map.of(), env);
      warmLoader.load(request, Map.of(), env);
    }

    List<Double> coldP50 = new ArrayList<>();
    List<Double> coldP90 = new ArrayList<>();
    List<Double> warmP50 = new ArrayList<>();
    List<Double> warmP90 = new ArrayList<>();
    List<Double> ratios = new ArrayList<>();
    for (int round = 0; round < rounds; round++) {
      long[] cold = new long[coldLoads];
      for (int i = 0; i < coldLoads; i++) {
        ConfigLoader fresh = new ConfigLoader(paths, Map.of());
        long start = System.nanoTime();
        fresh.load(request, Map.of(), env);
        cold[i] = System.nanoTime() - start;
      }
      long[] warm = new long[warmLoads];
      AtmosConfig reused = warmLoader.load(request, Map.of(), env);
      for (int i = 0; i < warmLoads; i++) {
        long start = System.nanoTime();
        AtmosConfig again = warmLoader.load(request, Map.of(), env);
        warm[i] = System.nanoTime() - start;
        if (again != reused) {
          throw new IllegalStateException("the warm load did not re-use the loaded config");
        }
      }
      long[] coldSorted = Stats.sorted(cold);
      long[] warmSorted = Stats.sorted(warm);
      double c50 = Stats.percentile(coldSorted, 50) / 1e3;
      double w50 = Stats.percentile(warmSorted, 50) / 1e3;
      coldP50.add(c50);
      coldP90.add(Stats.percentile(coldSorted, 90) / 1e3);
      warmP50.add(w50);
      warmP90.add(Stats.percentile(warmSorted, 90) / 1e3);
      ratios.add(c50 / w50);
      System.out.printf(Locale.ROOT, "round %d: cold p50 %.1f µs, warm p50 %.2f µs, ratio %.0f×%n", round + 1, c50, w50,
          c50 / w50);
    }
    System.out.println();
    System.out.printf(Locale.ROOT, "| what | loads per round | p50 µs | p90 µs |%n|---|---|---|---|%n");
    System.out.printf(Locale.ROOT, "| cold (fresh loader: read, parse, merge, validate) | %d | %s | %s |%n", coldLoads,
        Stats.medianMinMax(coldP50, "%.1f"), Stats.medianMinMax(coldP90, "%.1f"));
    System.out.printf(Locale.ROOT, "| warm (re-used while the files' stamps are unchanged) | %d | %s | %s |%n", warmLoads,
        Stats.medianMinMax(warmP50, "%.2f"), Stats.medianMinMax(warmP90, "%.2f"));
    System.out.printf(Locale.ROOT, "cold / warm (p50, per round): %s×; rounds: %d; first load in the JVM: %.2f ms%n",
        Stats.medianMinMax(ratios, "%.0f"), rounds, firstLoad / 1e6);
  }

  /** The largest {@code .yaml} of the corpus that is a valid config (CORPUS.tsv says which are). */
  private static Path largestConfig(Path corpus) throws Exception {
    Path largest = null;
    for (String line : Files.readAllLines(corpus.resolve("CORPUS.tsv"))) {
      String[] columns = line.split("\t");
      if (line.startsWith("#") || columns.length < 2 || !columns[1].equals("valid")) {
        continue;
      }
      Path file = corpus.resolve(columns[0]);
      if (largest == null || Files.size(file) > Files.size(largest)) {
        largest = file;
      }
    }
    if (largest == null) {
      throw new IllegalStateException("no valid config listed in " + corpus.resolve("CORPUS.tsv"));
    }
    return largest;
  }
}
