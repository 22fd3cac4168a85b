package dev.atmosd.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ssooidc.model.CreateTokenResponse;
import software.amazon.awssdk.services.ssooidc.model.RegisterClientResponse;

/** The emulator as a separate process, the way the demo, benchmarks and CLI tests start it. */
class SsoEmulatorMainTest {
    @TempDir
    Path dir;

    @Test
    void servesFromItsOwnProcessUntilTerminated() throws Exception {
        Path portFile = dir.resolve("emulator.port");
        Process process = start("--port", "0", "--port-file", portFile.toString(), "--accounts", "3",
                "--roles-per-account", "2", "--auto-approve", "--access-token-lifetime", "30s",
                "--rate-limit", "ListAccountRoles=20", "--latency", "1ms",
                "--account", "123456789012:named:named@example.com:Admin,Audit");
        try {
            String endpoint;
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                endpoint = out.readLine();
            }
            assertThat(endpoint).matches("http://127\\.0\\.0\\.1:\\d+");
            URI uri = URI.create(endpoint);
            assertThat(Files.readString(portFile).trim()).isEqualTo(Integer.toString(uri.getPort()));

            try (SdkClients aws = new SdkClients(uri)) {
                RegisterClientResponse client = aws.register(true);
                CreateTokenResponse token = aws.poll(client, aws.start(client));
                assertThat(token.expiresIn()).isEqualTo(30);
                assertThat(aws.sso.listAccounts(r -> r.accessToken(token.accessToken())).accountList())
                        .hasSize(4);
                assertThat(aws.sso.listAccountRoles(r -> r.accessToken(token.accessToken())
                        .accountId("123456789012")).roleList()).hasSize(2);
            }
        } finally {
            process.destroy(); // SIGTERM
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("exits on SIGTERM").isTrue();
        }
    }

    @Test
    void rejectsBadArgumentsWithUsage() throws Exception {
        Process process = start("--latency", "soon");
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(2);
        assertThat(new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8))
                .contains("--latency").contains("usage:");
    }

    private static Process start(String... args) throws Exception {
        Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
        List<String> command = new java.util.ArrayList<>(List.of(java.toString(), "-cp",
                System.getProperty("java.class.path"), SsoEmulatorMain.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).start();
    }
}
