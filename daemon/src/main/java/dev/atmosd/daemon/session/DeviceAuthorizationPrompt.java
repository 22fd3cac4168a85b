package dev.atmosd.daemon.session;

import java.time.Instant;

/** What a waiter shows while a device flow runs. Carries no secret: the user code is meant to be shown. */
public record DeviceAuthorizationPrompt(
    String provider,
    String sessionKey,
    String userCode,
    String verificationUri,
    String verificationUriComplete,
    Instant expiresAt,
    boolean openBrowser,
    int waiters) {}
