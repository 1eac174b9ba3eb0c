package io.grambot.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;

import io.grambot.api.PluginException;

/** The one acceptable end of a hostile case: a result, or a PluginException that says what was wrong. */
public final class Outcome {

    /** Cases run in this JVM, for the summary line a test class prints. */
    public static final AtomicLong CASES = new AtomicLong();
    private static final AtomicLong RESULTS = new AtomicLong();
    private static final AtomicLong ERRORS = new AtomicLong();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("fuzz: " + CASES.get()
                + " hostile cases, " + RESULTS.get() + " ended in a result, " + ERRORS.get()
                + " in a PluginException")));
    }

    private Outcome() {}

    /** Calls, and fails on any exception but a PluginException with a message, or when it takes over 30 s. */
    public static <T> void endsClearly(Callable<T> call) {
        CASES.incrementAndGet();
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            try {
                T result = call.call();
                assertThat(result).as("a call's result").isNotNull();
                RESULTS.incrementAndGet();
            } catch (PluginException e) {
                assertThat(e.getMessage()).as("the message of " + e).isNotBlank();
                ERRORS.incrementAndGet();
            }
        });
    }
}
