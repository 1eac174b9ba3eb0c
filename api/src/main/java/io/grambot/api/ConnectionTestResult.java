package io.grambot.api;

import java.util.Objects;

/**
 * The outcome of a {@link ConnectionTest}.
 *
 * @param ok whether the service answered and accepted the credentials
 * @param message what was checked, or why it failed; never contains a secret
 */
public record ConnectionTestResult(boolean ok, String message) {

    public ConnectionTestResult {
        Objects.requireNonNull(message, "message");
    }

    public static ConnectionTestResult ok(String message) {
        return new ConnectionTestResult(true, message);
    }

    public static ConnectionTestResult failed(String reason) {
        return new ConnectionTestResult(false, reason);
    }
}
