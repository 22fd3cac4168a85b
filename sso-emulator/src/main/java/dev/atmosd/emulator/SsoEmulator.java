package dev.atmosd.emulator;

import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An AWS IAM Identity Center emulator on one loopback HTTP port: SSO OIDC (device code, refresh, PKCE),
 * the SSO portal, and STS GetCallerIdentity/AssumeRole with SigV4 verification. Real AWS SDKs talk to it
 * through {@code endpointOverride(emulator.endpoint())}.
 *
 * <pre>{@code
 * try (SsoEmulator emu = SsoEmulator.builder().build().start()) {
 *     emu.addAccount("111111111111", "dev", "dev@example.com", "AdministratorAccess");
 *     ...
 * }
 * }</pre>
 */
public final class SsoEmulator implements AutoCloseable {
    private final IdentityCenter center;
    private final int requestedPort;
    private EmulatorServer server;
    private URI endpoint;

    private SsoEmulator(Builder builder) {
        this.center = new IdentityCenter(builder.clock, builder.lifetimes(), builder.autoApprove, builder.userName);
        this.requestedPort = builder.port;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Binds 127.0.0.1 and starts serving; returns this instance. */
    public synchronized SsoEmulator start() {
        if (server != null) {
            throw new IllegalStateException("already started");
        }
        EmulatorServer starting = new EmulatorServer();
        InetSocketAddress bound = starting.bind(requestedPort, new RequestDispatcher(center, new ControlHandler(this)));
        endpoint = URI.create("http://127.0.0.1:" + bound.getPort());
        center.endpoint(endpoint);
        server = starting;
        return this;
    }

    /** {@code http://127.0.0.1:PORT}; one port serves OIDC, the portal, STS and the control API. */
    public URI endpoint() {
        URI uri = endpoint;
        if (uri == null) {
            throw new IllegalStateException("the emulator is not started");
        }
        return uri;
    }

    public int port() {
        return endpoint().getPort();
    }

    // --- directory ---

    /** Adds an account (or adds roles to a known one). Account names need not be unique, as on AWS. */
    public SsoEmulator addAccount(String accountId, String accountName, String email, String... roleNames) {
        Objects.requireNonNull(accountId, "accountId");
        if (!accountId.matches("\\d{12}")) {
            throw new IllegalArgumentException("accountId must be 12 digits, was '" + accountId + "'");
        }
        center.directory.add(new Account(accountId, Objects.requireNonNull(accountName, "accountName"),
                Objects.requireNonNull(email, "email"), Arrays.asList(roleNames)));
        return this;
    }

    /** Removes an account (closed, or the user's assignment taken away): listings no longer show it. */
    public SsoEmulator removeAccount(String accountId) {
        if (!center.directory.remove(accountId)) {
            throw new IllegalArgumentException("no account " + accountId);
        }
        return this;
    }

    /**
     * Generates {@code count} accounts (ids from 100000000001 up, names account-0001.., emails
     * account-0001@example.com) each with the first {@code rolesPerAccount} of AdministratorAccess,
     * ReadOnlyAccess, PowerUserAccess, ViewOnlyAccess, Billing, ... then PermissionSet011...
     */
    public SsoEmulator addAccounts(int count, int rolesPerAccount) {
        center.directory.generate(count, rolesPerAccount);
        return this;
    }

    // --- the user's side of device flows ---

    /** Approves a pending user code (what the user does in the browser). */
    public void approve(String userCode) {
        decide(userCode, DeviceAuthorization.State.APPROVED);
    }

    /** Denies a pending user code: the next poll gets AccessDeniedException. */
    public void deny(String userCode) {
        decide(userCode, DeviceAuthorization.State.DENIED);
    }

    /** Expires a user code now: the next poll gets ExpiredTokenException. */
    public void expire(String userCode) {
        decide(userCode, DeviceAuthorization.State.EXPIRED);
    }

    public void approveAllPending() {
        center.deviceAuthorizations.approveAllPending();
    }

    int approveAllPendingCount() {
        return center.deviceAuthorizations.approveAllPending();
    }

    /** User codes still waiting for a decision, oldest first. */
    public List<String> pendingUserCodes() {
        return center.deviceAuthorizations.pendingUserCodes();
    }

    /**
     * CreateToken calls made so far with the device code behind {@code userCode}, whatever they were answered: lets a
     * test see that a client stopped polling a flow without counting the polls of other flows.
     */
    public int tokenPolls(String userCode) {
        int polls = center.deviceAuthorizations.tokenPolls(userCode);
        if (polls < 0) {
            throw new IllegalArgumentException("unknown user code '" + userCode + "'");
        }
        return polls;
    }

    /** When on, new device codes are approved at once; switching it on also approves those already waiting. */
    public void setAutoApprove(boolean autoApprove) {
        center.deviceAuthorizations.setAutoApprove(autoApprove);
    }

    private void decide(String userCode, DeviceAuthorization.State next) {
        switch (center.deviceAuthorizations.decide(userCode, next)) {
            case UNKNOWN -> throw new IllegalArgumentException("unknown user code '" + userCode + "'");
            case NOT_OPEN -> throw new IllegalStateException("user code '" + userCode
                    + "' is no longer waiting for a decision");
            default -> {
            }
        }
    }

    // --- counters ---

    /** Calls of one operation so far, faulted ones included (see {@link Faults}). */
    public long calls(String operation) {
        return center.counters.get(operation);
    }

    public Map<String, Long> counters() {
        return center.counters.snapshot();
    }

    public void resetCounters() {
        center.counters.reset();
    }

    // --- sessions ---

    /** Every refresh token becomes invalid (InvalidGrantException); access tokens are untouched. */
    public void revokeRefreshTokens() {
        center.tokens.revokeRefreshTokens();
    }

    /** Every access token issued so far stops working: portal calls with them get 401 UnauthorizedException. */
    public void expireAccessTokens() {
        center.tokens.expireAccessTokens();
    }

    // --- STS policy ---

    /** AssumeRole of this role ARN answers 403 AccessDenied. */
    public SsoEmulator denyAssumeRole(String roleArn) {
        center.assumeRolePolicy.deny(Objects.requireNonNull(roleArn, "roleArn"));
        return this;
    }

    /** AssumeRole of this role ARN needs exactly this ExternalId, else 403 AccessDenied. */
    public SsoEmulator requireExternalId(String roleArn, String externalId) {
        center.assumeRolePolicy.requireExternalId(Objects.requireNonNull(roleArn, "roleArn"),
                Objects.requireNonNull(externalId, "externalId"));
        return this;
    }

    public Faults faults() {
        return center.faults;
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.stop();
            server = null;
        }
    }

