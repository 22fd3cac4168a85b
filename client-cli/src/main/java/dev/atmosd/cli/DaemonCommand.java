package dev.atmosd.cli;

import dev.atmosd.v1.DaemonInfo;
import dev.atmosd.v1.PingRequest;
import dev.atmosd.v1.ShutdownReply;
import dev.atmosd.v1.ShutdownRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "daemon", description = "Start, stop or inspect atmosd (the CLI also starts it on demand).")
final class DaemonCommand extends CliCommand {
  @Override
  public Integer call() {
    spec.commandLine().usage(invocation().err());
    return ExitCodes.USAGE;
  }

  @Command(name = "start", description = "Start atmosd unless it is running; wait until it answers.")
  int start() {
    Invocation invocation = invocation();
    DaemonConnection running = invocation.runningDaemon();
    if (running != null) {
      DaemonInfo info = ping(running);
      invocation.out().println("atmosd is already running (pid " + info.getPid() + ", socket " + invocation.socket() + ")");
      return ExitCodes.OK;
    }
    DaemonAutostart.Started started = new DaemonAutostart(invocation.env(), invocation.socket(), invocation.err()).start();
    invocation.adopt(started.connection);
    invocation.out().println("atmosd started (pid " + started.info.getPid() + ", socket " + invocation.socket()
        + ", log " + invocation.logFile() + ")");
    return ExitCodes.OK;
  }

  @Command(name = "stop", description = "Stop atmosd gracefully (in-flight requests finish first).")
  int stop() {
    Invocation invocation = invocation();
    DaemonConnection running = invocation.runningDaemon();
    if (running == null) {
      invocation.out().println("atmosd is not running");
      return ExitCodes.OK;
    }
    ShutdownReply reply = running.daemon()
        .withDeadlineAfter(DaemonConnection.ANSWER_WITHIN_SECONDS, TimeUnit.SECONDS)
        .shutdown(ShutdownRequest.getDefaultInstance());
    if (reply.getInflightRequests() > 0) {
      invocation.err().println("waiting for " + reply.getInflightRequests() + " request(s) to finish…");
    }
    invocation.forgetDaemon();
    awaitGone(invocation.socket());
    invocation.out().println("atmosd stopped");
    return ExitCodes.OK;
  }

  @Command(name = "restart", description = "Stop atmosd, then start it again.")
  int restart() {
    stop();
    return start();
  }

  @Command(name = "status", description = "Is atmosd running? Its pid, version, socket, uptime and endpoint.")
  int status(@Option(names = {"-f", "--format"}, defaultValue = "text", description = "text or json") String format) {
    String chosen = checkFormat(format, "text", "json");
    Invocation invocation = invocation();
    DaemonConnection running = invocation.runningDaemon();
    if (running == null) {
      if (chosen.equals("json")) {
        invocation.out().println("{\"running\": false}");
      } else {
        invocation.out().println("atmosd is not running (socket " + invocation.socket() + ")");
      }
      return ExitCodes.FAILED;
    }
    DaemonInfo info = ping(running);
    if (chosen.equals("json")) {
      invocation.out().print(StructuredOutput.json(ReplyDocuments.daemon(info)));
    } else {
      invocation.out().print(new StatusRenderer(invocation.stdoutTerminal(), invocation.clock().instant()).daemon(info));
    }
    return ExitCodes.OK;
  }

  @Command(name = "install", description = "Install this distribution and atmosd as a login service (systemd/launchd).")
  int install(
      @Option(names = "--prefix", paramLabel = "DIR", description = "Install under DIR (default ~/.local).") String prefix,
      @Option(names = "--no-service", description = "Install the programs only, no login service.") boolean noService) {
    List<String> args = new ArrayList<>();
    if (prefix != null) {
      args.add("--prefix=" + prefix);
    }
    if (noService) {
      args.add("--no-service");
    }
    return installScript("install", args);
  }

  @Command(name = "uninstall", description = "Remove what `atmos daemon install` put in place (keeps the SSO cache).")
  int uninstall(
      @Option(names = "--prefix", paramLabel = "DIR", description = "Installed under DIR (default ~/.local).") String prefix) {
    List<String> args = new ArrayList<>();
    if (prefix != null) {
      args.add("--prefix=" + prefix);
    }
    args.add("--uninstall");
    return installScript("uninstall", args);
  }

  /** The packaging owns service installation; the CLI only finds and runs its script. */
  private int installScript(String action, List<String> args) {
    Invocation invocation = invocation();
    Path home = DistributionHome.find(invocation.env());
    if (home == null) {
      throw new UserError("no atmos distribution found (set ATMOSD_HOME, or run the distribution's bin/atmos) to "
          + action + " the service", ExitCodes.FAILED);
    }
    Path script = home.resolve("libexec").resolve("install-service.sh");
    if (!Files.isRegularFile(script)) {
      throw new UserError(script + " is missing: this distribution cannot " + action + " a service",
          ExitCodes.FAILED);
    }
    List<String> command = new ArrayList<>(List.of("/bin/sh", script.toString()));
    command.addAll(args);
    try {
      return new ProcessBuilder(command).inheritIO().start().waitFor();
    } catch (java.io.IOException failed) {
      throw new UserError("could not run " + script + ": " + failed.getMessage(), ExitCodes.FAILED);
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      return ExitCodes.FAILED;
    }
  }

  private static DaemonInfo ping(DaemonConnection connection) {
    return connection.daemon().withDeadlineAfter(DaemonConnection.ANSWER_WITHIN_SECONDS, TimeUnit.SECONDS)
        .ping(PingRequest.getDefaultInstance());
  }

  /** The daemon removes its socket as its last act (after in-flight requests finish); wait for that, up to 30 s. */
  private static void awaitGone(Path socket) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    long pause = 10;
    while (Files.exists(socket)) {
      if (System.nanoTime() > deadline) {
        if (SocketProbe.answers(socket)) {
          throw new UserError("atmosd is still answering on " + socket + " after 30s", ExitCodes.FAILED);
        }
        return; // a stale socket file that nothing answers on: stopped
      }
      try {
        Thread.sleep(pause);
      } catch (InterruptedException interrupted) {
        Thread.currentThread().interrupt();
        return;
      }
      pause = Math.min(pause * 2, 200);
    }
  }
}
