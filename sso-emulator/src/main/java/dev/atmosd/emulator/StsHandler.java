package dev.atmosd.emulator;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** STS over the query protocol: GetCallerIdentity, AssumeRole and AssumeRoot, each SigV4-verified. */
final class StsHandler {
    private static final Pattern ROLE_ARN = Pattern.compile("^arn:aws[a-z-]*:iam::(\\d{12}):role/(?:[\\w+=,.@/-]*/)?([\\w+=,.@-]{1,64})$");
    private static final Pattern SESSION_NAME = Pattern.compile("^[\\w+=,.@-]{2,64}$");
    private static final Pattern EXTERNAL_ID = Pattern.compile("^[\\w+=,.@:/-]{2,1224}$");
    private static final int MIN_DURATION = 900;
    private static final int MAX_DURATION = 43_200;
    /** Every credential the emulator issues is a role session, so AssumeRole from it is role chaining. */
    private static final int ROLE_CHAINING_MAX_DURATION = 3_600;
    /** A privileged root session lasts at most 15 minutes. */
    private static final int ROOT_MAX_DURATION = 900;
    private static final java.util.Set<String> ROOT_TASK_POLICIES = java.util.Set.of(
            "arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials",
            "arn:aws:iam::aws:policy/root-task/IAMCreateRootUserPassword",
            "arn:aws:iam::aws:policy/root-task/IAMDeleteRootUserCredentials",
            "arn:aws:iam::aws:policy/root-task/S3UnlockBucketPolicy",
            "arn:aws:iam::aws:policy/root-task/SQSUnlockQueuePolicy");

    private final IdentityCenter center;
    private final SigV4Verifier verifier;

    StsHandler(IdentityCenter center) {
        this.center = center;
        this.verifier = new SigV4Verifier(center.roleSessions, "sts");
    }

    /** The Action a query-protocol request names, from the form body or the query string; null if none. */
    static String action(EmulatorRequest request) {
        String action = parameters(request).get("Action");
        return action == null || action.isBlank() ? null : action;
    }

    EmulatorResponse handle(String operation, EmulatorRequest request, String requestId) {
        if (operation == null) {
            throw new AwsError(400, "MissingAction", "Missing Action");
        }
        Map<String, String> params = parameters(request);
        return switch (operation) {
            case Operation.GET_CALLER_IDENTITY ->
                    EmulatorResponse.xml(StsXml.getCallerIdentity(verifier.verify(request), requestId));
            case Operation.ASSUME_ROLE -> assumeRole(verifier.verify(request), params, requestId);
            case Operation.ASSUME_ROOT -> assumeRoot(verifier.verify(request), params, requestId);
            default -> throw new AwsError(400, "InvalidAction",
                    "Could not find operation " + operation + " for version 2011-06-15");
        };
    }

    private EmulatorResponse assumeRole(RoleSession caller, Map<String, String> params, String requestId) {
        String roleArn = params.get("RoleArn");
        String sessionName = params.get("RoleSessionName");
        if (roleArn == null) {
            throw validation("roleArn", null, "Member must not be null");
        }
        if (sessionName == null) {
            throw validation("roleSessionName", null, "Member must not be null");
        }
        Matcher arn = ROLE_ARN.matcher(roleArn);
        if (!arn.matches()) {
            throw new AwsError(400, "ValidationError", roleArn + " is invalid");
        }
        if (!SESSION_NAME.matcher(sessionName).matches()) {
            throw validation("roleSessionName", sessionName,
                    "Member must satisfy regular expression pattern: [\\w+=,.@-]* and length 2..64");
        }
        int duration = durationSeconds(params.get("DurationSeconds"));
        String externalId = params.get("ExternalId");
        if (externalId != null && !EXTERNAL_ID.matcher(externalId).matches()) {
            throw validation("externalId", externalId, "Member must satisfy regular expression pattern: [\\w+=,.@:\\/-]*");
        }
        String accountId = arn.group(1);
        String required = center.assumeRolePolicy.requiredExternalId(roleArn);
        boolean allowed = center.directory.contains(accountId)
                && !center.assumeRolePolicy.isDenied(roleArn)
                && (required == null || required.equals(externalId));
        if (!allowed) {
            throw new AwsError(403, "AccessDenied", "User: " + caller.arn()
                    + " is not authorized to perform: sts:AssumeRole on resource: " + roleArn);
        }
        RoleSession session = center.roleSessions.remember(RoleSession.forAssumedRole(accountId, arn.group(2),
                sessionName, center.clock.instant().plus(Duration.ofSeconds(duration))));
        return EmulatorResponse.xml(StsXml.assumeRole(session, requestId));
    }

