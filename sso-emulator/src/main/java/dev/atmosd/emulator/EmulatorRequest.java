package dev.atmosd.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** A received HTTP request, copied out of Netty's buffers so handlers never deal with reference counts. */
final class EmulatorRequest {
    private static final ObjectMapper JSON = new ObjectMapper();

    final String method;
    /** The path exactly as sent (still percent-encoded); SigV4 needs it raw. */
    final String rawPath;
    final String path;
    final String rawQuery;
    final Map<String, List<String>> query;
    final HttpHeaders headers;
    final byte[] body;
    final SocketAddress remote;

    EmulatorRequest(FullHttpRequest request, SocketAddress remote) {
        this.method = request.method().name();
        String uri = request.uri();
        int q = uri.indexOf('?');
        this.rawPath = q < 0 ? uri : uri.substring(0, q);
        this.rawQuery = q < 0 ? "" : uri.substring(q + 1);
        QueryStringDecoder decoder = new QueryStringDecoder(uri);
        this.path = decoder.path();
        this.query = decoder.parameters();
        this.headers = request.headers().copy();
        this.body = new byte[request.content().readableBytes()];
        request.content().getBytes(request.content().readerIndex(), body);
        this.remote = remote;
    }

    String queryParam(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    String header(String name) {
        return headers.get(name);
    }

    String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** The JSON body, or an empty object for an empty body; malformed JSON is the client's error. */
    JsonNode jsonBody() {
        if (body.length == 0) {
            return JSON.createObjectNode();
        }
        try {
            JsonNode node = JSON.readTree(body);
            return node == null ? NullNode.getInstance() : node;
        } catch (IOException e) {
            throw AwsError.invalidRequest("Request body is not valid JSON");
        }
    }

    /** Form parameters of an application/x-www-form-urlencoded body (the STS query protocol). */
    Map<String, List<String>> formBody() {
        return new QueryStringDecoder(bodyText(), StandardCharsets.UTF_8, false).parameters();
    }

    boolean fromLoopback() {
        return remote instanceof InetSocketAddress inet && inet.getAddress() != null
                && inet.getAddress().isLoopbackAddress();
    }
}
