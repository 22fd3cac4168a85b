package dev.atmosd.cli;

import dev.atmosd.contract.SocketLocation;
import dev.atmosd.v1.ClientContext;
import dev.atmosd.v1.ConfigSource;
import dev.atmosd.v1.EnvironmentVariable;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;

/**
 * What one run of the CLI knows: its environment, its streams and its (lazily opened) daemon connection. Everything
 * is computed on first use, so {@code credential-process} pays only for what it needs.
 */
public final class Invocation implements AutoCloseable {
  private final Map<String, String> env;
  private final PrintStream out;
  private final PrintStream err;
  private final Clock clock;
  private final RepeatedOption configFiles = new RepeatedOption();
  private final RepeatedOption configDirectories = new RepeatedOption();
  private final RepeatedOption profileOptions = new RepeatedOption();
  private Path workingDirectory;
  private Path socket;
  private DaemonConnection connection;
  private Terminal stdoutTerminal;
  private Terminal stderrTerminal;
  private BrowserLauncher browser;
  private boolean realStreams;
  private boolean noColor;
  private String logsLevel;
  private String basePath;
  /** Go's global --logs-level values (website docs, cli/global-flags). */
  static final java.util.List<String> LOGS_LEVELS = java.util.List.of("Trace", "Debug", "Info", "Warning", "Off");

  public Invocation(Map<String, String> env, PrintStream out, PrintStream err, Clock clock) {
    this.env = env;
    this.out = out;
    this.err = err;
    this.clock = clock;
  }

  public Map<String, String> env() {
    return env;
  }

  public PrintStream out() {
    return out;
  }

  public PrintStream err() {
    return err;
  }

  public Clock clock() {
    return clock;
  }

  /** A {@code --config} the fast path parsed. */
  void configOption(String value) {
    if (value != null) {
      configFiles.add(value);
    }
  }

  /** {@code --config} values (repeatable; merged in the order given). */
  void configOptions(java.util.List<String> values) {
    configFiles.bind(values);
  }

  /** {@code --config-path} values (repeatable; merged after every --config file, as atmos does). */
  void configPathOptions(java.util.List<String> values) {
    configDirectories.bind(values);
  }

  /** {@code --profile} values, each of which may name several, comma-separated (Go's StringSlice flag). */
  void profileOptions(java.util.List<String> values) {
    profileOptions.bind(values);
  }

  /**
   * {@code -C/--chdir}: everything after runs as if started in {@code directory} (relative to the real one), which
   * must exist.
   */
  void chdir(String directory) {
    Path target = workingDirectory().resolve(directory).toAbsolutePath().normalize();
    if (!java.nio.file.Files.isDirectory(target)) {
      throw new UserError("--chdir " + directory + ": " + target + (java.nio.file.Files.exists(target)
          ? " is not a directory" : " does not exist"));
    }
    this.workingDirectory = target;
  }

  /** The directory this run acts in: {@code --chdir}'s, else the process's. */
  public Path workingDirectory() {
    return workingDirectory != null ? workingDirectory : Path.of("").toAbsolutePath();
  }

  /** {@code --profile} values, else {@code ATMOS_PROFILE} (comma-separated), else none. */
  java.util.List<String> profiles() {
    java.util.List<String> fromFlags = new java.util.ArrayList<>();
    profileOptions.values().forEach(value -> fromFlags.addAll(ProfileNames.split(value)));
    if (!fromFlags.isEmpty()) {
      return fromFlags;
    }
    String fromEnv = env.get("ATMOS_PROFILE");
    return fromEnv == null ? java.util.List.of() : ProfileNames.split(fromEnv);
  }

  void noColor(boolean value) {
    this.noColor = value;
  }

  /** {@code --base-path}: sent as ATMOS_BASE_PATH, over the shell's, as atmos binds the flag over the variable. */
  void basePath(String path) {
    this.basePath = path;
  }

  void logsLevel(String level) {
    String known = LOGS_LEVELS.stream().filter(l -> l.equalsIgnoreCase(level)).findFirst()
        .orElseThrow(() -> new UserError("--logs-level " + level + ": use one of " + String.join(", ", LOGS_LEVELS)));
    this.logsLevel = known;
  }

  private Terminal terminal(int fd) {
    if (!realStreams) {
      return Terminal.plain();
    }
    Terminal terminal = Terminal.forDescriptor(fd, env);
    return noColor ? new Terminal(terminal.isTerminal(), false) : terminal;
  }

  /** Whether a person can answer on stdin and read stderr (the identity picker's precondition, as Go's). */
  boolean interactive() {
    return realStreams && !isCi() && Terminal.forDescriptor(0, env).isTerminal() && stderrTerminal().isTerminal();
  }

  public Terminal stdoutTerminal() {
    if (stdoutTerminal == null) {
      stdoutTerminal = terminal(Terminal.STDOUT);
    }
    return stdoutTerminal;
  }

  public Terminal stderrTerminal() {
    if (stderrTerminal == null) {
      stderrTerminal = terminal(Terminal.STDERR);
    }
    return stderrTerminal;
  }

  /** Set by main when out/err are the process's own stdout/stderr (tests pass buffers: never a terminal). */
  void usesProcessStreams(boolean real) {
    this.realStreams = real;
  }

  public BrowserLauncher browser() {
    if (browser == null) {
      browser = new BrowserLauncher(env, System.getProperty("os.name", ""));
    }
    return browser;
  }

  public Path socket() {
    if (socket == null) {
      socket = SocketLocation.resolve(env);
      String problem = SocketLocation.problemWith(socket);
      if (problem != null) {
        throw new UserError(problem);
      }
      SocketTrust.checkBeforeConnecting(socket);
    }
    return socket;
  }

