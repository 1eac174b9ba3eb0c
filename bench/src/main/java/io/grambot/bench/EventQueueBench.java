package io.grambot.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import io.grambot.api.PluginConstants;
import io.grambot.api.PluginException;
import io.grambot.core.internal.events.EventQueue;
import io.grambot.core.internal.events.EventQueueSettings;
import io.grambot.core.internal.events.EventQueueSettings.Overflow;

/**
 * The event queue, emit → handler delivered, with a no-op handler: in memory and journaled (fsync every second),
 * with 1 and 4 producers, each emitting for its own instance. The queue holds 10,000 events and blocks producers when
 * full, so in a steady state events are emitted as fast as they are delivered; each iteration ends by waiting until
 * all were delivered, and the trial fails if one was lost. Baselines: {@link QueueBaselineBench}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class EventQueueBench {

    static final Map<String, Object> PAYLOAD = Map.of("text", "hello there", "n", 42);

    @Param({ "MEMORY", "JOURNAL" })
    public EventQueueSettings.Mode mode;

    private Path dir;
    private EventQueue queue;

    @Setup(Level.Trial)
    public void start() throws IOException {
        dir = Files.createTempDirectory("grambot-bench-events");
        EventQueueSettings settings = new EventQueueSettings(mode, 10_000, Overflow.BLOCK, Duration.ofMinutes(1),
                Duration.ofSeconds(30), Duration.ZERO, 2, Duration.ofSeconds(1), EventQueueSettings.DEFAULT_SEGMENT_BYTES);
        queue = new EventQueue(settings, dir, Quiet.logger(), Clock.systemUTC());
        queue.addHandler(event -> {}, Map.of("service.id", 1L, PluginConstants.EVENT_TYPE, "bench"));
    }

    /** Each producer thread emits for an instance of its own, as connectors do. */
    @State(Scope.Thread)
    public static class Producer {
        private static final AtomicInteger NEXT = new AtomicInteger();
        final String instance = "bench-" + NEXT.getAndIncrement();
    }

    @Benchmark
    @Threads(1)
    public Object grambot1(Producer producer) throws PluginException {
        return queue.emit("bench", producer.instance, "bench", PAYLOAD);
    }

    @Benchmark
    @Threads(4)
    public Object grambot4(Producer producer) throws PluginException {
        return queue.emit("bench", producer.instance, "bench", PAYLOAD);
    }

    /** What was emitted in the iteration is delivered before the next starts: the figure counts deliveries. */
    @TearDown(Level.Iteration)
    public void delivered() throws InterruptedException {
        if (!queue.drain(Duration.ofMinutes(1))) {
            throw new IllegalStateException("the queue did not drain within a minute: " + queue.status());
        }
    }

    @TearDown(Level.Trial)
    public void stop() throws IOException {
        var status = queue.status();
        queue.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
        if (status.delivered() != status.accepted() || !queue.failures().isEmpty()) {
            throw new IllegalStateException("events were lost: " + status);
        }
        System.out.println("\nnothing lost: " + status.accepted() + " events accepted, " + status.delivered()
                + " delivered");
    }
}
