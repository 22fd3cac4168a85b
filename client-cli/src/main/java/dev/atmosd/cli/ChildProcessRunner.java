package dev.atmosd.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import sun.misc.Signal;

/**
 * Runs a command with the terminal handed over (inherited stdio), forwards the signals meant for it, and reports its
 * exit status the way a shell does (128+signal when a signal killed it).
 */
public final class ChildProcessRunner {
  private final boolean stdinIsTerminal;

  /**
   * @param stdinIsTerminal when true, Ctrl-C already reaches the child through the terminal's process group;
   *     forwarding SIGINT as well would deliver it twice, and terraform treats a second interrupt as "abort now"
   */
  public ChildProcessRunner(boolean stdinIsTerminal) {
    this.stdinIsTerminal = stdinIsTerminal;
  }

  /** The executable {@code program} resolves to on the child's PATH, or empty (the caller says how to fix it). */
  public static Optional<Path> resolve(String program, Map<String, String> env) {
    return Executables.find(program, env.get("PATH"));
  }

  public int run(Path executable, List<String> args, Map<String, String> env) {
    return run(executable, args, env, null);
  }

  /** @param directory where the child starts ({@code -C/--chdir}); null: this process's own directory */
  public int run(Path executable, List<String> args, Map<String, String> env, Path directory) {
    List<String> command = new ArrayList<>(args.size() + 1);
    command.add(executable.toString());
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
    builder.environment().clear();
    builder.environment().putAll(env);
    if (directory != null) {
      builder.directory(directory.toFile());
    }
    Process child;
    try {
      child = builder.start();
    } catch (IOException failed) {
      throw new UserError("could not run " + executable + ": " + failed.getMessage(), ExitCodes.FAILED);
    }
    // Installing handlers also stops the JVM from exiting on these signals before the child has finished.
    forward("INT", child, !stdinIsTerminal);
    forward("TERM", child, true);
    forward("HUP", child, true);
    while (true) {
      try {
        return child.waitFor(); // on Unix the JDK reports a signalled child as 128+signal, as shells do
      } catch (InterruptedException interrupted) {
        // keep waiting: the child decides when it is done
      }
    }
  }

  private static void forward(String signal, Process child, boolean deliver) {
    try {
      Signal.handle(new Signal(signal), received -> {
        if (deliver && child.isAlive()) {
          send(signal, child.pid());
        }
      });
    } catch (IllegalArgumentException unsupported) {
      // the JVM reserves this signal here (e.g. running with -Xrs): leave the default
    }
  }

  private static void send(String signal, long pid) {
    try {
      new ProcessBuilder("kill", "-" + signal, Long.toString(pid))
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .redirectError(ProcessBuilder.Redirect.DISCARD)
          .start();
    } catch (IOException cannot) {
      // no kill(1): nothing more we can do for this signal
    }
  }
}
