package io.grambot.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.grambot.api.PluginEvent;

/**
 * The physical limits the event queue is measured against: a bare {@link ArrayBlockingQueue} of the same capacity
 * handing events to one consumer thread (the queue's best case: no journal, no per-instance order, no accounting),
 * and for the journal a raw {@link FileChannel} append of the same event as JSON, forced to disk once a second as
 * the journal is, with the same per-append lock.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class QueueBaselineBench {

    private final ArrayBlockingQueue<PluginEvent> queue = new ArrayBlockingQueue<>(10_000);
    private final AtomicLong consumed = new AtomicLong();
    private final AtomicLong produced = new AtomicLong();
    private Thread consumer;

    private final ObjectMapper mapper = new ObjectMapper();
    private final Object appendLock = new Object();
    private Path file;
    private FileChannel channel;
    private Thread forcer;

    @Setup(Level.Trial)
    public void start() throws IOException {
        consumer = new Thread(() -> {
            try {
                while (true) {
                    queue.take();
                    consumed.incrementAndGet();
                }
            } catch (InterruptedException stop) {
                // end of trial
            }
        }, "bench-consumer");
        consumer.setDaemon(true);
        consumer.start();
        file = Files.createTempFile("grambot-bench-append", ".log");
        channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        forcer = new Thread(() -> {
            try {
                while (true) {
                    Thread.sleep(1000); // the journal's default fsync interval
                    channel.force(false);
                }
            } catch (InterruptedException | IOException stop) {
                // end of trial
            }
        }, "bench-forcer");
        forcer.setDaemon(true);
        forcer.start();
    }

    private static PluginEvent event() {
        return new PluginEvent(UUID.randomUUID().toString(), "bench", "bench-0", "bench", EventQueueBench.PAYLOAD,
                Instant.now());
    }

    @Benchmark
    @Threads(1)
    public void handOff1() throws InterruptedException {
        produced.incrementAndGet();
        queue.put(event());
    }

    @Benchmark
    @Threads(4)
    public void handOff4() throws InterruptedException {
        produced.incrementAndGet();
        queue.put(event());
    }

    @Benchmark
    @Threads(1)
    public void append1() throws IOException {
        append();
    }

    @Benchmark
    @Threads(4)
    public void append4() throws IOException {
        append();
    }

    private void append() throws IOException {
        PluginEvent event = event();
        ByteBuffer bytes = ByteBuffer.wrap(mapper.writeValueAsBytes(Map.of("id", event.id(), "pluginId",
                event.pluginId(), "instanceId", event.instanceId(), "type", event.type(), "createdAt",
                event.createdAt().toEpochMilli(), "payload", event.payload())));
        synchronized (appendLock) {
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
        }
    }

    @TearDown(Level.Iteration)
    public void delivered() {
        while (consumed.get() < produced.get()) {
            Thread.onSpinWait();
        }
    }

    @TearDown(Level.Trial)
    public void stop() throws IOException {
        consumer.interrupt();
        forcer.interrupt();
        channel.close();
        Files.deleteIfExists(file);
    }
}