    /** Lifetimes and behaviour fixed before start. */
    public static final class Builder {
        private Duration accessTokenLifetime = Lifetimes.defaults().accessToken();
        private Duration refreshTokenLifetime = Lifetimes.defaults().refreshToken();
        private Duration registrationLifetime = Lifetimes.defaults().registration();
        private Duration deviceCodeLifetime = Lifetimes.defaults().deviceCode();
        private Duration pollInterval = Lifetimes.defaults().pollInterval();
        private Duration roleCredentialLifetime = Lifetimes.defaults().roleCredentials();
        private boolean autoApprove;
        private Clock clock = Clock.systemUTC();
        private int port;
        private String userName = "emulated.user@example.com";

        private Builder() {
        }

        /** CreateToken {@code expiresIn}; default 1 h. */
        public Builder accessTokenLifetime(Duration lifetime) {
            this.accessTokenLifetime = positive(lifetime, "accessTokenLifetime");
            return this;
        }

        /** How long a sign-in can be refreshed (rotation does not extend it); default 90 days. */
        public Builder refreshTokenLifetime(Duration lifetime) {
            this.refreshTokenLifetime = positive(lifetime, "refreshTokenLifetime");
            return this;
        }

        /** RegisterClient {@code clientSecretExpiresAt} (epoch seconds) = now + this; default 90 days. */
        public Builder registrationLifetime(Duration lifetime) {
            this.registrationLifetime = positive(lifetime, "registrationLifetime");
            return this;
        }

        /** StartDeviceAuthorization {@code expiresIn}; default 10 min. */
        public Builder deviceCodeLifetime(Duration lifetime) {
            this.deviceCodeLifetime = positive(lifetime, "deviceCodeLifetime");
            return this;
        }

        /** StartDeviceAuthorization {@code interval}; polling faster gets SlowDownException. Default 1 s. */
        public Builder pollInterval(Duration interval) {
            this.pollInterval = Objects.requireNonNull(interval, "pollInterval");
            if (interval.isNegative()) {
                throw new IllegalArgumentException("pollInterval must not be negative");
            }
            return this;
        }

        /** GetRoleCredentials {@code expiration} (epoch millis) = now + this; default 1 h. */
        public Builder roleCredentialLifetime(Duration lifetime) {
            this.roleCredentialLifetime = positive(lifetime, "roleCredentialLifetime");
            return this;
        }

        /** Default false: device codes are approved only by approve() or a GET of the verification URL. */
        public Builder autoApprove(boolean autoApprove) {
            this.autoApprove = autoApprove;
            return this;
        }

        /** The clock every lifetime is measured with; default the system UTC clock. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Default 0: an ephemeral port. Always binds 127.0.0.1. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0..65535");
            }
            this.port = port;
            return this;
        }

        /** The Identity Center user name, used as the role-session name of permission-set credentials. */
        public Builder userName(String userName) {
            this.userName = Objects.requireNonNull(userName, "userName");
            return this;
        }

        public SsoEmulator build() {
            return new SsoEmulator(this);
        }

        private Lifetimes lifetimes() {
            return new Lifetimes(accessTokenLifetime, refreshTokenLifetime, registrationLifetime,
                    deviceCodeLifetime, pollInterval, roleCredentialLifetime);
        }

        private static Duration positive(Duration d, String name) {
            Objects.requireNonNull(d, name);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive");
            }
            return d;
        }
    }
}
