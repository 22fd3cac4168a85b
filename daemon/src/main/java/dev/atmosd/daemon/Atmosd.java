package dev.atmosd.daemon;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import dev.atmosd.contract.SocketLocation;
import dev.atmosd.daemon.aws.AwsClients;
import dev.atmosd.daemon.config.ConfigLoader;
import dev.atmosd.daemon.config.GoDurations;
import dev.atmosd.daemon.credentials.CredentialBroker;
import dev.atmosd.daemon.endpoint.ContainerCredentialsEndpoint;
import dev.atmosd.daemon.files.DaemonPaths;
import dev.atmosd.daemon.files.PrivateFiles;
import dev.atmosd.daemon.provisioning.IdentityDiscovery;
import dev.atmosd.daemon.rpc.CallTracker;
import dev.atmosd.daemon.rpc.ClientConfigs;
import dev.atmosd.daemon.rpc.ConfigService;
import dev.atmosd.daemon.rpc.DaemonFacts;
import dev.atmosd.daemon.rpc.DaemonService;
import dev.atmosd.daemon.rpc.IdentitiesService;
import dev.atmosd.daemon.rpc.InheritedSocket;
import dev.atmosd.daemon.rpc.SessionsService;
import dev.atmosd.daemon.rpc.StartupRefusedException;
import dev.atmosd.daemon.rpc.UnixSocketServer;
import dev.atmosd.daemon.session.PortalSessions;
import dev.atmosd.daemon.session.SessionRegistry;
import io.grpc.BindableService;
import java.io.IOException;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * atmosd: the per-user daemon that owns AWS IAM Identity Center sessions and serves the {@code atmos} CLI over gRPC
 * on a Unix domain socket.
 *
 * <pre>
 * java -cp ... dev.atmosd.daemon.Atmosd [--socket PATH] [--foreground] [--log-file PATH|-] [--idle-exit DURATION]
 * </pre>
 * Exit codes: 0 after a graceful shutdown (SIGTERM, SIGINT, the Shutdown call, --idle-exit); 1 start-up failed;
 * 2 bad flag, socket path or socket directory; 3 another atmosd already serves the socket.
 */
public final class Atmosd implements AutoCloseable {
  /** How long in-flight calls may run on after a shutdown begins. */
  static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(10);

  private static final Logger log = LoggerFactory.getLogger(Atmosd.class);

  /** Parsed command line. {@code logFile} null: the default file; {@code "-"}: stderr. */
  public record Options(Path socket, String logFile, Duration idleExit) {
    static final String USAGE = "usage: atmosd [--socket PATH] [--foreground] [--log-file PATH|-] [--idle-exit DURATION]";

    public static Options parse(String[] args, Map<String, String> env) {
      Path socket = null;
      String logFile = null;
      Duration idleExit = null;
      for (int i = 0; i < args.length; i++) {
        String arg = args[i];
        String flag = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
        String inline = arg.contains("=") ? arg.substring(arg.indexOf('=') + 1) : null;
        switch (flag) {
          case "--foreground" -> {
            // The only mode: the CLI (or systemd/launchd) detaches the daemon itself.
          }
          case "--socket" -> {
            String value = inline != null ? inline : value(args, ++i, flag);
            socket = Path.of(value).toAbsolutePath();
          }
          case "--log-file" -> logFile = inline != null ? inline : value(args, ++i, flag);
          case "--idle-exit" -> {
            String value = inline != null ? inline : value(args, ++i, flag);
            idleExit = GoDurations.parse(value);
            if (idleExit == null || idleExit.isZero()) {
              throw new StartupRefusedException(StartupRefusedException.USAGE, "--idle-exit \"" + value
                  + "\" is not a duration: use e.g. 30m, 8h or 1h30m");
            }
          }
          default -> throw new StartupRefusedException(StartupRefusedException.USAGE, "unknown flag " + arg + "; "
              + USAGE);
        }
      }
      return new Options(socket == null ? SocketLocation.resolve(env) : socket, logFile, idleExit);
    }

    private static String value(String[] args, int index, String flag) {
      if (index >= args.length || args[index].startsWith("--")) {
        throw new StartupRefusedException(StartupRefusedException.USAGE, flag + " needs a value; " + USAGE);
      }
      return args[index];
    }
  }

