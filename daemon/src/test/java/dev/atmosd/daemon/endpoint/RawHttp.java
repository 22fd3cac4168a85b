package dev.atmosd.daemon.endpoint;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Speaks HTTP/1.1 by hand, because the JDK's client will not send a forged Host header or an oversized one, and
 * those are exactly what the endpoint must refuse.
 */
final class RawHttp {
  record Response(int status, Map<String, String> headers, String body) {}

  private RawHttp() {}

  /** Sends {@code request} verbatim and reads one response; null when the server closed without answering. */
  static Response exchange(int port, String request) throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout(30_000); // a guard against a hung test, not an assertion
      socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      return read(socket.getInputStream());
    }
  }

  static Response read(InputStream in) throws IOException {
    String statusLine = line(in);
    if (statusLine == null) {
      return null;
    }
    Map<String, String> headers = new LinkedHashMap<>();
    for (String header = line(in); header != null && !header.isEmpty(); header = line(in)) {
      int colon = header.indexOf(':');
      headers.put(header.substring(0, colon).trim().toLowerCase(Locale.ROOT), header.substring(colon + 1).trim());
    }
    int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
    byte[] body = in.readNBytes(length);
    return new Response(Integer.parseInt(statusLine.split(" ")[1]), headers, new String(body, StandardCharsets.UTF_8));
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != -1) {
      if (b == '\n') {
        String text = bytes.toString(StandardCharsets.ISO_8859_1);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
      }
      bytes.write(b);
    }
    return bytes.size() == 0 ? null : bytes.toString(StandardCharsets.ISO_8859_1);
  }

  static String get(String path, String host, String authorization) {
    return "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n"
        + (authorization == null ? "" : "Authorization: " + authorization + "\r\n")
        + "Connection: close\r\n\r\n";
  }
}
