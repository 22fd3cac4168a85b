package dev.atmosd.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;

/**
 * The packaging's AOT training run (JDK >= 25, {@code -XX:AOTCacheOutput}): one JVM that runs several real command
 * lines against a throwaway daemon, so the cache holds what each of them loads and links, the hot
 * {@code credential-process} path above all, not only what one command needed. Each argument is one command line
 * (words separated by spaces); their output is discarded and each exit code reported on stderr.
 */
public final class AotTrainingRun {
  private AotTrainingRun() {}

  public static void main(String[] commandLines) {
    int failed = 0;
    for (String commandLine : commandLines) {
      ByteArrayOutputStream discarded = new ByteArrayOutputStream();
      PrintStream sink = new PrintStream(discarded, true, StandardCharsets.UTF_8);
      Invocation invocation = new Invocation(System.getenv(), sink, sink, Clock.systemUTC());
      int code = Atmos.execute(commandLine.strip().split(" +"), invocation);
      System.err.println("[atmos aot]   atmos " + commandLine + " -> exit " + code);
      if (code != ExitCodes.OK) {
        failed++;
        // Only failures are shown: their output is an error message, never credentials.
        discarded.toString(StandardCharsets.UTF_8).lines().limit(3)
            .forEach(line -> System.err.println("[atmos aot]     " + line));
      }
    }
    System.err.println("[atmos aot]   " + (commandLines.length - failed) + " of " + commandLines.length
        + " training commands succeeded" + (failed == 0 ? "" : "; the cache still holds what they loaded"));
    System.exit(failed == 0 ? 0 : 1);
  }
}
