package io.grambot.core.internal.events;

import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import org.osgi.service.log.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.grambot.api.PluginEvent;
import io.grambot.api.PluginEventHandler;
import io.grambot.api.PluginException;
import io.grambot.api.runtime.EventFailure;
import io.grambot.api.runtime.EventQueueStatus;
import io.grambot.core.internal.events.EventQueueSettings.Mode;
import io.grambot.core.internal.events.EventQueueSettings.Overflow;
import io.grambot.core.internal.events.HandlerIndex.Subscription;

/**
 * The plugin event queue without its OSGi wiring: stamps and accepts events (journaled or in memory, within a
 * capacity), and dispatches them to the registered handlers per instance, in order (see {@link Dispatcher}).
 */
public final class EventQueue implements AutoCloseable {

    private volatile EventQueueSettings settings;
    private final Logger log;
    private final Clock clock;
    private final EventJournal journal;
    private final Capacity capacity;
    private final Dispatcher dispatcher;
    private final String idPrefix;
    private final AtomicLong sequence = new AtomicLong();
    private final Ring<PluginEvent> recent = new Ring<>(100);
    private final LongAdder accepted = new LongAdder();
    private final LongAdder rejected = new LongAdder();
    private final long replayed;
    private volatile boolean closed;

    /**
     * Opens the queue; in journal mode, recovers the events left unhandled in {@code journalDirectory} and starts
     * delivering them (waiting up to the replay wait for their handlers).
     */
    public EventQueue(EventQueueSettings settings, Path journalDirectory, Logger log, Clock clock)
            throws IOException {
        this.settings = settings;
        this.log = log;
        this.clock = clock;
        this.capacity = new Capacity(settings.capacity());
        // unique across restarts without a UUID per event: a random prefix per start, then a counter
        this.idPrefix = String.format("%016x-", new SecureRandom().nextLong());
        this.journal = settings.mode() == Mode.JOURNAL
                ? new EventJournal(journalDirectory, settings, new ObjectMapper(), log) : null;
        this.dispatcher = new Dispatcher(settings.workers(), settings.handlerTimeout(), settings.completionTimeout(),
                settings.replayWait(), log, clock, this::done);
        List<QueuedEvent> recovered = journal != null ? journal.recovered() : List.of();
        for (QueuedEvent event : recovered) {
            capacity.force();
            dispatcher.lane(event.event().instanceId()).offer(event);
        }
        recovered.stream().map(e -> e.event().instanceId()).distinct()
                .forEach(instance -> dispatcher.lane(instance).schedule());
        this.replayed = recovered.size();
    }

    /**
     * Stamps an event and accepts it. When this returns in journal mode the event is on its way to the disk (with
     * the operating system) and will be delivered, after a restart if need be.
     *
     * @throws PluginException if the type is missing, the queue is full (retryable), the payload cannot be
     *         journaled, or the queue is stopped (retryable)
     */
    public PluginEvent emit(String pluginId, String instanceId, String type, Map<String, Object> payload)
            throws PluginException {
        if (type == null || type.isBlank()) {
            throw new PluginException("instance '" + instanceId + "' emitted an event without a type");
        }
        if (closed) {
            throw stopped(instanceId, type);
        }
        acquire(instanceId, type);
        PluginEvent event;
        try {
            event = new PluginEvent(idPrefix + Long.toHexString(sequence.incrementAndGet()), pluginId, instanceId,
                    type, copy(payload), Instant.ofEpochMilli(clock.millis()));
        } catch (RuntimeException e) {
            capacity.release();
            throw e;
        }
        Dispatcher.Lane lane = dispatcher.lane(instanceId);
        if (journal == null) {
            lane.offer(QueuedEvent.inMemory(event));
        } else {
            journal(event, lane);
        }
        accepted.increment();
        recent.add(event);
        lane.schedule();
        return event;
    }

    /**
     * Applies new settings without stopping: everything but the mode can change while running.
     *
     * @return {@code false} if the mode differs, which takes a new queue
     */
    public boolean reconfigure(EventQueueSettings next) {
        if (next.mode() != settings.mode()) {
            return false;
        }
        settings = next;
        capacity.limit(next.capacity());
        dispatcher.reconfigure(next.workers(), next.handlerTimeout(), next.completionTimeout(), next.replayWait());
        if (journal != null) {
            journal.reconfigure(next);
        }
        return true;
    }

    public EventQueueSettings settings() {
        return settings;
    }

    /** Whether {@link #close} was called: emit refuses every event. */
    public boolean isClosed() {
        return closed;
    }

