package dev.atmosd.emulator;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** The STS query protocol's XML documents. */
final class StsXml {
    static final String NAMESPACE = "https://sts.amazonaws.com/doc/2011-06-15/";

    private StsXml() {
    }

    static String getCallerIdentity(RoleSession session, String requestId) {
        return "<GetCallerIdentityResponse xmlns=\"" + NAMESPACE + "\">\n"
                + "  <GetCallerIdentityResult>\n"
                + "    <Arn>" + escape(session.arn()) + "</Arn>\n"
                + "    <UserId>" + escape(session.userId()) + "</UserId>\n"
                + "    <Account>" + escape(session.accountId()) + "</Account>\n"
                + "  </GetCallerIdentityResult>\n"
                + metadata(requestId)
                + "</GetCallerIdentityResponse>\n";
    }

    static String assumeRole(RoleSession session, String requestId) {
        return "<AssumeRoleResponse xmlns=\"" + NAMESPACE + "\">\n"
                + "  <AssumeRoleResult>\n"
                + "    <AssumedRoleUser>\n"
                + "      <AssumedRoleId>" + escape(session.userId()) + "</AssumedRoleId>\n"
                + "      <Arn>" + escape(session.arn()) + "</Arn>\n"
                + "    </AssumedRoleUser>\n"
                + credentials(session)
                + "    <PackedPolicySize>0</PackedPolicySize>\n"
                + "  </AssumeRoleResult>\n"
                + metadata(requestId)
                + "</AssumeRoleResponse>\n";
    }

    /** AssumeRoot answers credentials and a source identity only: there is no assumed-role user. */
    static String assumeRoot(RoleSession session, String requestId) {
        return "<AssumeRootResponse xmlns=\"" + NAMESPACE + "\">\n"
                + "  <AssumeRootResult>\n"
                + credentials(session)
                + "  </AssumeRootResult>\n"
                + metadata(requestId)
                + "</AssumeRootResponse>\n";
    }

    private static String credentials(RoleSession session) {
        return "    <Credentials>\n"
                + "      <AccessKeyId>" + session.accessKeyId() + "</AccessKeyId>\n"
                + "      <SecretAccessKey>" + escape(session.secretAccessKey()) + "</SecretAccessKey>\n"
                + "      <SessionToken>" + escape(session.sessionToken()) + "</SessionToken>\n"
                + "      <Expiration>" + timestamp(session.expiresAt()) + "</Expiration>\n"
                + "    </Credentials>\n";
    }

    static String error(AwsError error, String requestId) {
        return "<ErrorResponse xmlns=\"" + NAMESPACE + "\">\n"
                + "  <Error>\n"
                + "    <Type>" + (error.status() >= 500 ? "Receiver" : "Sender") + "</Type>\n"
                + "    <Code>" + escape(error.type()) + "</Code>\n"
                + "    <Message>" + escape(error.getMessage()) + "</Message>\n"
                + "  </Error>\n"
                + "  <RequestId>" + escape(requestId) + "</RequestId>\n"
                + "</ErrorResponse>\n";
    }

    /** ISO-8601 UTC with whole seconds, as STS writes it (2026-01-01T09:00:00Z). */
    static String timestamp(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static String metadata(String requestId) {
        return "  <ResponseMetadata>\n    <RequestId>" + escape(requestId) + "</RequestId>\n  </ResponseMetadata>\n";
    }

    static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&apos;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }
}
