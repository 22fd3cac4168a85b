package dev.atmosd.emulator;

/** The wire dialect a request speaks; it decides how its errors are rendered. */
enum Protocol {
    /** SSO OIDC, rest-json; errors carry OAuth-style {@code error}/{@code error_description}. */
    OIDC,
    /** SSO portal, rest-json; errors carry {@code message}. */
    PORTAL,
    /** STS, query protocol; errors are XML {@code ErrorResponse} documents. */
    STS,
    /** Browser-facing pages (device verification); errors are small HTML pages. */
    PAGE,
    /** The emulator's own control API under {@code /_emulator/}; errors are JSON. */
    CONTROL
}