    private void acquire(String instanceId, String type) throws PluginException {
        EventQueueSettings settings = this.settings;
        boolean acquired;
        try {
            acquired = settings.overflow() == Overflow.REJECT ? capacity.tryAcquire()
                    : capacity.acquire(settings.blockTimeout().toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            acquired = false;
        }
        if (!acquired) {
            rejected.increment();
            String waited = settings.overflow() == Overflow.BLOCK ? " after waiting " + settings.blockTimeout().toMillis()
                    + " ms for room" : "";
            throw new PluginException("the plugin event queue is full (capacity " + capacity.limit()
                    + " pending events): event '" + type + "' of instance '" + instanceId + "' was refused" + waited
                    + "; try again later", 0, true, null, null);
        }
    }

    private void journal(PluginEvent event, Dispatcher.Lane lane) throws PluginException {
        EventJournal.Frame frame;
        try {
            frame = journal.encode(event);
        } catch (IOException | RuntimeException e) {
            capacity.release();
            throw new PluginException("event '" + event.type() + "' of instance '" + event.instanceId()
                    + "' cannot be journaled: its payload must be JSON-like data (maps, lists, strings, numbers,"
                    + " booleans, null): " + e.getMessage(), e);
        }
        try {
            journal.append(event, frame, lane::offer);
        } catch (IOException e) {
            capacity.release();
            if (closed) {
                throw stopped(event.instanceId(), event.type());
            }
            throw new PluginException("event '" + event.type() + "' of instance '" + event.instanceId()
                    + "' could not be written to the event journal in " + journal.directory() + ": " + e, 0, true,
                    null, e);
        }
    }

    private static PluginException stopped(String instanceId, String type) {
        return new PluginException("the plugin event queue is stopped: event '" + type + "' of instance '"
                + instanceId + "' was not accepted", 0, true, null, null);
    }

    // the emitter may change its map afterwards; handlers must see what was emitted
    private static Map<String, Object> copy(Map<String, Object> payload) {
        return payload == null || payload.isEmpty() ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(payload));
    }

    private void done(QueuedEvent event, QueuedEvent acknowledged) {
        if (journal != null) {
            journal.finished(event);
            if (acknowledged != null) {
                journal.acknowledge(acknowledged);
            }
        }
        capacity.release();
    }

    /** Registers a handler service; {@code properties} are its service properties. */
    public void addHandler(PluginEventHandler handler, Map<String, ?> properties) {
        dispatcher.addHandler(Subscription.of(handler, properties));
    }

    /**
     * Unregisters a handler service.
     *
     * @param comingBack whether its bundle is stopping, as one being updated does: events of the types nobody else
     *        handles wait up to the replay wait for the next version's handler instead of being dropped
     */
    public void removeHandler(Map<String, ?> properties, boolean comingBack) {
        if (properties.get("service.id") instanceof Number id) {
            dispatcher.removeHandler(id.longValue(), comingBack);
        }
    }

    public EventQueueStatus status() {
        return new EventQueueStatus(journal != null, capacity.used(), capacity.limit(), accepted.sum(), replayed,
                dispatcher.delivered.sum(), dispatcher.unhandled.sum(), rejected.sum(), dispatcher.failed.sum(),
                dispatcher.timedOut.sum(), dispatcher.stuckCalls(), dispatcher.handlers(), dispatcher.inFlight.sum());
    }

    public List<PluginEvent> recentEvents() {
        return recent.snapshot();
    }

    public List<EventFailure> failures() {
        return dispatcher.failures();
    }

    /**
     * Waits until every accepted event has been handled, at most {@code timeout}; for a mode change, which hands
     * new events to another queue while this one finishes what it accepted.
     *
     * @return whether nothing is pending any more
     */
    public boolean drain(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (capacity.used() > 0) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(5); // a bounded wait for the workers, once per mode change
        }
        return true;
    }

    /**
     * Stops accepting and delivering events; waits a little for handler calls in progress. In journal mode the
     * undelivered events stay in the journal for the next start.
     */
    @Override
    public void close() {
        closed = true;
        EventQueueSettings settings = this.settings;
        Duration grace = settings.handlerTimeout().compareTo(Duration.ofSeconds(2)) < 0 ? settings.handlerTimeout()
                : Duration.ofSeconds(2);
        int left = dispatcher.stop(grace);
        if (journal != null) {
            journal.close();
        }
        if (left > 0) {
            log.info(journal != null ? "event queue stopped with {} events not yet handled; they stay in the journal"
                    + " and are delivered after the next start" : "event queue (in memory) stopped with {} events not"
                    + " yet handled; they are dropped", left);
        }
    }
}
