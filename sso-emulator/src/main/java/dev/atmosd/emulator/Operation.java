package dev.atmosd.emulator;

/** One named AWS operation (the name counters and faults key on) and the protocol it speaks. */
record Operation(String name, Protocol protocol) {
    static final String REGISTER_CLIENT = "RegisterClient";
    static final String START_DEVICE_AUTHORIZATION = "StartDeviceAuthorization";
    static final String CREATE_TOKEN = "CreateToken";
    static final String AUTHORIZE = "Authorize";
    static final String APPROVE = "Approve";
    static final String LIST_ACCOUNTS = "ListAccounts";
    static final String LIST_ACCOUNT_ROLES = "ListAccountRoles";
    static final String GET_ROLE_CREDENTIALS = "GetRoleCredentials";
    static final String LOGOUT = "Logout";
    static final String GET_CALLER_IDENTITY = "GetCallerIdentity";
    static final String ASSUME_ROLE = "AssumeRole";
    static final String ASSUME_ROOT = "AssumeRoot";

    /** Control-API calls are not AWS operations: they are neither counted nor subject to faults. */
    boolean isAwsOperation() {
        return protocol != Protocol.CONTROL;
    }
}
