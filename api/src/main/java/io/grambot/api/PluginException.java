package io.grambot.api;

import java.time.Duration;
import java.util.Optional;

/**
 * A failure a plugin reports: what went wrong in words a user can act on, whether trying again may help,
 * and, for remote services, the HTTP status and the wait the service asked for.
 */
public class PluginException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final boolean retryable;
    private final Duration retryAfter;

    public PluginException(String message) {
        this(message, 0, false, null, null);
    }

    public PluginException(String message, Throwable cause) {
        this(message, 0, false, null, cause);
    }

    /**
     * @param message what went wrong, never containing a secret
     * @param status the remote HTTP status, or 0 when there was none
     * @param retryable whether the same call may succeed later
     * @param retryAfter the wait the remote service asked for, or {@code null}
     * @param cause the underlying failure, or {@code null}
     */
    public PluginException(String message, int status, boolean retryable, Duration retryAfter, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.retryable = retryable;
        this.retryAfter = retryAfter;
    }

    /** The remote HTTP status, or 0 when the failure did not come from an HTTP answer. */
    public int status() {
        return status;
    }

    public boolean retryable() {
        return retryable;
    }

    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