  public Path logFile() {
    return DaemonLogFile.resolve(env);
  }

  /** The daemon, started first when nothing answers on the socket (unless ATMOSD_NO_AUTOSTART=1). */
  public DaemonConnection daemon() {
    if (connection == null) {
      Path path = socket();
      if (SocketProbe.answers(path)) {
        connection = DaemonConnection.open(path);
      } else if ("1".equals(env.get("ATMOSD_NO_AUTOSTART"))) {
        throw new UserError("atmosd is not running (no answer on " + path + ") and ATMOSD_NO_AUTOSTART=1;"
            + " start it with: atmos daemon start", ExitCodes.FAILED);
      } else {
        connection = new DaemonAutostart(env, path, err).start().connection;
      }
    }
    return connection;
  }

  /** The daemon if it is running; null otherwise (never starts one). */
  public DaemonConnection runningDaemon() {
    if (connection == null && SocketProbe.answers(socket())) {
      connection = DaemonConnection.open(socket());
    }
    return connection;
  }

  /** Why the daemon's connection refused the process behind the socket, or null. */
  UntrustedDaemonException untrustedDaemon() {
    return connection == null ? null : connection.refusal();
  }

  void adopt(DaemonConnection started) {
    this.connection = started;
  }

  void forgetDaemon() {
    if (connection != null) {
      connection.close();
      connection = null;
    }
  }

  /** {@code --identity} > {@code ATMOS_IDENTITY} > empty (the daemon picks the identity marked default). */
  public String identity(String flag) {
    if (flag != null && !flag.isBlank()) {
      return flag.strip();
    }
    String fromEnv = env.get("ATMOS_IDENTITY");
    return fromEnv == null ? "" : fromEnv.strip();
  }

  public ClientContext context(String command, boolean noBrowser) {
    ClientContext.Builder context = ClientContext.newBuilder()
        .setWorkingDirectory(workingDirectory().toString())
        .setCommand(command)
        .setMayOpenBrowser(!noBrowser && !isCi() && browser().canOpen())
        .addAllProfiles(profiles());
    java.util.List<ConfigDiscovery.Found> found = new ConfigDiscovery(env, workingDirectory(),
        Path.of(System.getProperty("user.home"))).sources(configFiles.values(), configDirectories.values());
    for (ConfigDiscovery.Found source : found) {
      context.addConfigSources(ConfigSource.newBuilder().setPath(source.file().toString())
          .setWithoutDefaultImports(!source.defaultImports()).setAtmosDOnly(source.atmosDOnly()));
    }
    if (!found.isEmpty() && !found.get(found.size() - 1).atmosDOnly()) {
      // What a daemon from before config_sources reads: the file of highest precedence.
      context.setConfigPath(found.get(found.size() - 1).file().toString());
    }
    env.forEach((name, value) -> {
      if (forwarded(name) && !(logsLevel != null && name.equals("ATMOS_LOGS_LEVEL"))
          && !(basePath != null && name.equals("ATMOS_BASE_PATH"))) {
        context.addEnvironment(EnvironmentVariable.newBuilder().setName(name).setValue(value));
      }
      // For the !env / !exec functions of atmos.yaml, evaluated by the daemon as atmos would in this shell; AWS keys
      // stay here: they are what atmos auth replaces, so no config of ours needs them.
      if (!CredentialEnvironment.isAwsCredentialVariable(name)) {
        context.addFunctionEnvironment(EnvironmentVariable.newBuilder().setName(name).setValue(value));
      }
    });
    if (basePath != null) {
      context.addEnvironment(EnvironmentVariable.newBuilder().setName("ATMOS_BASE_PATH").setValue(basePath));
    }
    if (logsLevel != null) {
      context.addEnvironment(EnvironmentVariable.newBuilder().setName("ATMOS_LOGS_LEVEL").setValue(logsLevel));
    }
    return context.build();
  }

  /**
   * The context of a command that uses a session without asking for a sign-in ({@code whoami}, {@code
   * credential-process}, {@code env}): when nobody could see a device-flow prompt (no terminal on stderr, no
   * {@code $BROWSER}), the daemon is told so and fails at once instead of starting a flow nobody can approve.
   */
  public ClientContext unattendedContext(String command) {
    return context(command, false).toBuilder().setCannotShowPrompt(!canShowPrompt()).build();
  }

  /** Whether a device-flow prompt reaches a person: stderr is a terminal, or {@code $BROWSER} will show the page. */
  boolean canShowPrompt() {
    String browserCommand = env.get("BROWSER");
    return stderrTerminal().isTerminal() || (browserCommand != null && !browserCommand.isBlank());
  }

  /** The variables that steer the daemon for this call (endpoints, region, atmos settings). */
  static boolean forwarded(String name) {
    return name.startsWith("AWS_ENDPOINT_URL") || name.equals("AWS_REGION") || name.equals("AWS_DEFAULT_REGION")
        || name.startsWith("ATMOS_");
  }

  public boolean isCi() {
    String ci = env.get("CI");
    if (ci == null) {
      return false;
    }
    String value = ci.strip().toLowerCase(Locale.ROOT);
    return !(value.isEmpty() || value.equals("0") || value.equals("false") || value.equals("no"));
  }

  /**
   * Closes the connection. A run on the process's own streams only stops the I/O thread, since System.exit follows
   * at once and a full channel teardown would cost more than it saves.
   */
  @Override
  public void close() {
    if (!realStreams) {
      forgetDaemon();
    } else if (connection != null) {
      connection.stopIoBeforeExit();
    }
  }
}
