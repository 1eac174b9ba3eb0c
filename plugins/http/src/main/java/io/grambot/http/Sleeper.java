package io.grambot.http;

import java.time.Duration;

/** Waits between attempts; replaceable so tests do not wait for real backoff time. */
@FunctionalInterface
public interface Sleeper {

    /** Waits the real time. */
    Sleeper REAL = duration -> {
        if (!duration.isNegative() && !duration.isZero()) {
            Thread.sleep(duration.toMillis(), duration.toNanosPart() % 1_000_000);
        }
    };

    void sleep(Duration duration) throws InterruptedException;
}
