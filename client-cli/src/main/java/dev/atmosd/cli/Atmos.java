package dev.atmosd.cli;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * {@code atmos}: the thin client. It finds atmos.yaml, asks atmosd over its Unix socket, prints the answer and exits
 * at once; the daemon owns every session, token and decision.
 */
@Command(name = "atmos", mixinStandardHelpOptions = true, scope = ScopeType.INHERIT, versionProvider = Atmos.Version.class,
    description = "Talk to atmosd, the daemon that owns your AWS IAM Identity Center sessions.",
    subcommands = {AuthCommand.class, TerraformCommand.class, DaemonCommand.class},
    footerHeading = "", footer = ExitCodes.HELP_FOOTER
        + "%nEnvironment:%n"
        + "  ATMOS_IDENTITY         identity when --identity is not given%n"
        + "  ATMOS_CLI_CONFIG_PATH  atmos.yaml or its directory, when no --config%n"
        + "  ATMOS_PROFILE          profile(s) when no --profile (comma-separated)%n"
        + "  ATMOSD_SOCKET          the daemon's socket%n"
        + "  ATMOSD_NO_AUTOSTART=1  never start the daemon; fail when it is not running%n"
        + "  ATMOS_TERRAFORM_BINARY program for `atmos terraform` (default terraform)%n"
        + "  BROWSER                how to open the sign-in page%n"
        + "  NO_COLOR               no colour even on a terminal%n"
        + "  ATMOS_DEBUG=1          print stack traces for unexpected errors%n")
public final class Atmos implements java.util.concurrent.Callable<Integer> {
  @Option(names = "--config", scope = ScopeType.INHERIT, paramLabel = "FILE",
      description = "An atmos.yaml to use instead of discovery; repeat to merge several, in order.")
  void config(java.util.List<String> files) {
    invocation.configOptions(files);
  }

  @Option(names = "--config-path", scope = ScopeType.INHERIT, paramLabel = "DIR",
      description = "A directory holding atmos.yaml (and .atmos.d/); repeatable, merged after --config files.")
  void configPath(java.util.List<String> directories) {
    invocation.configPathOptions(directories);
  }

  @Option(names = "--profile", scope = ScopeType.INHERIT, paramLabel = "NAME",
      description = "Configuration profile(s) to merge over atmos.yaml; repeatable or comma-separated"
          + " (env ATMOS_PROFILE).")
  void profile(java.util.List<String> names) {
    invocation.profileOptions(names);
  }

  @Option(names = {"-C", "--chdir"}, scope = ScopeType.INHERIT, paramLabel = "DIR",
      description = "Run as if started in DIR.")
  void chdir(String directory) {
    try {
      invocation.chdir(directory);
    } catch (UserError missing) {
      throw new CommandLine.ParameterException(spec.commandLine(), missing.getMessage());
    }
  }

  /** Go's global {@code --base-path}: handed to the daemon for this call as ATMOS_BASE_PATH. */
  @Option(names = "--base-path", scope = ScopeType.INHERIT, paramLabel = "PATH",
      description = "Base path for stacks and components (env ATMOS_BASE_PATH).")
  void basePath(String path) {
    invocation.basePath(path);
  }

  /** Go's global {@code --no-color}: same as NO_COLOR, for this run. */
  @Option(names = "--no-color", scope = ScopeType.INHERIT, description = "No colour, even on a terminal (env NO_COLOR).")
  void noColor(boolean value) {
    invocation.noColor(value);
  }

  /** Go's global {@code --logs-level}; handed to the daemon for this call as ATMOS_LOGS_LEVEL. */
  @Option(names = "--logs-level", scope = ScopeType.INHERIT, paramLabel = "LEVEL",
      description = "Trace, Debug, Info, Warning or Off (env ATMOS_LOGS_LEVEL).")
  void logsLevel(String level) {
    try {
      invocation.logsLevel(level);
    } catch (UserError unknown) {
      throw new CommandLine.ParameterException(spec.commandLine(), unknown.getMessage());
    }
  }

  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  private final Invocation invocation;

  Atmos(Invocation invocation) {
    this.invocation = invocation;
  }

  Invocation invocation() {
    return invocation;
  }

  /** {@code atmos} alone: the usage, as a usage error (scripts should name a command). */
  @Override
  public Integer call() {
    new CommandLine(this).usage(invocation.err());
    return ExitCodes.USAGE;
  }

  public static void main(String[] args) {
    PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
    PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
    Invocation invocation = new Invocation(System.getenv(), out, err, Clock.systemUTC());
    invocation.usesProcessStreams(true);
    int code = execute(args, invocation);
    out.flush();
    err.flush();
    // gRPC/Netty leave non-daemon threads behind that would hold the JVM for most of a second: leave now.
    System.exit(code);
  }

