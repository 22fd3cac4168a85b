package dev.atmosd.it;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Polls a condition until it holds or a deadline passes. No fixed sleeps "to let things happen". */
public final class Await {
  private Await() {}

  public static void until(Duration timeout, String what, BooleanSupplier condition) {
    until(timeout, () -> what, condition);
  }

  public static void until(Duration timeout, Supplier<String> what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    long pause = 20;
    while (true) {
      boolean ok;
      RuntimeException last = null;
      try {
        ok = condition.getAsBoolean();
      } catch (RuntimeException e) {
        ok = false;
        last = e;
      }
      if (ok) {
        return;
      }
      if (System.nanoTime() > deadline) {
        AssertionError error = new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for: " + what.get());
        if (last != null) {
          error.addSuppressed(last);
        }
        throw error;
      }
      try {
        Thread.sleep(pause); // poll interval, not a wait for an event
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for: " + what.get(), e);
      }
      pause = Math.min(250, pause * 2);
    }
  }
}
