package dev.atmosd.emulator;

/** Names the operation a request calls, from its method and path (and the Action parameter for STS). */
final class OperationResolver {
    static final String CONTROL_PREFIX = "/_emulator/";

    private OperationResolver() {
    }

    /** The operation, or null when nothing lives at that method and path. */
    static Operation resolve(EmulatorRequest request) {
        String method = request.method;
        String path = request.path;
        if (path.startsWith(CONTROL_PREFIX)) {
            return new Operation(path.substring(CONTROL_PREFIX.length()), Protocol.CONTROL);
        }
        if ("POST".equals(method)) {
            switch (path) {
                case "/client/register":
                    return new Operation(Operation.REGISTER_CLIENT, Protocol.OIDC);
                case "/device_authorization":
                    return new Operation(Operation.START_DEVICE_AUTHORIZATION, Protocol.OIDC);
                case "/token":
                    return new Operation(Operation.CREATE_TOKEN, Protocol.OIDC);
                case "/logout":
                    return new Operation(Operation.LOGOUT, Protocol.PORTAL);
                case "/":
                case "":
                    return stsOperation(request);
                default:
                    return null;
            }
        }
        if ("GET".equals(method)) {
            switch (path) {
                case "/assignment/accounts":
                    return new Operation(Operation.LIST_ACCOUNTS, Protocol.PORTAL);
                case "/assignment/roles":
                    return new Operation(Operation.LIST_ACCOUNT_ROLES, Protocol.PORTAL);
                case "/federation/credentials":
                    return new Operation(Operation.GET_ROLE_CREDENTIALS, Protocol.PORTAL);
                case "/device":
                case "/device/":
                    return new Operation(Operation.APPROVE, Protocol.PAGE);
                case "/authorize":
                    return new Operation(Operation.AUTHORIZE, Protocol.PAGE);
                case "/":
                case "":
                    return request.queryParam("Action") != null ? stsOperation(request) : null;
                default:
                    return null;
            }
        }
        return null;
    }

    /** STS requests are counted under their Action; one without an Action is answered MissingAction. */
    private static Operation stsOperation(EmulatorRequest request) {
        String action = StsHandler.action(request);
        return new Operation(action == null ? "MissingAction" : action, Protocol.STS);
    }
}
