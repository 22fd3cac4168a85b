package dev.atmosd.daemon.config;

import java.text.Normalizer;

/** Text from a portal or a file made fit for a name, a message or a log line: NFC, no control characters, stripped. */
public final class PrintableText {
  private PrintableText() {}

  /** Trimmed, NFC, control characters as spaces; never null. */
  public static String clean(String raw) {
    if (raw == null) {
      return "";
    }
    String nfc = Normalizer.normalize(raw, Normalizer.Form.NFC);
    StringBuilder out = new StringBuilder(nfc.length());
    nfc.codePoints().forEach(cp -> {
      boolean control = Character.isISOControl(cp) || cp == 0x2028 || cp == 0x2029 || cp == 0xFEFF
          || Character.getType(cp) == Character.SURROGATE;
      out.appendCodePoint(control ? ' ' : cp);
    });
    return out.toString().strip();
  }
}
