package io.grambot.http;

import java.time.Duration;
import java.util.Objects;

/**
 * When and how long to wait before trying a failed call again: exponential backoff with full jitter (a random wait
 * between zero and {@code min(maxDelay, baseDelay * 2^(failures - 1))}), unless the service said how long to wait.
 *
 * @param maxAttempts how many times a call is made at most, including the first (1 means no retries)
 * @param baseDelay the backoff ceiling after the first failure
 * @param maxDelay the largest backoff ceiling
 * @param maxRetryAfter the longest wait a service may ask for ({@code Retry-After}) that is still honoured by waiting;
 *        a longer one ends the call with a retryable failure that carries the requested wait
 */
public record RetryPolicy(int maxAttempts, Duration baseDelay, Duration maxDelay, Duration maxRetryAfter) {

    /** Four attempts, backoff from 0.5 s up to 8 s, service-requested waits of up to a minute. */
    public static final RetryPolicy DEFAULT = new RetryPolicy(4, Duration.ofMillis(500), Duration.ofSeconds(8),
            Duration.ofSeconds(60));

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1 (no retries), was " + maxAttempts);
        }
        Objects.requireNonNull(baseDelay, "baseDelay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        Objects.requireNonNull(maxRetryAfter, "maxRetryAfter");
        if (baseDelay.isNegative() || maxDelay.compareTo(baseDelay) < 0 || maxRetryAfter.isNegative()) {
            throw new IllegalArgumentException("expected 0 <= baseDelay <= maxDelay and maxRetryAfter >= 0, was "
                    + baseDelay + ", " + maxDelay + ", " + maxRetryAfter);
        }
    }

    /** The default policy with this many retries after the first attempt. */
    public static RetryPolicy retries(int retries) {
        if (retries < 0) {
            throw new IllegalArgumentException("retries must be 0 or more, was " + retries);
        }
        return DEFAULT.withMaxAttempts(retries + 1);
    }

    public RetryPolicy withMaxAttempts(int attempts) {
        return new RetryPolicy(attempts, baseDelay, maxDelay, maxRetryAfter);
    }

    /**
     * The wait after {@code failures} failed attempts, with full jitter.
     *
     * @param failures how many attempts failed so far, at least 1
     * @param random a uniformly distributed value in {@code [0, 1)}
     */
    public Duration backoff(int failures, double random) {
        if (failures < 1) {
            throw new IllegalArgumentException("failures must be at least 1, was " + failures);
        }
        return Duration.ofNanos((long) (ceiling(failures).toNanos() * Math.min(Math.max(random, 0), 1)));
    }

    /** The largest backoff after {@code failures} failed attempts. */
    public Duration ceiling(int failures) {
        int doublings = Math.min(failures - 1, 30); // beyond 2^30 the cap has long been reached
        long nanos = baseDelay.toNanos();
        for (int i = 0; i < doublings && nanos < maxDelay.toNanos(); i++) {
            nanos *= 2;
        }
        return Duration.ofNanos(Math.min(nanos, maxDelay.toNanos()));
    }

    /** Whether an answer with this HTTP status may succeed when sent again: 408, 429 and every 5xx. */
    public static boolean retryableStatus(int status) {
        return status == 408 || status == 429 || status >= 500 && status <= 599;
    }
}