    /**
     * sts:AssumeRoot as AWS documents it: a 12-digit member account of the organization, one of the AWS-managed
     * root-task policies, at most 900 seconds (the default). A root session cannot assume root again.
     */
    private EmulatorResponse assumeRoot(RoleSession caller, Map<String, String> params, String requestId) {
        String target = params.get("TargetPrincipal");
        String policy = params.get("TaskPolicyArn.arn");
        if (target == null) {
            throw validation("targetPrincipal", null, "Member must not be null");
        }
        if (policy == null) {
            throw validation("taskPolicyArn", null, "Member must not be null");
        }
        if (!target.matches("\\d{12}")) {
            throw validation("targetPrincipal", target, "Member must satisfy regular expression pattern: \\d{12}");
        }
        if (!ROOT_TASK_POLICIES.contains(policy)) {
            throw new AwsError(400, "ValidationError", "The task policy " + policy
                    + " is not a supported root task policy");
        }
        String value = params.get("DurationSeconds");
        int duration = value == null || value.isBlank() ? ROOT_MAX_DURATION : seconds(value);
        if (duration < 0 || duration > ROOT_MAX_DURATION) {
            throw validation("durationSeconds", value, "Member must have value less than or equal to "
                    + ROOT_MAX_DURATION);
        }
        if (caller.roleName() == null || !center.directory.contains(target)) {
            throw new AwsError(403, "AccessDenied", "User: " + caller.arn()
                    + " is not authorized to perform: sts:AssumeRoot on resource: " + target);
        }
        RoleSession session = center.roleSessions.remember(
                RoleSession.forRoot(target, center.clock.instant().plus(Duration.ofSeconds(duration))));
        return EmulatorResponse.xml(StsXml.assumeRoot(session, requestId));
    }

    private static int durationSeconds(String value) {
        if (value == null || value.isBlank()) {
            return ROLE_CHAINING_MAX_DURATION;
        }
        int seconds = seconds(value);
        if (seconds < MIN_DURATION) {
            throw validation("durationSeconds", value, "Member must have value greater than or equal to " + MIN_DURATION);
        }
        if (seconds > MAX_DURATION) {
            throw validation("durationSeconds", value, "Member must have value less than or equal to " + MAX_DURATION);
        }
        if (seconds > ROLE_CHAINING_MAX_DURATION) {
            throw new AwsError(400, "ValidationError", "The requested DurationSeconds exceeds the 1 hour session limit "
                    + "for roles assumed by role chaining.");
        }
        return seconds;
    }

    /** DurationSeconds as a number, else the validation error STS answers. */
    private static int seconds(String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw validation("durationSeconds", value, "Member must be a number");
        }
    }

    private static AwsError validation(String member, String value, String constraint) {
        return new AwsError(400, "ValidationError", "1 validation error detected: Value "
                + (value == null ? "null" : "'" + value + "'") + " at '" + member + "' failed to satisfy constraint: "
                + constraint);
    }

    /** Query-string parameters overlaid with form-body parameters (the query protocol allows both). */
    static Map<String, String> parameters(EmulatorRequest request) {
        Map<String, String> params = new HashMap<>();
        request.query.forEach((k, v) -> first(v, value -> params.put(k, value)));
        String contentType = request.header("Content-Type");
        if (contentType != null && contentType.toLowerCase().startsWith("application/x-www-form-urlencoded")) {
            request.formBody().forEach((k, v) -> first(v, value -> params.put(k, value)));
        }
        return params;
    }

    private static void first(List<String> values, java.util.function.Consumer<String> sink) {
        if (!values.isEmpty()) {
            sink.accept(values.get(0));
        }
    }
}
