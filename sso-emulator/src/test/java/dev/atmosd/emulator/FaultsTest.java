package dev.atmosd.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sso.model.SsoException;
import software.amazon.awssdk.services.sso.model.TooManyRequestsException;
import software.amazon.awssdk.services.ssooidc.model.InternalServerException;

/** Injected failures, dropped connections, latency and rate limits, as SDK clients experience them. */
class FaultsTest {
    private SsoEmulator emulator;
    private SdkClients aws;
    private String token;

    @BeforeEach
    void start() {
        emulator = SsoEmulator.builder().build().start();
        emulator.addAccount("111111111111", "dev", "dev@example.com", "AdministratorAccess");
        aws = new SdkClients(emulator);
        token = aws.signIn().accessToken();
        emulator.resetCounters();
    }

    @AfterEach
    void stop() {
        aws.close();
        emulator.close();
    }

    @Test
    void failNextFailsExactlyThatManyCallsAndCountsThem() {
        emulator.faults().failNext("ListAccounts", 500, "InternalServerException", 2);

        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(this::listAccounts)
                    .isInstanceOf(SsoException.class)
                    .satisfies(e -> {
                        SsoException sso = (SsoException) e;
                        assertThat(sso.statusCode()).isEqualTo(500);
                        assertThat(sso.awsErrorDetails().errorCode()).isEqualTo("InternalServerException");
                    });
        }
        assertThat(listAccounts()).isEqualTo(1);
        assertThat(emulator.calls("ListAccounts")).isEqualTo(3);
    }

    @Test
    void oidcFaultsUseTheOAuthErrorShape() {
        emulator.faults().failNext("RegisterClient", 500, "InternalServerException", 1);

        assertThatThrownBy(() -> aws.register(true)).isInstanceOf(InternalServerException.class);
        assertThat(aws.register(true).clientId()).isNotBlank();
    }

    @Test
    void starFaultsEveryOperationAndNamedPlansWin() {
        emulator.faults().failNext(Faults.ALL, 503, "ServiceUnavailableException", 1);
        assertThatThrownBy(this::listAccounts)
                .isInstanceOf(SsoException.class)
                .satisfies(e -> assertThat(((SsoException) e).statusCode()).isEqualTo(503));

        emulator.faults().failNext("ListAccounts", 429, "TooManyRequestsException", 1)
                .failNext(Faults.ALL, 500, "InternalServerException", 1);
        assertThatThrownBy(this::listAccounts).isInstanceOf(TooManyRequestsException.class);
        assertThatThrownBy(this::listAccounts)
                .isInstanceOf(SsoException.class)
                .satisfies(e -> assertThat(((SsoException) e).statusCode()).isEqualTo(500));
        assertThat(listAccounts()).isEqualTo(1);
    }

    @Test
    void resetConnectionNextDropsTheConnectionWithoutAResponse() {
        emulator.faults().resetConnectionNext("ListAccounts", 1);

        assertThatThrownBy(this::listAccounts).isInstanceOf(SdkClientException.class);
        assertThat(listAccounts()).isEqualTo(1);
        assertThat(emulator.calls("ListAccounts")).isEqualTo(2);
    }

    @Test
    void rateLimitAnswers429AboveTheRate() {
        // One request per thousand seconds: the burst of one is spent by the first call, deterministically.
        emulator.faults().rateLimit("ListAccounts", 0.001);

        assertThat(listAccounts()).isEqualTo(1);
        assertThatThrownBy(this::listAccounts)
                .isInstanceOf(TooManyRequestsException.class)
                .satisfies(e -> assertThat(((TooManyRequestsException) e).statusCode()).isEqualTo(429));
        assertThat(aws.sso.listAccountRoles(r -> r.accessToken(token).accountId("111111111111")).roleList())
                .hasSize(1);

        emulator.faults().clear();
        assertThat(listAccounts()).isEqualTo(1);
    }

    @Test
    void latencyDelaysResponsesWithoutBlockingTheEventLoops() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        emulator.faults().latency("ListAccounts", Duration.ofHours(1));
        List<CompletableFuture<HttpResponse<Void>>> parked = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            parked.add(http.sendAsync(HttpRequest.newBuilder(emulator.endpoint().resolve("/assignment/accounts"))
                    .header("x-amz-sso_bearer_token", token).build(), HttpResponse.BodyHandlers.discarding()));
        }
        awaitCalls("ListAccounts", 64);

        // Were those 64 responses held by sleeping threads, nothing else could be served now.
        assertThat(aws.sso.listAccountRoles(r -> r.accessToken(token).accountId("111111111111")).roleList())
                .hasSize(1);
        assertThat(parked).noneMatch(CompletableFuture::isDone);
        parked.forEach(f -> f.cancel(true));

        emulator.faults().latency("ListAccounts", Duration.ofMillis(20));
        assertThat(listAccounts()).isEqualTo(1);
    }

    private void awaitCalls(String operation, long count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (emulator.calls(operation) < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(operation + " reached only " + emulator.calls(operation) + " calls");
            }
            LockSupport.parkNanos(Duration.ofMillis(5).toNanos()); // polling with a deadline, not waiting a guess
        }
    }

    private int listAccounts() {
        return aws.sso.listAccounts(r -> r.accessToken(token)).accountList().size();
    }

}
