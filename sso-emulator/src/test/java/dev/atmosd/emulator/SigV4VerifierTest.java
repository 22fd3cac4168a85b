package dev.atmosd.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The verifier against the worked example in the AWS SigV4 documentation (IAM ListUsers, 2015-08-30). */
class SigV4VerifierTest {
    private static final String KEY = "AKIDEXAMPLE";
    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    private static final String DOCUMENTED_SIGNATURE =
            "5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7";

    private final RoleSessions sessions = new RoleSessions(
            java.time.Clock.fixed(Instant.parse("2015-08-30T12:36:00Z"), ZoneOffset.UTC));

    @Test
    void acceptsTheDocumentedSignature() {
        RoleSession session = sessions.remember(new RoleSession(KEY, SECRET, null,
                Instant.parse("2015-08-30T13:36:00Z"), "123456789012", "R", "arn", "id"));

        assertThat(new SigV4Verifier(sessions, "iam").verify(request(DOCUMENTED_SIGNATURE))).isSameAs(session);
    }

    @Test
    void rejectsAnyOtherSignature() {
        sessions.remember(new RoleSession(KEY, SECRET, null, Instant.parse("2015-08-30T13:36:00Z"),
                "123456789012", "R", "arn", "id"));

        assertThatThrownBy(() -> new SigV4Verifier(sessions, "iam").verify(request(
                DOCUMENTED_SIGNATURE.replace('5', '6'))))
                .isInstanceOf(AwsError.class)
                .hasFieldOrPropertyWithValue("type", "SignatureDoesNotMatch");
    }

    @Test
    void canonicalQuerySortsAndEncodesPerRfc3986() {
        assertThat(SigV4Verifier.canonicalQuery("b=2&a=x%20y&a=1&c=%7E+*&X-Amz-Signature=abc", "X-Amz-Signature"))
                .isEqualTo("a=1&a=x%20y&b=2&c=~%2B%2A");
    }

    private static EmulatorRequest request(String signature) {
        FullHttpRequest http = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET,
                "/?Action=ListUsers&Version=2010-05-08", Unpooled.EMPTY_BUFFER);
        http.headers().set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
        http.headers().set("Host", "iam.amazonaws.com");
        http.headers().set("X-Amz-Date", "20150830T123600Z");
        http.headers().set("Authorization", "AWS4-HMAC-SHA256 Credential=" + KEY
                + "/20150830/us-east-1/iam/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature="
                + signature);
        return new EmulatorRequest(http, new InetSocketAddress("127.0.0.1", 1));
    }
}
