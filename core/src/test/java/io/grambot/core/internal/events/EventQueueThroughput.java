package io.grambot.core.internal.events;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import io.grambot.api.PluginConstants;
import io.grambot.core.internal.events.EventQueueSettings.Mode;
import io.grambot.core.internal.events.EventQueueSettings.Overflow;

/**
 * Events per second through the queue, emit to handled, with a no-op handler: in memory and journaled, with one
 * producer and with four (each emitting for its own instance). A measurement, not a test: it asserts nothing and
 * runs only when asked for:
 *
 * <pre>
 * mvn -B -o -pl api,core test -Dtest=EventQueueThroughput -Dsurefire.failIfNoSpecifiedTests=false -Dbenchmark=true
 * </pre>
 *
 * Optional: {@code -Dbenchmark.memoryEvents=N}, {@code -Dbenchmark.journalEvents=N}, {@code -Dbenchmark.fsyncMillis=N}
 * (the journal's fsync interval, default 1000; 0 forces every event to disk before emit returns).
 */
class EventQueueThroughput {

    private static final Map<String, Object> PAYLOAD = Map.of("text", "hello there", "n", 42);

    @Test
    @EnabledIfSystemProperty(named = "benchmark", matches = "true")
    void measure() throws Exception {
        main(new String[0]);
    }

    public static void main(String[] args) throws Exception {
        int memoryEvents = Integer.getInteger("benchmark.memoryEvents", 4_000_000);
        int journalEvents = Integer.getInteger("benchmark.journalEvents", 1_000_000);
        long fsyncMillis = Long.getLong("benchmark.fsyncMillis", 1000);
        System.out.printf("event queue throughput (%d cores, Java %s), no-op handler, capacity 10000, 2 workers,"
                + " journal fsync interval %d ms%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), fsyncMillis);
        for (Mode mode : Mode.values()) {
            int events = mode == Mode.MEMORY ? memoryEvents : journalEvents;
            for (int producers : new int[] { 1, 4 }) {
                run(mode, producers, events / 4, fsyncMillis); // warm-up
                double best = 0;
                for (int round = 0; round < 3; round++) {
                    best = Math.max(best, run(mode, producers, events, fsyncMillis));
                }
                System.out.printf("  %-7s %d producer(s): %,12.0f events/s (best of 3 runs of %,d events)%n", mode,
                        producers, best, events);
            }
        }
    }

    private static double run(Mode mode, int producers, int events, long fsyncMillis) throws Exception {
        Path dir = Files.createTempDirectory("grambot-events-bench");
        EventQueueSettings settings = new EventQueueSettings(mode, 10_000, Overflow.BLOCK, Duration.ofMinutes(1),
                Duration.ofSeconds(30), Duration.ZERO, 2, Duration.ofMillis(fsyncMillis),
                EventQueueSettings.DEFAULT_SEGMENT_BYTES);
        EventQueue queue = new EventQueue(settings, dir, new TestLog().logger, Clock.systemUTC());
        try {
            queue.addHandler(event -> {}, Map.of("service.id", 1L, PluginConstants.EVENT_TYPE, "bench"));
            int perProducer = events / producers;
            CountDownLatch start = new CountDownLatch(1);
            Thread[] threads = new Thread[producers];
            for (int p = 0; p < producers; p++) {
                String instance = "bench-" + p;
                threads[p] = new Thread(() -> {
                    try {
                        start.await();
                        for (int i = 0; i < perProducer; i++) {
                            queue.emit("bench", instance, "bench", PAYLOAD);
                        }
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                threads[p].start();
            }
            long begin = System.nanoTime();
            start.countDown();
            for (Thread t : threads) {
                t.join();
            }
            long total = (long) perProducer * producers;
            while (queue.status().delivered() < total) {
                java.util.concurrent.locks.LockSupport.parkNanos(100_000);
            }
            return total / ((System.nanoTime() - begin) / 1e9);
        } finally {
            queue.close();
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            } catch (IOException e) {
                // a temp directory
            }
        }
    }
}
