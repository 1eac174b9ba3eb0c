package io.grambot.core.internal.action;

import java.time.Duration;
import java.util.Optional;

import io.grambot.api.action.ActionRetry;

/** The wait between two attempts by an action's {@link ActionRetry}: exponential, capped, with jitter. */
final class Backoff {

    private Backoff() {}

    /**
     * The wait before the attempt after {@code failedAttempt}: {@code initialBackoff × multiplier^(failedAttempt-1)},
     * capped at {@code maxBackoff}, less {@code jitter × random} of it; or the wait the failure asked for
     * ({@code Retry-After}), capped at four times {@code maxBackoff}, without jitter (the service said when).
     *
     * @param random a number in [0, 1)
     */
    static Duration before(int failedAttempt, ActionRetry retry, Optional<Duration> retryAfter, double random) {
        if (retryAfter.isPresent()) {
            Duration asked = retryAfter.get().isNegative() ? Duration.ZERO : retryAfter.get();
            Duration cap = retry.maxBackoff().multipliedBy(4);
            return asked.compareTo(cap) > 0 ? cap : asked;
        }
        double grown = retry.initialBackoff().toNanos() * Math.pow(retry.multiplier(), failedAttempt - 1);
        long base = (long) Math.min(retry.maxBackoff().toNanos(), grown);
        return Duration.ofNanos(base - (long) (base * retry.jitter() * random));
    }

    /** The longest an invocation can take by its policy: every attempt timing out, every wait at its longest. */
    static Duration longest(ActionRetry retry, Duration timeout) {
        return timeout.multipliedBy(retry.maxAttempts())
                .plus(retry.maxBackoff().multipliedBy(4L * (retry.maxAttempts() - 1)));
    }
}
