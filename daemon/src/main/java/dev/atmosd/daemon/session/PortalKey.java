package dev.atmosd.daemon.session;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The registry key of a portal session: {@code sha1hex(start_url + "|" + region)}, as the Go atmos names its cache files. */
public final class PortalKey {
  private PortalKey() {}

  public static String of(String startUrl, String region) {
    try {
      MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
      return HexFormat.of().formatHex(sha1.digest((startUrl + "|" + region).getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-1", e);
    }
  }
}
