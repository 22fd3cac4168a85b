package dev.atmosd.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;

/**
 * The HTTP control API under {@code /_emulator/} for other processes (demo, benchmarks, CLI tests): the same
 * knobs as the Java API. Loopback callers only.
 */
final class ControlHandler {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final SsoEmulator emulator;

    ControlHandler(SsoEmulator emulator) {
        this.emulator = emulator;
    }

    EmulatorResponse handle(String command, EmulatorRequest request) {
        if (!request.fromLoopback()) {
            throw new AwsError(403, "AccessDenied", "The control API answers loopback callers only");
        }
        boolean get = "GET".equals(request.method);
        boolean post = "POST".equals(request.method);
        switch (command) {
            case "counters":
                requireMethod(get, request);
                return ok(JSON.valueToTree(emulator.counters()));
            case "pending":
                requireMethod(get, request);
                return ok(JSON.createObjectNode().set("userCodes", JSON.valueToTree(emulator.pendingUserCodes())));
            case "health":
                requireMethod(get, request);
                return ok(JSON.createObjectNode().put("endpoint", emulator.endpoint().toString()));
            default:
                break;
        }
        requireMethod(post, request);
        switch (command) {
            case "reset-counters" -> emulator.resetCounters();
            case "approve-all" -> {
                return ok(JSON.createObjectNode().put("approved", emulator.approveAllPendingCount()));
            }
            case "approve" -> emulator.approve(userCode(request));
            case "deny" -> emulator.deny(userCode(request));
            case "expire" -> emulator.expire(userCode(request));
            case "auto-approve" -> emulator.setAutoApprove(!"false".equalsIgnoreCase(request.queryParam("enabled")));
            case "faults" -> addFault(request.jsonBody());
            case "reset-faults" -> emulator.faults().clear();
            case "revoke-refresh-tokens" -> emulator.revokeRefreshTokens();
            case "expire-access-tokens" -> emulator.expireAccessTokens();
            case "accounts" -> addAccounts(request.jsonBody());
            case "deny-assume-role" -> emulator.denyAssumeRole(required(request.jsonBody(), "roleArn"));
            case "require-external-id" -> {
                JsonNode body = request.jsonBody();
                emulator.requireExternalId(required(body, "roleArn"), required(body, "externalId"));
            }
            default -> throw new AwsError(404, "UnknownCommand", "No control command '" + command + "'");
        }
        return ok(JSON.createObjectNode().put("ok", true));
    }

    /**
     * One fault per request, e.g. {"type":"failNext","operation":"ListAccounts","status":500,
     * "errorType":"InternalServerException","times":2}, {"type":"latency","operation":"*","latency":"50ms"},
     * {"type":"rateLimit","operation":"ListAccountRoles","requestsPerSecond":20},
     * {"type":"resetConnection","operation":"CreateToken","times":1}.
     */
    private void addFault(JsonNode body) {
        String type = required(body, "type");
        String operation = body.path("operation").asText(Faults.ALL);
        int times = body.path("times").asInt(1);
        try {
            switch (type) {
                case "failNext" -> emulator.faults().failNext(operation, body.path("status").asInt(500),
                        body.path("errorType").asText("InternalServerException"), times);
                case "resetConnection", "resetConnectionNext" -> emulator.faults().resetConnectionNext(operation, times);
                case "latency" -> emulator.faults().latency(operation, body.has("millis")
                        ? java.time.Duration.ofMillis(body.get("millis").asLong())
                        : Durations.parse(required(body, "latency")));
                case "rateLimit" -> emulator.faults().rateLimit(operation,
                        body.path("requestsPerSecond").asDouble(0));
                default -> throw badRequest("Unknown fault type '" + type
                        + "' (failNext, resetConnection, latency, rateLimit)");
            }
        } catch (IllegalArgumentException e) {
            throw badRequest(e.getMessage());
        }
    }

    /**
     * {"accounts":[{"accountId":"111111111111","accountName":"dev","email":"dev@example.com",
     * "roles":["AdministratorAccess"]}]} and/or {"generate":{"count":1000,"rolesPerAccount":3}}.
     */
    private void addAccounts(JsonNode body) {
        for (JsonNode account : body.path("accounts")) {
            List<String> roles = new ArrayList<>();
            account.path("roles").forEach(r -> roles.add(r.asText()));
            String id = required(account, "accountId");
            emulator.addAccount(id, account.path("accountName").asText(id),
                    account.path("email").asText(id + "@example.com"), roles.toArray(new String[0]));
        }
        JsonNode generate = body.path("generate");
        if (generate.isObject()) {
            emulator.addAccounts(generate.path("count").asInt(0), generate.path("rolesPerAccount").asInt(1));
        }
    }

    private static String userCode(EmulatorRequest request) {
        String code = request.queryParam("user_code");
        if (code == null || code.isBlank()) {
            throw badRequest("user_code is required");
        }
        return code;
    }

    private static String required(JsonNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull() || node.asText().isBlank()) {
            throw badRequest("'" + field + "' is required");
        }
        return node.asText();
    }

    private static void requireMethod(boolean ok, EmulatorRequest request) {
        if (!ok) {
            throw new AwsError(405, "MethodNotAllowed", request.method + " is not allowed on " + request.path);
        }
    }

    private static AwsError badRequest(String message) {
        return new AwsError(400, "BadRequest", message);
    }

    private static EmulatorResponse ok(JsonNode body) {
        return EmulatorResponse.json(body.toString());
    }
}
