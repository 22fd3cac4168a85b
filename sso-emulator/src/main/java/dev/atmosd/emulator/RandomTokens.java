package dev.atmosd.emulator;

import java.security.SecureRandom;
import java.util.Base64;

/** Unguessable identifiers and secrets in the shapes AWS uses for them. */
final class RandomTokens {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String UPPER_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    /** Consonants only, like the real user codes (BRCJ-PDVT): no vowels means no accidental words. */
    private static final String USER_CODE_LETTERS = "BCDFGHJKLMNPQRSTVWXZ";
    private static final String HEX = "0123456789abcdef";

    private RandomTokens() {
    }

    static String opaque(String prefix, int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    static String base64(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getEncoder().encodeToString(b);
    }

    static String userCode() {
        return chars(USER_CODE_LETTERS, 4) + "-" + chars(USER_CODE_LETTERS, 4);
    }

    /** Temporary (session) access key ids start with ASIA and are 20 characters long. */
    static String temporaryAccessKeyId() {
        return "ASIA" + chars(UPPER_ALNUM, 16);
    }

    /** Secret access keys are 40 characters of base64. */
    static String secretAccessKey() {
        return base64(30);
    }

    static String sessionToken() {
        return "IQoJb3JpZ2luX2VjE" + base64(180);
    }

    static String hex(int length) {
        return chars(HEX, length);
    }

    static String chars(String alphabet, int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return sb.toString();
    }
}
