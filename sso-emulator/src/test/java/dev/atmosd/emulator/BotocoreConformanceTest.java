package dev.atmosd.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * botocore is the client most AWS tooling is built on; its own sso-oidc, sso and sts clients (exception
 * classes, paginators, SigV4 signer, presigner) must accept everything the emulator says.
 */
class BotocoreConformanceTest {
    /** Surefire runs in the module directory; an IDE may run from the repository root. */
    private static final Path SCRIPT = java.util.stream.Stream.of(
                    Paths.get("src", "test", "python", "botocore_conformance.py"),
                    Paths.get("sso-emulator", "src", "test", "python", "botocore_conformance.py"))
            .filter(Files::isRegularFile).findFirst()
            .orElseThrow(() -> new IllegalStateException("botocore_conformance.py not found from "
                    + Paths.get("").toAbsolutePath()));

    @TempDir
    Path dir;

    @Test
    void botocoreClientsAcceptTheEmulator() throws Exception {
        Result probe = run(Duration.ofMinutes(1), false, "python3", "-c",
                "import sys, botocore; print(sys.executable)");
        assumeTrue(probe.exitCode == 0,
                "python3 with botocore is not installed here (pip install botocore); CI installs it");
        // The interpreter itself, not a pyenv/asdf shim: shims look in $HOME, which the script run replaces.
        String python = probe.output.strip().lines().reduce((a, b) -> b).orElse("python3");

        // A long poll interval makes "polled too soon" deterministic however slow the machine is.
        try (SsoEmulator emulator = SsoEmulator.builder().pollInterval(Duration.ofHours(1)).build().start()) {
            emulator.addAccount("111111111111", "dev", "dev@example.com", "AdministratorAccess", "ReadOnlyAccess");
            emulator.addAccounts(44, 1);

            Result result = run(Duration.ofMinutes(5), true, python, SCRIPT.toAbsolutePath().toString(),
                    emulator.endpoint().toString());

            assertThat(result.exitCode).as("botocore conformance script output:%n%s", result.output).isZero();
            assertThat(result.output).contains("conforms").doesNotContain("skipped");
        }
    }

    private record Result(int exitCode, String output) {
    }

    private Result run(Duration deadline, boolean sandboxHome, String... command)
            throws IOException, InterruptedException {
        Path log = Files.createTempFile(dir, "python", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        if (sandboxHome) {
            // A throwaway HOME: botocore's SSO token cache and config must never touch the developer's ~/.aws.
            Path home = Files.createDirectories(dir.resolve("home"));
            builder.environment().keySet().removeIf(name -> name.startsWith("AWS_"));
            builder.environment().put("HOME", home.toString());
            builder.environment().put("EMULATOR_SANDBOX_HOME", home.toString());
        }
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            return new Result(-1, "cannot run " + command[0] + ": " + e.getMessage());
        }
        if (!process.waitFor(deadline.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return new Result(-1, "did not finish within " + deadline + ":\n" + Files.readString(log));
        }
        return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }
}
