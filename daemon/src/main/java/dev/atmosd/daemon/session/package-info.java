/**
 * The session engine: one {@link dev.atmosd.daemon.session.SessionRegistry} owns every IAM Identity Center portal
 * session of the user, for every client of the daemon.
 *
 * <ul>
 *   <li>{@code SessionRegistry} — the token pipeline and refresh timers behind {@code PortalSessions}.</li>
 *   <li>{@code PortalSession} — what is known about one portal (start URL + region), shared by all its providers.</li>
 *   <li>{@code SignInAttempt} — the single flight: the one attempt per portal every caller joins, its waiters and
 *       which of them opens the browser.</li>
 *   <li>{@code DeviceAuthorizationFlow} — RFC 8628 against SSO OIDC: register (or reuse), start, poll.</li>
 *   <li>{@code RefreshTokenExchange} — CreateToken with the refresh-token grant, keeping the rotated token.</li>
 *   <li>{@code RefreshSchedule} — when a token is stale for callers and when the timer renews it.</li>
 *   <li>{@code TokenCacheFile} — the AWS-SDK-compatible cache file, written atomically and owner-only.</li>
 *   <li>{@code OidcFailures} — what a failed OIDC call means for the user, in one line and a gRPC status.</li>
 * </ul>
 */
package dev.atmosd.daemon.session;
