package io.grambot.core.internal.flow;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Bounded waiting for unit tests: a condition is polled until it holds or the time is up. */
final class Wait {

    static final Duration TIMEOUT = Duration.ofSeconds(10);

    private Wait() {}

    static void until(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + TIMEOUT.toSeconds() + " s waiting until " + what);
            }
            Thread.sleep(5); // polling interval of a bounded wait
        }
    }

    static void await(CountDownLatch latch, String what) throws InterruptedException {
        if (!latch.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("timed out after " + TIMEOUT.toSeconds() + " s waiting until " + what);
        }
    }
}
