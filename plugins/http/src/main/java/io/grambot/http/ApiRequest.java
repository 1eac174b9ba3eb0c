package io.grambot.http;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import io.grambot.api.Secret;

/**
 * One call to make: method, URL, headers, body, timeout, and the secret values it carries, which
 * {@link JsonHttpClient} masks in every log line and error. Immutable: each {@code with}-style method returns a copy.
 *
 * <pre>
 * ApiRequest.post(baseUri.resolve("chat/completions"), body).bearer(apiKey).timeout(Duration.ofSeconds(120))
 * </pre>
 */
public final class ApiRequest {

    /** Headers whose values are secret by their name alone, whichever method added them. */
    private static final Set<String> SECRET_HEADERS = Set.of("authorization", "proxy-authorization", "x-api-key",
            "api-key", "x-goog-api-key", "cookie", "x-telegram-bot-api-secret-token");

    /** A request header. */
    public record Header(String name, String value) {
        public Header {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
        }
    }

    private final String method;
    private final URI uri;
    private final List<Header> headers;
    private final Set<String> secrets;
    private final Object json;
    private final byte[] body;
    private final String contentType;
    private final Duration timeout;

    private ApiRequest(String method, URI uri, List<Header> headers, Set<String> secrets, Object json, byte[] body,
            String contentType, Duration timeout) {
        this.method = method;
        this.uri = uri;
        this.headers = headers;
        this.secrets = secrets;
        this.json = json;
        this.body = body;
        this.contentType = contentType;
        this.timeout = timeout;
    }

    /** A request without a body. */
    public static ApiRequest of(String method, URI uri) {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(uri, "uri");
        return new ApiRequest(method.toUpperCase(Locale.ROOT), uri, List.of(), Set.of(), null, null, null, null);
    }

    public static ApiRequest get(URI uri) {
        return of("GET", uri);
    }

    /** A POST with a JSON body (a Jackson tree or any value the client's mapper writes) or a {@link Multipart} form. */
    public static ApiRequest post(URI uri, Object json) {
        return of("POST", uri).json(json);
    }

    /** Adds a header; values of credential headers ({@code Authorization}, {@code x-api-key}, ...) count as secrets. */
    public ApiRequest header(String name, String value) {
        List<Header> more = new ArrayList<>(headers);
        more.add(new Header(name, value));
        Set<String> moreSecrets = secrets;
        if (SECRET_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
            moreSecrets = plus(secrets, value);
            int space = value.indexOf(' ');
            if (space > 0) { // "Bearer <token>": the token alone is the secret too
                moreSecrets = plus(moreSecrets, value.substring(space + 1).trim());
            }
        }
        return new ApiRequest(method, uri, List.copyOf(more), moreSecrets, json, body, contentType, timeout);
    }

    /** Adds a header whose value is secret, for example {@code x-api-key}. */
    public ApiRequest secretHeader(String name, Secret value) {
        return secret(value).header(name, value.reveal());
    }

    /** Adds {@code Authorization: Bearer <token>}. */
    public ApiRequest bearer(Secret token) {
        return secret(token).header("Authorization", "Bearer " + token.reveal());
    }

    /** Declares a secret the request carries elsewhere, for example a token in the URL's path or query. */
    public ApiRequest secret(Secret value) {
        return new ApiRequest(method, uri, headers, plus(secrets, value.reveal()), json, body, contentType, timeout);
    }

    /** Sets a JSON body, replacing any body; a {@link Multipart} value is sent as the form it is, not as JSON. */
    public ApiRequest json(Object value) {
        if (value instanceof Multipart form) {
            return multipart(form);
        }
        return new ApiRequest(method, uri, headers, secrets, Objects.requireNonNull(value, "json"), null, null,
                timeout);
    }

    /** Sets a {@code multipart/form-data} body, replacing any body. */
    public ApiRequest multipart(Multipart form) {
        return body(form.body(), form.contentType());
    }

    /** Sets a raw body with its content type (a multipart form, for example), replacing any body. */
    public ApiRequest body(byte[] bytes, String type) {
        return new ApiRequest(method, uri, headers, secrets, null, Objects.requireNonNull(bytes, "bytes").clone(),
                Objects.requireNonNull(type, "type"), timeout);
    }

    /**
     * Sets how long the call may take: for a whole answer, from sending to its last byte; for an event stream, until
     * the headers arrive and then between two pieces of data. Without it the client's default applies.
     */
    public ApiRequest timeout(Duration value) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, was " + value);
        }
        return new ApiRequest(method, uri, headers, secrets, json, body, contentType, value);
    }

    public String method() {
        return method;
    }

    public URI uri() {
        return uri;
    }

    public List<Header> headers() {
        return headers;
    }

    /** The first value of a header, compared without case. */
    public Optional<String> header(String name) {
        return headers.stream().filter(h -> h.name().equalsIgnoreCase(name)).map(Header::value).findFirst();
    }

    /** The JSON body value, if the request has one. */
    public Optional<Object> json() {
        return Optional.ofNullable(json);
    }

    /** The raw body, if the request has one. */
    public Optional<byte[]> body() {
        return Optional.ofNullable(body).map(byte[]::clone);
    }

    public Optional<String> contentType() {
        return Optional.ofNullable(contentType);
    }

    public Optional<Duration> timeout() {
        return Optional.ofNullable(timeout);
    }

    /** The secret values this request carries: what its log lines and errors mask. */
    public Set<String> secrets() {
        return secrets;
    }

    /** Method and URL, with secrets masked. */
    @Override
    public String toString() {
        return Redactor.of(secrets).redact(method + " " + uri);
    }

    private static Set<String> plus(Set<String> set, String value) {
        if (value == null || value.isEmpty() || set.contains(value)) {
            return set;
        }
        Set<String> more = new LinkedHashSet<>(set);
        more.add(value);
        return Set.copyOf(more);
    }
}
