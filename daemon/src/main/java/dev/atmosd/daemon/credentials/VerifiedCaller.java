package dev.atmosd.daemon.credentials;

import java.time.Instant;

/** Who STS GetCallerIdentity says an identity's credentials belong to. Carries no secret. */
public record VerifiedCaller(
    String identity,
    String account,
    String arn,
    String userId,
    Instant credentialsExpireAt,
    String region,
    String provider) {}
