package dev.atmosd.emulator;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * One page of a paginated portal listing. Next tokens are opaque to clients; they carry the offset and the
 * listing they belong to, so a token from one listing is rejected by another.
 */
record Page(int from, int to, int total, String listing) {
    private static final int DEFAULT_SIZE = 20;
    private static final int MAX_SIZE = 100;

    static Page of(EmulatorRequest request, String listing, int total) {
        int size = pageSize(request.queryParam("max_result"));
        int from = offset(request.queryParam("next_token"), listing);
        from = Math.min(from, total);
        return new Page(from, Math.min(total, from + size), total, listing);
    }

    Optional<String> nextToken() {
        if (to >= total) {
            return Optional.empty();
        }
        String raw = listing + "|" + to;
        return Optional.of(Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8)));
    }

    private static int pageSize(String maxResult) {
        if (maxResult == null || maxResult.isBlank()) {
            return DEFAULT_SIZE;
        }
        try {
            int size = Integer.parseInt(maxResult.trim());
            if (size >= 1 && size <= MAX_SIZE) {
                return size;
            }
        } catch (NumberFormatException ignored) {
            // fall through to the same error as an out-of-range number
        }
        throw AwsError.invalidRequest("max_result must be between 1 and " + MAX_SIZE);
    }

    private static int offset(String nextToken, String listing) {
        if (nextToken == null || nextToken.isEmpty()) {
            return 0;
        }
        try {
            String raw = new String(Base64.getUrlDecoder().decode(nextToken), StandardCharsets.UTF_8);
            int bar = raw.lastIndexOf('|');
            if (bar > 0 && raw.substring(0, bar).equals(listing)) {
                int offset = Integer.parseInt(raw.substring(bar + 1));
                if (offset >= 0) {
                    return offset;
                }
            }
        } catch (IllegalArgumentException ignored) {
            // not one of our tokens
        }
        throw AwsError.invalidRequest("Invalid next token");
    }
}
