package io.grambot.api.action;

import java.time.Duration;
import java.util.Objects;

/**
 * An action's retry policy: up to {@code maxAttempts} attempts; the wait before attempt <i>n</i>+1 is
 * {@code initialBackoff × multiplier^(n-1)}, capped at {@code maxBackoff}, with up to {@code jitter} of it taken off
 * at random; a {@code Retry-After} the failure carries replaces the computed wait (but not beyond {@code maxBackoff}
 * ×&nbsp;4). Only failures that say they are retryable are repeated; a timed-out attempt counts as retryable when
 * {@code retryTimeouts} is set.
 */
public record ActionRetry(int maxAttempts, Duration initialBackoff, double multiplier, Duration maxBackoff,
        double jitter, boolean retryTimeouts) {

    /** One attempt. */
    public static final ActionRetry NONE = new ActionRetry(1, Duration.ZERO, 1, Duration.ZERO, 0, false);

    public ActionRetry {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
        }
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        if (initialBackoff.isNegative() || maxBackoff.isNegative() || multiplier < 1 || jitter < 0 || jitter > 1) {
            throw new IllegalArgumentException("backoffs must not be negative, multiplier at least 1, jitter 0..1");
        }
    }

    /** {@code maxAttempts} attempts, waiting 1 s, 2 s, 4 s … up to 30 s between them, with 20 % jitter. */
    public static ActionRetry exponential(int maxAttempts) {
        return new ActionRetry(maxAttempts, Duration.ofSeconds(1), 2, Duration.ofSeconds(30), 0.2, true);
    }
}
