package io.grambot.core.internal.events;

import java.time.Duration;
import java.util.Objects;

/**
 * How the event queue runs; see {@code PluginEventQueue.Config} for the meaning of each value.
 *
 * @param segmentBytes the size at which the journal starts a new segment file
 * @param completionTimeout how long the stage an asynchronous handler returned may take to complete
 */
public record EventQueueSettings(Mode mode, int capacity, Overflow overflow, Duration blockTimeout,
        Duration handlerTimeout, Duration replayWait, int workers, Duration fsyncInterval, long segmentBytes,
        Duration completionTimeout) {

    /** Where accepted events are kept until handled. */
    public enum Mode {
        /** In an append-only journal on disk: accepted events survive a crash and are delivered after restart. */
        JOURNAL,
        /** In memory only: pending events are lost when the framework stops. */
        MEMORY
    }

    /** What emit does when the queue holds {@code capacity} pending events. */
    public enum Overflow {
        /** Waits up to the block timeout for room, then refuses the event. */
        BLOCK,
        /** Refuses the event at once. */
        REJECT
    }

    public static final long DEFAULT_SEGMENT_BYTES = 8L << 20;
    public static final Duration DEFAULT_COMPLETION_TIMEOUT = Duration.ofMinutes(10);

    public EventQueueSettings {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(overflow, "overflow");
        require(capacity >= 1, "capacity must be at least 1, was " + capacity);
        require(workers >= 1, "workers must be at least 1, was " + workers);
        require(segmentBytes >= 1024, "segmentBytes must be at least 1024, was " + segmentBytes);
        require(!blockTimeout.isNegative(), "blockTimeout must not be negative, was " + blockTimeout);
        require(handlerTimeout.toMillis() >= 1, "handlerTimeout must be at least 1 ms, was " + handlerTimeout);
        require(!replayWait.isNegative(), "replayWait must not be negative, was " + replayWait);
        require(!fsyncInterval.isNegative(), "fsyncInterval must not be negative, was " + fsyncInterval);
        require(completionTimeout.toMillis() >= 1, "completionTimeout must be at least 1 ms, was "
                + completionTimeout);
    }

    /** Settings with the default completion timeout. */
    public EventQueueSettings(Mode mode, int capacity, Overflow overflow, Duration blockTimeout,
            Duration handlerTimeout, Duration replayWait, int workers, Duration fsyncInterval, long segmentBytes) {
        this(mode, capacity, overflow, blockTimeout, handlerTimeout, replayWait, workers, fsyncInterval, segmentBytes,
                DEFAULT_COMPLETION_TIMEOUT);
    }

    /** The defaults of the {@code grambot.events} configuration. */
    public static EventQueueSettings defaults() {
        return new EventQueueSettings(Mode.JOURNAL, 10_000, Overflow.BLOCK, Duration.ofSeconds(5),
                Duration.ofSeconds(30), Duration.ofSeconds(30), 2, Duration.ofSeconds(1), DEFAULT_SEGMENT_BYTES);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException("grambot.events: " + message);
        }
    }
}
