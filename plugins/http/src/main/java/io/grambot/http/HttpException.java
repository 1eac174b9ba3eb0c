package io.grambot.http;

import java.time.Duration;
import java.util.Optional;

import io.grambot.api.PluginException;

/**
 * A failed call to a remote service: its message names the request and says what happened (never a secret); the
 * service's own error, when its answer carried one, is also kept apart for plugins that act on its code.
 */
public final class HttpException extends PluginException {

    private static final long serialVersionUID = 1L;

    private final String providerMessage;
    private final String providerCode;

    public HttpException(String message, int status, boolean retryable, Duration retryAfter, Throwable cause,
            ProviderError providerError) {
        super(message, status, retryable, retryAfter, cause);
        this.providerMessage = providerError == null ? null : providerError.message();
        this.providerCode = providerError == null ? null : providerError.code();
    }

    /** The service's own error message (redacted), if its answer carried one. */
    public Optional<String> providerMessage() {
        return Optional.ofNullable(providerMessage);
    }

    /** The service's error type or code, for example {@code invalid_api_key}, if its answer carried one. */
    public Optional<String> providerCode() {
        return Optional.ofNullable(providerCode);
    }
}
