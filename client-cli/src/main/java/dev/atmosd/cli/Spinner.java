package dev.atmosd.cli;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * "⠋ Waiting for sign-in… 12s" on a terminal, redrawn in place; a single plain line otherwise (logs and CI output
 * must not fill up with carriage returns).
 */
final class Spinner {
  private static final String FRAMES = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏";
  private final PrintStream err;
  private final boolean animate;
  private final Clock clock;
  private Thread thread;
  private volatile String label;
  private volatile boolean paused;
  private Instant since;
  private boolean cleanupRegistered;

  Spinner(PrintStream err, boolean animate, Clock clock) {
    this.err = err;
    this.animate = animate;
    this.clock = clock;
  }

  synchronized void start(String text) {
    stop();
    label = text;
    since = clock.instant();
    if (!animate) {
      err.println(text + "…");
      return;
    }
    paused = false;
    if (!cleanupRegistered) {
      // Ctrl-C while waiting: leave the terminal on a clean line, not after a half-drawn spinner.
      cleanupRegistered = true;
      Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "atmos-spinner-cleanup"));
    }
    Thread spinning = new Thread(this::spin, "atmos-spinner");
    spinning.setDaemon(true);
    thread = spinning;
    spinning.start();
  }

  private void spin() {
    int frame = 0;
    while (!Thread.currentThread().isInterrupted()) {
      synchronized (this) {
        if (thread != Thread.currentThread()) {
          return;
        }
        if (!paused) {
          long seconds = Duration.between(since, clock.instant()).getSeconds();
          err.print("\r\u001b[K" + FRAMES.charAt(frame % FRAMES.length()) + " " + label + "… " + seconds + "s");
          err.flush();
        }
      }
      frame++;
      try {
        Thread.sleep(100);
      } catch (InterruptedException stopped) {
        return;
      }
    }
  }

  synchronized void pause() {
    if (thread != null && !paused) {
      paused = true;
      err.print("\r\u001b[K");
      err.flush();
    }
  }

  synchronized void resume() {
    paused = false;
  }

  synchronized void stop() {
    if (thread != null) {
      thread.interrupt();
      thread = null;
      err.print("\r\u001b[K");
      err.flush();
    }
  }
}
