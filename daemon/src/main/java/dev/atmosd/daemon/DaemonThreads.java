package dev.atmosd.daemon;

import com.google.common.util.concurrent.ThreadFactoryBuilder;
import java.util.concurrent.ThreadFactory;

/** Threads for the daemon's own pools: named for thread dumps and leak checks, and never holding the JVM open. */
public final class DaemonThreads {
  private DaemonThreads() {}

  /** @param nameFormat e.g. {@code "atmosd-mint-%d"}; {@code %d} is the thread's number in its pool */
  public static ThreadFactory daemonThreads(String nameFormat) {
    return new ThreadFactoryBuilder().setNameFormat(nameFormat).setDaemon(true).build();
  }
}
