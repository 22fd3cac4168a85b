package dev.atmosd.emulator;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the emulator as a process (demo, benchmarks, CLI integration tests). Prints the endpoint on stdout,
 * then serves until SIGTERM/SIGINT. Tune it further at run time through the control API under /_emulator/.
 */
public final class SsoEmulatorMain {
    private static final String USAGE = String.join("\n",
            "usage: atmos-emulator [options]",
            "  --port N                      port on 127.0.0.1 (default 0 = any free port)",
            "  --port-file PATH              write the bound port to PATH once ready",
            "  --accounts N                  generate N accounts (account-0001 ...)",
            "  --roles-per-account M         permission sets per generated account (default 2)",
            "  --account ID:NAME:EMAIL:ROLE[,ROLE...]   add one account (repeatable)",
            "  --auto-approve                approve device codes at once (no browser step)",
            "  --access-token-lifetime D     default 1h      (D: 250ms, 30s, 5m, 1h, 90d or ISO-8601 PT30S)",
            "  --refresh-token-lifetime D    default 90d",
            "  --registration-lifetime D     default 90d",
            "  --device-code-lifetime D      default 10m",
            "  --poll-interval D             default 1s",
            "  --role-credential-lifetime D  default 1h",
            "  --user-name NAME              role-session name of permission-set credentials",
            "  --latency D | OP=D            delay every response (or one operation's; repeatable)",
            "  --rate-limit OP=RPS           answer 429 above RPS requests per second (OP may be *; repeatable)",
            "  --help");

    private SsoEmulatorMain() {
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("atmos-emulator: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        if (options.help) {
            System.out.println(USAGE);
            return;
        }
        SsoEmulator emulator = options.builder.build().start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            emulator.close();
            stopped.countDown();
        }, "sso-emulator-shutdown"));
        options.configure(emulator);
        if (options.portFile != null) {
            writeAtomically(options.portFile, Integer.toString(emulator.port()));
        }
        PrintStream out = System.out;
        out.println(emulator.endpoint());
        out.flush();
        System.err.println("atmos-emulator: serving " + emulator.endpoint() + "; control API at "
                + emulator.endpoint() + "/_emulator/; stop with SIGTERM");
        stopped.await();
    }

    /** Readers poll for the file, so it must never be seen half-written. */
    private static void writeAtomically(Path target, String content) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path temp = Files.createTempFile(absolute.getParent(), ".port", ".tmp");
        Files.writeString(temp, content + "\n", StandardCharsets.US_ASCII);
        Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The parsed command line: builder settings plus what to apply once started. */
    static final class Options {
        final SsoEmulator.Builder builder = SsoEmulator.builder();
        final List<String[]> accounts = new ArrayList<>();
        final List<Map.Entry<String, Duration>> latencies = new ArrayList<>();
        final List<Map.Entry<String, Double>> rateLimits = new ArrayList<>();
        Path portFile;
        int generatedAccounts;
        int rolesPerAccount = 2;
        boolean help;

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                String value = null;
                int eq = arg.indexOf('=');
                if (arg.startsWith("--") && eq > 0) {
                    value = arg.substring(eq + 1);
                    arg = arg.substring(0, eq);
                }
                switch (arg) {
                    case "--help", "-h" -> o.help = true;
                    case "--auto-approve" -> o.builder.autoApprove(true);
                    default -> {
                        if (value == null) {
                            if (i + 1 >= args.length) {
                                throw new IllegalArgumentException(arg + " needs a value");
                            }
                            value = args[++i];
                        }
                        o.apply(arg, value);
                    }
                }
            }
            return o;
        }

        private void apply(String flag, String value) {
            switch (flag) {
                case "--port" -> builder.port(integer(flag, value));
                case "--port-file" -> portFile = Path.of(value);
                case "--accounts" -> generatedAccounts = integer(flag, value);
                case "--roles-per-account" -> rolesPerAccount = integer(flag, value);
                case "--account" -> {
                    String[] account = value.split(":", 4);
                    if (account.length < 4 || !account[0].matches("\\d{12}")) {
                        throw new IllegalArgumentException("--account wants ID:NAME:EMAIL:ROLE[,ROLE...] with a "
                                + "12-digit ID, was '" + value + "'");
                    }
                    accounts.add(account);
                }
                case "--access-token-lifetime" -> builder.accessTokenLifetime(duration(flag, value));
                case "--refresh-token-lifetime" -> builder.refreshTokenLifetime(duration(flag, value));
                case "--registration-lifetime" -> builder.registrationLifetime(duration(flag, value));
                case "--device-code-lifetime" -> builder.deviceCodeLifetime(duration(flag, value));
                case "--poll-interval" -> builder.pollInterval(duration(flag, value));
                case "--role-credential-lifetime" -> builder.roleCredentialLifetime(duration(flag, value));
                case "--user-name" -> builder.userName(value);
                case "--latency" -> {
                    String[] parts = value.contains("=") ? value.split("=", 2) : new String[] {Faults.ALL, value};
                    latencies.add(Map.entry(parts[0], duration(flag, parts[1])));
                }
                case "--rate-limit" -> {
                    String[] parts = value.split("=", 2);
                    if (parts.length != 2) {
                        throw new IllegalArgumentException("--rate-limit wants OP=RPS, e.g. ListAccountRoles=20");
                    }
                    try {
                        double rps = Double.parseDouble(parts[1]);
                        if (!(rps > 0)) {
                            throw new NumberFormatException();
                        }
                        rateLimits.add(Map.entry(parts[0], rps));
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("--rate-limit " + value + ": RPS must be a number > 0");
                    }
                }
                default -> throw new IllegalArgumentException("unknown option " + flag);
            }
        }

        /** Everything here was validated while parsing, so a started emulator is never left half-configured. */
        void configure(SsoEmulator emulator) {
            for (String[] account : accounts) {
                emulator.addAccount(account[0], account[1], account[2], account[3].split(","));
            }
            if (generatedAccounts > 0) {
                emulator.addAccounts(generatedAccounts, rolesPerAccount);
            }
            latencies.forEach(latency -> emulator.faults().latency(latency.getKey(), latency.getValue()));
            rateLimits.forEach(limit -> emulator.faults().rateLimit(limit.getKey(), limit.getValue()));
        }

        private static int integer(String flag, String value) {
            try {
                return Integer.parseInt(value);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(flag + ": '" + value + "' is not a whole number");
            }
        }

        private static Duration duration(String flag, String value) {
            try {
                return Durations.parse(value);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(flag + ": " + e.getMessage());
            }
        }
    }
}