  private final UnixSocketServer server;
  private final DaemonFacts facts;
  private final List<AutoCloseable> parts;
  private volatile ScheduledExecutorService idleWatch;
  private final AtomicBoolean shuttingDown = new AtomicBoolean();
  private final CountDownLatch terminated = new CountDownLatch(1);

  private Atmosd(UnixSocketServer server, DaemonFacts facts, List<AutoCloseable> parts) {
    this.server = server;
    this.facts = facts;
    this.parts = parts;
  }

  public static void main(String[] args) {
    Map<String, String> env = System.getenv();
    Options options;
    try {
      if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
        System.out.println(Options.USAGE);
        return;
      }
      if (args.length == 1 && args[0].equals("--version")) {
        System.out.println("atmosd " + version());
        return;
      }
      options = Options.parse(args, env);
      String logTarget = logToFileOrStderr(options, env);
      log.info("atmosd {} starting (pid {}, java {}), logging to {}", version(), ProcessHandle.current().pid(),
          Runtime.version(), logTarget);
    } catch (StartupRefusedException e) {
      System.err.println("atmosd: " + e.getMessage());
      System.exit(e.exitCode());
      return;
    }
    Atmosd daemon;
    try {
      daemon = start(options, env, Clock.systemUTC(), InheritedSocket.fromServiceManager());
    } catch (StartupRefusedException e) {
      log.warn("not starting: {}", e.getMessage());
      System.err.println("atmosd: " + e.getMessage());
      System.exit(e.exitCode());
      return;
    }
    daemon.exitOnSignals();
    daemon.awaitTermination();
    log.info("atmosd stopped");
    System.exit(0);
  }

  /**
   * Starts a daemon in this JVM: claims the socket (refusing if another daemon serves it), wires the parts and serves.
   * Tests call this directly; {@link #main} adds logging set-up, signals and exit codes.
   */
  public static Atmosd start(Options options, Map<String, String> env, Clock clock,
      Optional<ServerSocketChannel> inherited) {
    UnixSocketServer server = UnixSocketServer.claim(options.socket(), inherited);
    List<AutoCloseable> parts = new ArrayList<>();
    try {
      DaemonPaths paths = DaemonPaths.fromEnvironment(env);
      checkOwnCacheTree(paths);
      AwsClients aws = new AwsClients();
      parts.add(aws);
      ConfigLoader configLoader = new ConfigLoader(paths, env);
      SessionRegistry sessions = SessionRegistry.create(aws, paths, clock, signInGrace(env));
      parts.add(0, sessions);
      ClientConfigs configs = new ClientConfigs(configLoader, sessions);
      IdentityDiscovery provisioner = IdentityDiscovery.create(aws, paths, sessions, clock);
      configLoader.addListener(provisioner::configLoaded);
      parts.add(0, provisioner);
      CredentialBroker broker = CredentialBroker.create(aws, sessions, clock);
      parts.add(0, broker);
      ContainerCredentialsEndpoint endpoint =
          ContainerCredentialsEndpoint.start(broker, configLoader, endpointPort(env), clock,
              paths.endpointGrantsFile());
      parts.add(0, endpoint);
      sessions.addListener(new PortalSessions.SessionListener() {
        @Override
        public void onSignedOut(String sessionKey) {
          int revoked = endpoint.revokeSession(sessionKey);
          if (revoked > 0) {
            log.info("logout revoked {} container endpoint grant(s) of session {}", revoked, sessionKey);
          }
        }
      });

      CallTracker calls = new CallTracker(clock);
      DaemonFacts facts = new DaemonFacts(version(), clock.instant(), server.socket(), server.socketActivated(),
          paths.cacheHome(), logFileShown(options, paths), endpoint::endpointUrl, calls);
      // The daemon exists before it serves, so a Shutdown call arriving at once has something to stop.
      Atmosd daemon = new Atmosd(server, facts, parts);
      List<BindableService> services = List.of(
          new DaemonService(() -> facts, daemon::shutdown),
          new SessionsService(configs, sessions, provisioner, paths, () -> facts, broker, endpoint),
          new ConfigService(configs),
          new IdentitiesService(configLoader, broker, endpoint, sessions, clock));
      server.serve(services, calls);
      if (options.idleExit() != null) {
        daemon.idleWatch = watchIdle(options.idleExit(), calls, clock, daemon);
      }
      log.info("atmosd ready on {} (credentials endpoint {})", server.socket(), endpoint.endpointUrl());
      return daemon;
    } catch (RuntimeException e) {
      closeAll(parts);
      server.close();
      if (e instanceof StartupRefusedException) {
        throw e;
      }
      log.error("start-up failed", e);
      throw new StartupRefusedException(StartupRefusedException.FAILED, "start-up failed: "
          + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage()));
    }
  }

  public DaemonFacts facts() {
    return facts;
  }

  /**
   * Begins a graceful shutdown on its own thread and returns at once: stop accepting, let calls in flight finish
   * (for at most {@link #SHUTDOWN_GRACE}), close the parts, remove the socket and the lock.
   */
  public void shutdown() {
    if (!shuttingDown.compareAndSet(false, true)) {
      return;
    }
    Thread thread = new Thread(this::shutDownNow, "atmosd-shutdown");
    thread.setDaemon(false);
    thread.start();
  }

  private void shutDownNow() {
    try {
      log.info("shutting down: no new connections; {} call(s) in flight", facts.calls().callsInFlight());
      server.stopAccepting();
      if (!server.awaitCalls(SHUTDOWN_GRACE)) {
        log.warn("calls still running after {}s were cancelled", SHUTDOWN_GRACE.toSeconds());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      if (idleWatch != null) {
        idleWatch.shutdownNow();
      }
      closeAll(parts);
      server.close();
      terminated.countDown();
    }
  }

  public void awaitTermination() {
    try {
      terminated.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public boolean awaitTermination(Duration timeout) throws InterruptedException {
    return terminated.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    shutdown();
    awaitTermination();
  }

  private static void closeAll(List<AutoCloseable> parts) {
    for (AutoCloseable part : parts) {
      try {
        part.close();
      } catch (Exception e) {
        log.warn("closing {} failed: {}", part.getClass().getSimpleName(), e.getClass().getSimpleName());
      }
    }
  }

  private static ScheduledExecutorService watchIdle(Duration idleExit, CallTracker calls, Clock clock,
      Atmosd daemon) {
    ScheduledExecutorService watch = Executors.newSingleThreadScheduledExecutor(
        DaemonThreads.daemonThreads("atmosd-idle-exit"));
    long period = Math.max(1, Math.min(idleExit.toMillis() / 4, 30_000));
    watch.scheduleAtFixedRate(() -> {
      Instant idleSince = calls.idleSince();
      if (idleSince != null && !clock.instant().isBefore(idleSince.plus(idleExit))) {
        log.info("no client for {}: exiting (--idle-exit)", idleExit);
        daemon.shutdown();
      }
    }, period, period, TimeUnit.MILLISECONDS);
    return watch;
  }

  /**
   * SIGTERM/SIGINT shut down gracefully and exit 0 (a plain shutdown hook would exit 143). A shutdown hook still
   * covers any other way the JVM ends.
   */
  @SuppressWarnings("restriction")
  private void exitOnSignals() {
    for (String name : new String[] {"TERM", "INT"}) {
      try {
        sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> {
          log.info("SIG{} received", name);
          shutdown();
        });
      } catch (IllegalArgumentException | UnsupportedOperationException notHere) {
        log.debug("cannot handle SIG{}; the shutdown hook covers it", name);
      }
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      shutdown();
      try {
        awaitTermination(SHUTDOWN_GRACE.plusSeconds(5));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "atmosd-shutdown-hook"));
  }

  private static int endpointPort(Map<String, String> env) {
    String port = env.get("ATMOSD_ENDPOINT_PORT");
    if (port == null || port.isBlank()) {
      return 0;
    }
    try {
      int value = Integer.parseInt(port.strip());
      if (value < 0 || value > 65535) {
        throw new NumberFormatException();
      }
      return value;
    } catch (NumberFormatException e) {
      throw new StartupRefusedException(StartupRefusedException.USAGE, "ATMOSD_ENDPOINT_PORT \"" + port
          + "\" is not a port number (0 for any free port)");
    }
  }

  /** {@code ATMOSD_SIGN_IN_GRACE}: how long a device flow goes on once no client waits on it (default 10s). */
  private static Duration signInGrace(Map<String, String> env) {
    String value = env.get("ATMOSD_SIGN_IN_GRACE");
    if (value == null || value.isBlank()) {
      return SessionRegistry.DEFAULT_SIGN_IN_GRACE;
    }
    Duration grace = GoDurations.parse(value);
    if (grace == null) {
      throw new StartupRefusedException(StartupRefusedException.USAGE, "ATMOSD_SIGN_IN_GRACE \"" + value
          + "\" is not a duration: use e.g. 10s, 1m, or 0s to stop a sign-in as soon as its last client leaves");
    }
    return grace;
  }

  static String version() {
    String version = Atmosd.class.getPackage().getImplementationVersion();
    return version == null ? "0.1.0-SNAPSHOT" : version;
  }

  /**
   * The cache tree is checked (and a loose mode tightened) on every write; checking its root at start makes a tree of
   * another user a refusal now, with its path and owner, rather than a warning at the first sign-in. An unwritable
   * cache is not a refusal: sessions are then kept in memory.
   */
  private static void checkOwnCacheTree(DaemonPaths paths) {
    try {
      PrivateFiles.ensureDirectory(paths.ownCacheDir());
    } catch (PrivateFiles.ForeignDirectoryException refused) {
      throw new StartupRefusedException(StartupRefusedException.USAGE, "cannot keep sessions in the cache: "
          + refused.getMessage());
    } catch (IOException unwritable) {
      log.warn("the cache directory {} cannot be prepared ({}); sessions will be kept in memory only",
          paths.ownCacheDir(), unwritable.getClass().getSimpleName());
    }
  }

  private static String logFileShown(Options options, DaemonPaths paths) {
    if ("-".equals(options.logFile())) {
      return "stderr";
    }
    return options.logFile() != null ? options.logFile() : paths.logFile().toString();
  }

  // ------------------------------------------------------------------------------------------------------ logging

  /**
   * Points logback at the daemon's log file (dir 0700, file 0600, created before logback opens it so it never exists
   * with a wider mode) or at stderr, at {@code ATMOSD_LOG_LEVEL} (default INFO), and routes gRPC's and Netty's
   * java.util.logging through it. Returns where the log goes.
   */
  private static String logToFileOrStderr(Options options, Map<String, String> env) {
    String level = Optional.ofNullable(env.get("ATMOSD_LOG_LEVEL")).map(l -> l.strip().toUpperCase(Locale.ROOT))
        .filter(l -> List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR").contains(l)).orElse("INFO");
    String target;
    String resource;
    if ("-".equals(options.logFile())) {
      target = "stderr";
      resource = "/atmosd-logback-stderr.xml";
    } else {
      Path file = options.logFile() != null ? Path.of(options.logFile()).toAbsolutePath()
          : DaemonPaths.fromEnvironment(env).logFile();
      try {
        PrivateFiles.prepareAppendFile(file);
      } catch (PrivateFiles.ForeignDirectoryException refused) {
        throw new StartupRefusedException(StartupRefusedException.USAGE, "cannot write the log file: "
            + refused.getMessage());
      } catch (IOException e) {
        throw new StartupRefusedException(StartupRefusedException.USAGE, "cannot write the log file " + file + ": "
            + e.getClass().getSimpleName() + ": pass --log-file with a writable path, or --log-file - for stderr");
      }
      target = file.toString();
      resource = "/atmosd-logback-file.xml";
    }
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.reset();
    context.putProperty("ATMOSD_LOG_FILE", target);
    context.putProperty("ATMOSD_LOG_LEVEL", level);
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    try {
      configurator.doConfigure(Atmosd.class.getResource(resource));
    } catch (JoranException e) {
      throw new StartupRefusedException(StartupRefusedException.FAILED, "cannot configure logging: " + e.getMessage());
    }
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
    return target;
  }
}
