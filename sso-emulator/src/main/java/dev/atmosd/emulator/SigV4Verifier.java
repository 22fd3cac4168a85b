package dev.atmosd.emulator;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks an AWS Signature Version 4 (header or presigned-query form) against the secret the emulator issued
 * for the access key, recomputing the canonical request as the SigV4 specification defines it. Returns the
 * session the caller signed as; every failure is the STS error a real endpoint would answer with.
 *
 * <p>Clock skew is deliberately not checked: tests move the emulator's clock by hours while SDKs sign with
 * the real time.
 */
final class SigV4Verifier {
    static final String ALGORITHM = "AWS4-HMAC-SHA256";
    private static final String UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";

    private final RoleSessions sessions;
    private final String service;

    SigV4Verifier(RoleSessions sessions, String service) {
        this.sessions = sessions;
        this.service = service;
    }

    RoleSession verify(EmulatorRequest request) {
        String authorization = request.header("Authorization");
        if (authorization != null) {
            return verifyHeaderForm(request, authorization);
        }
        if (request.queryParam("X-Amz-Algorithm") != null) {
            return verifyQueryForm(request);
        }
        throw new AwsError(403, "MissingAuthenticationToken", "Request is missing Authentication Token");
    }

    private RoleSession verifyHeaderForm(EmulatorRequest request, String authorization) {
        String trimmed = authorization.trim();
        if (!trimmed.startsWith(ALGORITHM + " ")) {
            throw incomplete("Unsupported AWS 'algorithm': expected " + ALGORITHM);
        }
        Map<String, String> parts = new HashMap<>();
        for (String part : trimmed.substring(ALGORITHM.length()).split(",")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                parts.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
            }
        }
        String credential = parts.get("Credential");
        String signedHeaders = parts.get("SignedHeaders");
        String signature = parts.get("Signature");
        if (credential == null || signedHeaders == null || signature == null) {
            throw incomplete("Authorization header requires 'Credential', 'SignedHeaders' and 'Signature'");
        }
        String amzDate = request.header("X-Amz-Date");
        if (amzDate == null) {
            throw incomplete("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header");
        }
        String sessionToken = request.header("X-Amz-Security-Token");
        String payloadHeader = request.header("x-amz-content-sha256");
        List<String> payloadHashes = List.of(payloadHeader != null ? payloadHeader : sha256Hex(request.body));
        if (payloadHeader != null && !UNSIGNED_PAYLOAD.equals(payloadHeader)
                && !payloadHeader.equalsIgnoreCase(sha256Hex(request.body))) {
            throw new AwsError(400, "XAmzContentSHA256Mismatch",
                    "The provided 'x-amz-content-sha256' header does not match what was computed.");
        }
        return check(request, credential, signedHeaders, signature, amzDate, sessionToken,
                canonicalQuery(request.rawQuery, null), payloadHashes);
    }

    private RoleSession verifyQueryForm(EmulatorRequest request) {
        if (!ALGORITHM.equals(request.queryParam("X-Amz-Algorithm"))) {
            throw incomplete("Unsupported AWS 'algorithm': expected " + ALGORITHM);
        }
        String credential = request.queryParam("X-Amz-Credential");
        String signedHeaders = request.queryParam("X-Amz-SignedHeaders");
        String signature = request.queryParam("X-Amz-Signature");
        String amzDate = request.queryParam("X-Amz-Date");
        if (credential == null || signedHeaders == null || signature == null || amzDate == null) {
            throw incomplete("AWS query-string parameters must include 'X-Amz-Algorithm', 'X-Amz-Credential', "
                    + "'X-Amz-Signature', 'X-Amz-Date' and 'X-Amz-SignedHeaders'");
        }
        String sessionToken = request.queryParam("X-Amz-Security-Token");
        // Presigners differ on the payload hash of non-S3 requests; accept what either kind of signer computed.
        List<String> payloadHashes = List.of(sha256Hex(request.body), UNSIGNED_PAYLOAD);
        return check(request, credential, signedHeaders, signature, amzDate, sessionToken,
                canonicalQuery(request.rawQuery, "X-Amz-Signature"), payloadHashes);
    }

    private RoleSession check(EmulatorRequest request, String credential, String signedHeaders, String signature,
                              String amzDate, String sessionToken, String canonicalQuery, List<String> payloadHashes) {
        String[] scope = credential.split("/");
        if (scope.length != 5 || !"aws4_request".equals(scope[4])) {
            throw incomplete("Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term");
        }
        String accessKeyId = scope[0];
        String date = scope[1];
        String region = scope[2];
        String scopeService = scope[3];
        if (!scopeService.equals(service)) {
            throw signatureMismatch("Credential should be scoped to correct service: '" + service + "'.");
        }
        if (!amzDate.startsWith(date)) {
            throw signatureMismatch("Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date "
                    + "from HTTP");
        }
        RoleSession session = sessions.find(accessKeyId).orElseThrow(() -> invalidToken());
        if (session.sessionToken() != null && (sessionToken == null || !MessageDigest.isEqual(
                session.sessionToken().getBytes(StandardCharsets.UTF_8),
                sessionToken.getBytes(StandardCharsets.UTF_8)))) {
            throw invalidToken();
        }
        if (sessions.expired(session)) {
            throw new AwsError(400, "ExpiredToken", "The security token included in the request is expired");
        }
        String credentialScope = date + "/" + region + "/" + scopeService + "/aws4_request";
        byte[] signingKey = signingKey(session.secretAccessKey(), date, region, scopeService);
        byte[] provided = signature.trim().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
        for (String payloadHash : payloadHashes) {
            String canonicalRequest = request.method + "\n"
                    + canonicalUri(request.rawPath) + "\n"
                    + canonicalQuery + "\n"
                    + canonicalHeaders(request, signedHeaders) + "\n"
                    + signedHeaders + "\n"
                    + payloadHash;
            String stringToSign = ALGORITHM + "\n" + amzDate + "\n" + credentialScope + "\n"
                    + sha256Hex(canonicalRequest.getBytes(StandardCharsets.UTF_8));
            byte[] expected = hex(hmac(signingKey, stringToSign)).getBytes(StandardCharsets.US_ASCII);
            if (MessageDigest.isEqual(expected, provided)) {
                return session;
            }
        }
        throw signatureMismatch("The request signature we calculated does not match the signature you provided. "
                + "Check your AWS Secret Access Key and signing method. Consult the service documentation for details.");
    }

    /** Each path segment URI-encoded once more (non-S3 services sign the encoded path), empty path is "/". */
    static String canonicalUri(String rawPath) {
        if (rawPath == null || rawPath.isEmpty()) {
            return "/";
        }
        StringBuilder sb = new StringBuilder();
        String[] segments = rawPath.split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            if (i > 0) {
                sb.append('/');
            }
            sb.append(uriEncode(segments[i]));
        }
        return sb.length() == 0 ? "/" : sb.toString();
    }

    /** Parameters decoded, re-encoded per RFC 3986, sorted by name then value; {@code exclude} is left out. */
    static String canonicalQuery(String rawQuery, String exclude) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return "";
        }
        List<String[]> pairs = new ArrayList<>();
        for (String piece : rawQuery.split("&")) {
            if (piece.isEmpty()) {
                continue;
            }
            int eq = piece.indexOf('=');
            String name = percentDecode(eq < 0 ? piece : piece.substring(0, eq));
            String value = eq < 0 ? "" : percentDecode(piece.substring(eq + 1));
            if (name.equals(exclude)) {
                continue;
            }
            pairs.add(new String[] {uriEncode(name), uriEncode(value)});
        }
        pairs.sort((a, b) -> a[0].equals(b[0]) ? a[1].compareTo(b[1]) : a[0].compareTo(b[0]));
        StringBuilder sb = new StringBuilder();
        for (String[] pair : pairs) {
            if (sb.length() > 0) {
                sb.append('&');
            }
            sb.append(pair[0]).append('=').append(pair[1]);
        }
        return sb.toString();
    }

    private static String canonicalHeaders(EmulatorRequest request, String signedHeaders) {
        StringBuilder sb = new StringBuilder();
        for (String name : signedHeaders.split(";")) {
            List<String> values = request.headers.getAll(name);
            List<String> normalised = new ArrayList<>(values.size());
            for (String value : values) {
                normalised.add(value.trim().replaceAll("\\s+", " "));
            }
            sb.append(name.toLowerCase(Locale.ROOT)).append(':').append(String.join(",", normalised)).append('\n');
        }
        return sb.toString();
    }

    static String uriEncode(String value) {
        StringBuilder sb = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '.' || c == '~') {
                sb.append(c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)))
                        .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
            }
        }
        return sb.toString();
    }

    /** Percent-decoding only: in a signed query a '+' is a literal plus, not a space. */
    static String percentDecode(String value) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '%' && i + 2 < bytes.length) {
                int hi = Character.digit(bytes[i + 1], 16);
                int lo = Character.digit(bytes[i + 2], 16);
                if (hi >= 0 && lo >= 0) {
                    out.write((hi << 4) | lo);
                    i += 2;
                    continue;
                }
            }
            out.write(bytes[i]);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    static byte[] signingKey(String secret, String date, String region, String service) {
        byte[] kDate = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), date);
        byte[] kRegion = hmac(kDate, region);
        byte[] kService = hmac(kRegion, service);
        return hmac(kService, "aws4_request");
    }

    static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String sha256Hex(byte[] data) {
        try {
            return hex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String hex(byte[] bytes) {
        StringBuilder sb = new StringBuilder(bytes.length * 2);
        for (byte b : bytes) {
            sb.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
        }
        return sb.toString();
    }

    private static AwsError incomplete(String message) {
        return new AwsError(400, "IncompleteSignature", message);
    }

    private static AwsError signatureMismatch(String message) {
        return new AwsError(403, "SignatureDoesNotMatch", message);
    }

    private static AwsError invalidToken() {
        return new AwsError(403, "InvalidClientTokenId", "The security token included in the request is invalid.");
    }
}
