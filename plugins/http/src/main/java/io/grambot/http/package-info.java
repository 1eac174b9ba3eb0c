/**
 * JSON over HTTP for plugins that call remote services: per-request timeouts, retries with backoff and jitter,
 * multipart/form-data uploads ({@link io.grambot.http.Multipart}),
 * server-sent events, secret redaction, and errors that carry the service's own message and HTTP status.
 *
 * <p>Not exported and not a bundle of its own: each plugin copies this package privately into its bundle with
 * {@code -conditionalpackage: io.grambot.http.*}, so plugin jars stay drop-in and independent of each other.
 */
package io.grambot.http;
