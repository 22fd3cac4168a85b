package dev.atmosd.it.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** What a JVM process holds, read from /proc and jcmd: used heap after a full GC, thread names, open fds, RSS. */
final class ProcessProbe {
  private static final Pattern THREAD = Pattern.compile("(?m)^\"([^\"]*)\" #");
  private static final Pattern USED = Pattern.compile("used (\\d+)K");

  /** Pools whose idle threads end on their own after a keep-alive (30-60 s): they grow with concurrency, not with time. */
  static final List<String> ELASTIC_POOLS = List.of("grpc-default-executor", "atmosd-mint-", "atmosd-endpoint-config",
      "atmosd-oidc-call", "atmosd-provisioning-", "Attach Listener", "process reaper");

  private ProcessProbe() {}

  record Snapshot(long heapUsedKb, long rssKb, int fds, List<String> threads) {
    long steadyThreads() {
      return threads.stream().filter(t -> ELASTIC_POOLS.stream().noneMatch(t::startsWith)).count();
    }

    long elasticThreads() {
      return threads.size() - steadyThreads();
    }

    @Override
    public String toString() {
      return "heap used after GC " + heapUsedKb / 1024 + " MiB, RSS " + rssKb / 1024 + " MiB, threads "
          + threads.size() + " (" + steadyThreads() + " steady + " + elasticThreads() + " in elastic pools), fds " + fds;
    }
  }

  static Snapshot take(long pid) {
    jcmd(pid, "GC.run");
    String heap = jcmd(pid, "GC.heap_info");
    long used = 0; // the heap's generations (or G1's one line); not Metaspace or class space
    for (String line : heap.split("\\R")) {
      Matcher m = USED.matcher(line);
      if (m.find() && !line.contains("Metaspace") && !line.contains("class space")) {
        used += Long.parseLong(m.group(1));
      }
    }
    List<String> threads = new ArrayList<>();
    Matcher t = THREAD.matcher(jcmd(pid, "Thread.print"));
    while (t.find()) {
      threads.add(t.group(1));
    }
    return new Snapshot(used, rssKb(pid), fds(pid), threads);
  }

  static int fds(long pid) {
    try (Stream<Path> fds = Files.list(Path.of("/proc", String.valueOf(pid), "fd"))) {
      return (int) fds.count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static long rssKb(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return -1;
  }

  static String jcmd(long pid, String command) {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    try {
      Process p = new ProcessBuilder(jcmd.toString(), String.valueOf(pid), command).redirectErrorStream(true).start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new AssertionError("jcmd " + pid + " " + command + " failed: " + new String(out, StandardCharsets.UTF_8));
      }
      return new String(out, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
