package dev.atmosd.emulator;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** A complete HTTP answer, built by a handler and written by {@link RequestDispatcher}. */
record EmulatorResponse(int status, String contentType, byte[] body, Map<String, String> headers) {
    static final String JSON = "application/json";
    static final String XML = "text/xml";
    static final String HTML = "text/html; charset=utf-8";

    static EmulatorResponse of(int status, String contentType, String body) {
        return new EmulatorResponse(status, contentType, body.getBytes(StandardCharsets.UTF_8), new LinkedHashMap<>());
    }

    static EmulatorResponse json(String body) {
        return of(200, JSON, body);
    }

    static EmulatorResponse xml(String body) {
        return of(200, XML, body);
    }

    static EmulatorResponse html(int status, String body) {
        return of(status, HTML, body);
    }

    static EmulatorResponse empty() {
        return new EmulatorResponse(200, null, new byte[0], new LinkedHashMap<>());
    }

    EmulatorResponse withHeader(String name, String value) {
        headers.put(name, value);
        return this;
    }
}