  /** Runs one command line and returns its exit code; never exits the JVM (tests call this). */
  public static int execute(String[] args, Invocation invocation) {
    PrintStream err = invocation.err();
    try {
      CredentialProcessFastPath.Options fast = CredentialProcessFastPath.match(args);
      if (fast != null) {
        invocation.configOption(fast.config);
        return AuthCredentialProcessCommand.run(invocation, fast.identity);
      }
      CommandLine commandLine = new CommandLine(new Atmos(invocation))
          .setOut(new java.io.PrintWriter(invocation.out(), true))
          .setErr(new java.io.PrintWriter(err, true))
          .setExpandAtFiles(false)
          .setParameterExceptionHandler((ex, badArgs) -> {
            String command = ex.getCommandLine().getCommandSpec().qualifiedName();
            err.println(command + ": " + ex.getMessage() + " (see '" + command + " --help')");
            return ExitCodes.USAGE;
          })
          .setExecutionExceptionHandler((ex, cl, parsed) -> report(ex, invocation));
      // exec and terraform hand everything after their own options to the program they run.
      commandLine.getSubcommands().get("auth").getSubcommands().get("exec").setStopAtPositional(true);
      commandLine.getSubcommands().get("terraform").setUnmatchedOptionsArePositionalParams(true);
      return commandLine.execute(args);
    } catch (RuntimeException unexpected) {
      return report(unexpected, invocation);
    } finally {
      // The answer first: whoever reads stdout (an SDK running credential_process) need not wait for the teardown.
      invocation.out().flush();
      invocation.err().flush();
      invocation.close();
    }
  }

  /** Every failure ends here: one line on stderr, no stack trace unless ATMOS_DEBUG=1, and the mapped exit code. */
  static int report(Exception failure, Invocation invocation) {
    PrintStream err = invocation.err();
    if (failure instanceof UserError) {
      err.println("atmos: " + failure.getMessage());
      return ((UserError) failure).exitCode();
    }
    // gRPC reports a connection refused by DaemonPeerCheck as a plain UNAVAILABLE: say why instead.
    UntrustedDaemonException untrusted = invocation.untrustedDaemon();
    if (untrusted != null) {
      err.println("atmos: " + untrusted.getMessage());
      return ExitCodes.FAILED;
    }
    if (failure instanceof StatusRuntimeException) {
      Status status = ((StatusRuntimeException) failure).getStatus();
      // A dying daemon shows up as UNAVAILABLE (connection lost) or CANCELLED (it reset our stream on its way out).
      boolean lost = status.getCode() == Status.Code.UNAVAILABLE || status.getCode() == Status.Code.CANCELLED;
      if (lost && daemonWentAway(status, invocation)) {
        err.println("atmos: atmosd went away (see " + invocation.logFile() + "); run the command again");
        debug(failure, invocation);
        return ExitCodes.FAILED;
      }
      if (status.getCode() == Status.Code.DEADLINE_EXCEEDED && isOurOwnDeadline(status)) {
        err.println("atmos: atmosd did not answer in time (see " + invocation.logFile() + ")");
        return ExitCodes.FAILED;
      }
      err.println("atmos: " + firstLine(status.getDescription(), status.getCode().name()));
      debug(failure, invocation);
      return ExitCodes.forStatus(status.getCode());
    }
    err.println("atmos: unexpected error: " + firstLine(failure.getMessage(), failure.getClass().getSimpleName())
        + "; run with ATMOS_DEBUG=1 for details");
    debug(failure, invocation);
    return ExitCodes.FAILED;
  }

  /**
   * The connection broke, rather than the daemon answering UNAVAILABLE/CANCELLED itself (e.g. AWS unreachable): the
   * transport attaches a cause to what it reports; otherwise ask a fresh connection whether the daemon still answers
   * (a bare connect can still succeed while a killed daemon's listening socket is being torn down).
   */
  private static boolean daemonWentAway(Status status, Invocation invocation) {
    if (status.getCause() != null) {
      return true;
    }
    try (DaemonConnection fresh = DaemonConnection.open(invocation.socket())) {
      fresh.daemon().withDeadlineAfter(2, java.util.concurrent.TimeUnit.SECONDS)
          .ping(dev.atmosd.v1.PingRequest.getDefaultInstance());
      return false;
    } catch (RuntimeException gone) {
      return true;
    }
  }

  /** The daemon uses DEADLINE_EXCEEDED too (an expired sign-in code); only ours is "atmosd did not answer". */
  static boolean isOurOwnDeadline(Status status) {
    String description = status.getDescription();
    if (description == null) {
      return true;
    }
    // gRPC words its own client-side deadlines as "deadline exceeded after…", "CallOptions deadline exceeded after…"
    // or "ClientCall started after CallOptions deadline was exceeded"; the daemon's own messages never do.
    String lower = description.toLowerCase(java.util.Locale.ROOT);
    return lower.contains("deadline exceeded") || lower.contains("deadline was exceeded");
  }

  private static String firstLine(String message, String fallback) {
    if (message == null || message.isBlank()) {
      return fallback;
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }

  private static void debug(Exception failure, Invocation invocation) {
    if ("1".equals(invocation.env().get("ATMOS_DEBUG"))) {
      failure.printStackTrace(invocation.err());
    }
  }

  /** The version the jar was built as (the manifest's Implementation-Version), or "dev" from a class directory. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = Atmos.class.getPackage().getImplementationVersion();
      return new String[] {"atmos " + (version == null ? "dev" : version)};
    }
  }
}
