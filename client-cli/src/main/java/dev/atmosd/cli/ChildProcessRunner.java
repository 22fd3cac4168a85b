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
    // Handlers go in before the child starts: a signal in between (a Ctrl-C the moment an interactive shell starts, or
    // the child signalling its own process group at once) would otherwise end this JVM and leave the child running.
    // Installing them also stops the JVM from exiting on these signals before the child has finished.
    Forwarding forwarding = new Forwarding();
    forwarding.install("INT", !stdinIsTerminal);
    forwarding.install("TERM", true);
    forwarding.install("HUP", true);
    Process child;
    try {
      child = builder.start();
    } catch (IOException failed) {
      throw new UserError("could not run " + executable + ": " + failed.getMessage(), ExitCodes.FAILED);
    }
    forwarding.started(child);
    while (true) {
      try {
        return child.waitFor(); // on Unix the JDK reports a signalled child as 128+signal, as shells do
      } catch (InterruptedException interrupted) {
        // keep waiting: the child decides when it is done
      }
    }
  }

  /** Signals for the child; those that arrive before it has started are delivered to it once it has. */
  private static final class Forwarding {
    private final List<String> pending = new ArrayList<>();
    private Process child;

    void install(String signal, boolean deliver) {
      try {
        Signal.handle(new Signal(signal), received -> {
          if (deliver) {
            received(signal);
          }
        });
      } catch (IllegalArgumentException unsupported) {
        // the JVM reserves this signal here (e.g. running with -Xrs): leave the default
      }
    }

    private synchronized void received(String signal) {
      if (child == null) {
        pending.add(signal);
      } else if (child.isAlive()) {
        send(signal, child.pid());
      }
    }

    synchronized void started(Process process) {
      child = process;
      pending.forEach(signal -> send(signal, process.pid()));
      pending.clear();
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
