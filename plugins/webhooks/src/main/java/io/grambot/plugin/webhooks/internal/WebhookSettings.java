package io.grambot.plugin.webhooks.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An instance's settings, checked. The shared secret is not among them: it is read from the instance's secrets for
 * every request, so a secret changed in the console applies at once.
 *
 * @param path where the webhook is served on Grambot's HTTP server, such as {@code /hooks/orders}
 * @param signature how callers prove they know the secret
 * @param maxBodyBytes the largest request body the webhook takes
 * @param forwardHeaders the request headers passed on in the fired data, lower case; never a secret-carrying one
 * @param allowedHosts the hosts the {@code http_request} action may call
 * @param maxAttempts how many attempts an {@code http_request} invocation makes at most
 * @param timeout the most one attempt of {@code http_request} (or the connection test) may take
 * @param testUrl what the connection test asks with a {@code GET}, if anything
 */
record WebhookSettings(String path, Signature signature, int maxBodyBytes, List<String> forwardHeaders,
        AllowedHosts allowedHosts, int maxAttempts, Duration timeout, Optional<URI> testUrl) {

    static final String DEFAULT_PATH_PREFIX = "/hooks/";
    static final int DEFAULT_MAX_BODY_BYTES = 1 << 20;
    static final int MAX_MAX_BODY_BYTES = 64 << 20;
    static final String DEFAULT_FORWARD_HEADERS = "Content-Type, User-Agent, X-Request-Id, X-GitHub-Event, "
            + "X-GitHub-Delivery";
    static final int DEFAULT_MAX_ATTEMPTS = 3;
    static final int MAX_ATTEMPTS = 10;
    static final int DEFAULT_TIMEOUT_SECONDS = 30;
    static final int MAX_TIMEOUT_SECONDS = 600;

    /** Headers that carry credentials: never passed on, even when {@code forwardHeaders} names them. */
    static final Set<String> SECRET_HEADERS = Set.of("x-webhook-secret", "x-hub-signature-256", "x-hub-signature",
            "authorization", "proxy-authorization", "cookie", "x-api-key");

    /** Path segments of letters, digits, {@code .}, {@code _}, {@code ~} and {@code -}. */
    static final Pattern PATH = Pattern.compile("^(/[A-Za-z0-9._~-]+)+$");
    /** An HTTP header name (RFC 9110 token). */
    static final Pattern HEADER_NAME = Pattern.compile("^[!#$%&'*+.^_`|~0-9A-Za-z-]+$");

    /** How callers prove they know the shared secret. */
    enum Signature {
        /** The secret itself in {@code X-Webhook-Secret}. */
        HEADER("header"),
        /** GitHub's {@code X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the body>}. */
        HMAC_SHA256("hmac-sha256");

        private final String setting;

        Signature(String setting) {
            this.setting = setting;
        }

        String setting() {
            return setting;
        }

        static Signature of(String value) {
            String v = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
            for (Signature s : values()) {
                if (s.setting.equals(v.isEmpty() ? HEADER.setting : v)) {
                    return s;
                }
            }
            throw new IllegalArgumentException("setting 'signature' must be 'header' (the secret in X-Webhook-Secret) "
                    + "or 'hmac-sha256' (X-Hub-Signature-256, as GitHub signs), was '" + value + "'");
        }
    }

    WebhookSettings {
        if (!PATH.matcher(path).matches()) {
            throw new IllegalArgumentException("setting 'path' must be a path such as '/hooks/orders' (segments of "
                    + "letters, digits, '.', '_', '~' and '-'), was '" + path + "'");
        }
        if (maxBodyBytes < 1 || maxBodyBytes > MAX_MAX_BODY_BYTES) {
            throw new IllegalArgumentException("setting 'maxBodyBytes' must be from 1 to " + MAX_MAX_BODY_BYTES
                    + ", was " + maxBodyBytes);
        }
        forwardHeaders = List.copyOf(forwardHeaders);
        if (maxAttempts < 1 || maxAttempts > MAX_ATTEMPTS) {
            throw new IllegalArgumentException("setting 'maxAttempts' must be from 1 to " + MAX_ATTEMPTS + ", was "
                    + maxAttempts);
        }
        if (timeout.isNegative() || timeout.isZero() || timeout.toSeconds() > MAX_TIMEOUT_SECONDS) {
            throw new IllegalArgumentException("setting 'timeoutSeconds' must be from 1 to " + MAX_TIMEOUT_SECONDS
                    + ", was " + timeout.toSeconds());
        }
    }

    static WebhookSettings of(Webhooks.Config config, String instanceId) {
        return new WebhookSettings(path(config.path(), instanceId), Signature.of(config.signature()),
                config.maxBodyBytes(), headers(config.forwardHeaders()), AllowedHosts.parse(config.allowedHosts()),
                config.maxAttempts(), Duration.ofSeconds(config.timeoutSeconds()), testUrl(config.testUrl()));
    }

    /** The configured path without a final slash, or {@code /hooks/<instanceId>}. */
    static String path(String setting, String instanceId) {
        String path = setting == null ? "" : setting.strip();
        while (path.length() > 1 && path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        if (!path.isEmpty()) {
            return path;
        }
        String derived = DEFAULT_PATH_PREFIX + instanceId;
        if (!PATH.matcher(derived).matches()) {
            throw new IllegalArgumentException("the instance id '" + instanceId + "' cannot be a path segment: set "
                    + "the setting 'path', such as '/hooks/orders'");
        }
        return derived;
    }

    /** Header names from a comma list, lower case, without the ones that carry credentials. */
    static List<String> headers(String setting) {
        Set<String> names = new LinkedHashSet<>();
        if (setting != null) {
            for (String raw : setting.split("[,\\s]+")) {
                String name = raw.strip();
                if (name.isEmpty()) {
                    continue;
                }
                if (!HEADER_NAME.matcher(name).matches()) {
                    throw new IllegalArgumentException("setting 'forwardHeaders' takes header names separated by "
                            + "commas, such as 'Content-Type, X-GitHub-Event', found '" + name + "'");
                }
                String lower = name.toLowerCase(Locale.ROOT);
                if (!SECRET_HEADERS.contains(lower)) {
                    names.add(lower);
                }
            }
        }
        return new ArrayList<>(names);
    }

    static Optional<URI> testUrl(String setting) {
        String url = setting == null ? "" : setting.strip();
        if (url.isEmpty()) {
            return Optional.empty();
        }
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
                return Optional.of(uri);
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw new IllegalArgumentException("setting 'testUrl' must be empty or an http or https URL, such as "
                + "'https://api.example.org/health', was '" + setting + "'");
    }
}
