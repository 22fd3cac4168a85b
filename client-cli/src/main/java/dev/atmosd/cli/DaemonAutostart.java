package dev.atmosd.cli;

import dev.atmosd.v1.DaemonInfo;
import dev.atmosd.v1.PingRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Starts atmosd when no socket answers, the way Bazel's client starts its server: detached (own session, stdin from
 * /dev/null, output appended to the daemon log), then waits until it answers a Ping. Several CLIs may race here; the
 * daemon lets one instance win (the others exit 3), so every racer simply keeps pinging until the winner answers.
 */
public final class DaemonAutostart {
  static final String DAEMON_MAIN = "dev.atmosd.daemon.Atmosd";
  /** The daemon's exit status when another instance already owns the socket. */
  static final int EXIT_ALREADY_RUNNING = 3;
  /**
   * A cold daemon JVM (AWS SDK, gRPC, Netty) was measured taking 8 s on a loaded 2-core machine; a daemon that dies
   * is noticed at once anyway (its exit status), so the limit only bounds one that hangs.
   */
  private static final long START_TIMEOUT_SECONDS = 30;
  private static final long START_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(START_TIMEOUT_SECONDS);
  private static final long ANNOUNCE_AFTER_NANOS = TimeUnit.MILLISECONDS.toNanos(300);

  private final Map<String, String> env;
  private final Path socket;
  private final Path logFile;
  private final PrintStream err;

  public DaemonAutostart(Map<String, String> env, Path socket, PrintStream err) {
    this.env = env;
    this.socket = socket;
    this.logFile = DaemonLogFile.resolve(env);
    this.err = err;
  }

  public Path logFile() {
    return logFile;
  }

  /** Starts the daemon and returns a connection it has answered a Ping on, with that answer. */
  public Started start() {
    // Never start a daemon into a directory someone else controls (it would refuse, but say why here and now).
    SocketTrust.checkBeforeConnecting(socket);
    Process process = launch();
    long begin = System.nanoTime();
    long pause = 10;
    boolean announced = false;
    while (true) {
      if (SocketProbe.answers(socket)) {
        DaemonConnection connection = DaemonConnection.open(socket);
        try {
          DaemonInfo info = connection.daemon().withDeadlineAfter(5, TimeUnit.SECONDS).ping(PingRequest.getDefaultInstance());
          return new Started(connection, info);
        } catch (StatusRuntimeException notYet) {
          connection.close();
          if (connection.refusal() != null) {
            throw new UserError(connection.refusal().getMessage(), ExitCodes.FAILED);
          }
          // Accepting is not answering: a daemon (ours or a racing client's) may accept before its services are up,
          // and on a loaded machine its first answer can miss a ping's deadline. Both mean "ask again".
          Status.Code code = notYet.getStatus().getCode();
          if (code != Status.Code.UNAVAILABLE && code != Status.Code.DEADLINE_EXCEEDED) {
            throw notYet;
          }
        }
      }
      if (!process.isAlive()) {
        int status = process.exitValue();
        if (status != EXIT_ALREADY_RUNNING && status != 0) {
          throw new UserError("atmosd failed to start (exit status " + status + "); see " + logFile,
              ExitCodes.FAILED);
        }
      }
      long elapsed = System.nanoTime() - begin;
      if (!announced && elapsed > ANNOUNCE_AFTER_NANOS) {
        err.println("starting atmosd…");
        announced = true;
      }
      if (elapsed > START_TIMEOUT_NANOS) {
        throw new UserError("atmosd did not answer on " + socket + " within " + START_TIMEOUT_SECONDS + "s; see "
            + logFile, ExitCodes.FAILED);
      }
      try {
        Thread.sleep(pause);
      } catch (InterruptedException interrupted) {
        Thread.currentThread().interrupt();
        throw new UserError("interrupted while starting atmosd", ExitCodes.FAILED);
      }
      pause = Math.min(pause * 2, 200);
    }
  }

  /** A daemon that has answered, and the connection it answered on. */
  public static final class Started {
    public final DaemonConnection connection;
    public final DaemonInfo info;

    Started(DaemonConnection connection, DaemonInfo info) {
      this.connection = connection;
      this.info = info;
    }
  }

  private Process launch() {
    try {
      Path logDir = logFile.getParent();
      if (!Files.isDirectory(logDir)) {
        Files.createDirectories(logDir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      }
      return new ProcessBuilder(command())
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
          .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
          .redirectErrorStream(true)
          .start();
    } catch (IOException failed) {
      throw new UserError("could not start atmosd: " + failed.getMessage() + " (see " + logFile + ")", ExitCodes.FAILED);
    }
  }

  /** The daemon's command line: {@code [setsid] java [ATMOSD_JAVA_OPTS] -cp <cp> Atmosd --socket <path>}. */
  List<String> command() {
    List<String> command = new ArrayList<>();
    // Its own session: a Ctrl-C or hang-up aimed at this terminal must not reach the daemon.
    if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
      command.add("/usr/bin/setsid");
    }
    command.add(javaExecutable());
    String opts = env.get("ATMOSD_JAVA_OPTS");
    if (opts != null && !opts.isBlank()) {
      command.addAll(CommandLineSplitter.split(opts));
    }
    command.add("-cp");
    command.add(classpath());
    command.add(DAEMON_MAIN);
    command.add("--socket");
    command.add(socket.toString());
    return command;
  }

  private String javaExecutable() {
    String java = env.get("ATMOSD_JAVA");
    if (java != null && !java.isBlank()) {
      return java;
    }
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private String classpath() {
    String explicit = env.get("ATMOSD_CLASSPATH");
    if (explicit != null && !explicit.isBlank()) {
      return explicit;
    }
    String classpath = System.getProperty("java.class.path", "");
    Path home = DistributionHome.find(env);
    if (home != null && Files.isDirectory(home.resolve("lib").resolve("daemon"))) {
      classpath = classpath + File.pathSeparator + home.resolve("lib").resolve("daemon") + File.separator + "*";
    }
    return classpath;
  }
}
