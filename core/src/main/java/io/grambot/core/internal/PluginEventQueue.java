package io.grambot.core.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import io.grambot.api.PluginEvent;
import io.grambot.api.PluginEventHandler;
import io.grambot.api.PluginException;
import io.grambot.api.runtime.EventFailure;
import io.grambot.api.runtime.EventQueueMonitor;
import io.grambot.api.runtime.EventQueueStatus;
import io.grambot.core.internal.events.EventQueue;
import io.grambot.core.internal.events.EventQueueSettings;

/**
 * The plugin event queue: accepts events from instances and hands them, per instance in emission order, to the
 * {@link PluginEventHandler} whiteboard services registered for their type. Journaled to {@code <data>/events/} by
 * default, bounded, and a slow or failing handler never holds up the others (see {@link EventQueue}).
 *
 * <p>A configuration change is applied in place: the component, and so every instance context bound to it, stays.
 */
@Designate(ocd = PluginEventQueue.Config.class)
// immediate: events left in the journal are redelivered at start, whether or not anything emits
@Component(configurationPid = PluginEventQueue.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL, immediate = true,
        service = { PluginEventQueue.class, EventQueueMonitor.class })
public final class PluginEventQueue implements EventQueueMonitor {

    static final String PID = "grambot.events";

    @ObjectClassDefinition(name = "Grambot event queue",
            description = "How plugin events are kept until handled, how many may wait, and how long handlers get.")
    public @interface Config {

        @AttributeDefinition(name = "Mode", description = "JOURNAL keeps accepted events on disk in <data>/events"
                + " so they are delivered after a crash or restart; MEMORY keeps them in memory only. Switching"
                + " restarts the queue: events pending in memory are dropped, events left in the journal wait there"
                + " until journal mode is back.")
        EventQueueSettings.Mode mode() default EventQueueSettings.Mode.JOURNAL;

        @AttributeDefinition(name = "Capacity", min = "1",
                description = "How many events may be pending (accepted, not yet handled).")
        int capacity() default 10_000;

        @AttributeDefinition(name = "When full", description = "BLOCK makes emit wait up to the block timeout for"
                + " room, then refuse; REJECT refuses at once. A refused emit throws a retryable PluginException.")
        EventQueueSettings.Overflow overflow() default EventQueueSettings.Overflow.BLOCK;

        @AttributeDefinition(name = "Block timeout (ms)", min = "0",
                description = "How long emit waits for room when the queue is full and overflow is BLOCK.")
        long blockTimeoutMillis() default 5_000;

        @AttributeDefinition(name = "Handler timeout (ms)", min = "1", description = "How long one handler may take"
                + " with one event; after that it is recorded as timed out and the instance's events go on.")
        long handlerTimeoutMillis() default 30_000;

        @AttributeDefinition(name = "Completion timeout (ms)", min = "1", description = "How long an event accepted"
                + " by an asynchronous handler (handleAsync) may take to finish; after that it is recorded as timed"
                + " out and done, so one stuck piece of work cannot hold the instance's journal forever.")
        long completionTimeoutMillis() default 600_000;

        @AttributeDefinition(name = "Replay wait (ms)", min = "0", description = "After a restart, how long events"
                + " recovered from the journal wait for a handler to register before they are dropped as unhandled.")
        long replayWaitMillis() default 30_000;

        @AttributeDefinition(name = "Workers", min = "1",
                description = "Threads handling events; each instance's events are handled one at a time.")
        int workers() default 2;

        @AttributeDefinition(name = "Fsync interval (ms)", min = "0", description = "How often the journal is forced"
                + " to disk (against power loss); 0 forces on every emit. A process crash loses nothing either way.")
        long fsyncIntervalMillis() default 1_000;
    }

    private final Path journalDirectory;
    private final Logger log;
    /** Handler services by service id, to hand to a new queue when the mode changes; guarded by this. */
    private final Map<Long, Map.Entry<PluginEventHandler, Map<String, Object>>> handlers = new LinkedHashMap<>();
    /** Replaced (under this) only when the mode changes. */
    private volatile EventQueue queue;

    @Activate
    public PluginEventQueue(BundleContext context, Config config,
            @Reference(service = LoggerFactory.class) Logger log) throws IOException {
        this(settings(config), DataLayout.of(context).eventsDirectory(), log);
    }

    PluginEventQueue(EventQueueSettings settings, Path journalDirectory, Logger log) throws IOException {
        this.journalDirectory = journalDirectory;
        this.log = log;
        this.queue = new EventQueue(settings, journalDirectory, log, Clock.systemUTC());
    }

    @Modified
    void modified(Config config) throws IOException {
        EventQueueSettings next = settings(config);
        synchronized (this) {
            EventQueue current = queue;
            if (current.reconfigure(next)) {
                return;
            }
            log.warn("event queue mode changes from {} to {}", current.settings().mode(), next.mode());
            if (next.mode() == EventQueueSettings.Mode.JOURNAL) {
                // from memory: new events go to the journal at once, the old queue finishes what it accepted
                queue = open(next);
                finish(current);
            } else {
                // from the journal: it must be closed before another queue could open its directory again, so it
                // finishes first; what it cannot finish in time stays in the journal for journal mode's return
                finish(current);
                queue = open(next);
            }
        }
    }

    private EventQueue open(EventQueueSettings settings) throws IOException {
        EventQueue fresh = new EventQueue(settings, journalDirectory, log, Clock.systemUTC());
        handlers.values().forEach(h -> fresh.addHandler(h.getKey(), h.getValue()));
        return fresh;
    }

    /** Lets a queue being replaced deliver what it accepted (bounded by the handler timeout), then closes it. */
    private void finish(EventQueue old) {
        Duration bound = old.settings().handlerTimeout().compareTo(MAX_DRAIN) < 0 ? old.settings().handlerTimeout()
                : MAX_DRAIN;
        try {
            if (!old.drain(bound)) {
                log.warn("the replaced event queue still had events after {} ms; {}", bound.toMillis(),
                        old.settings().mode() == EventQueueSettings.Mode.JOURNAL
                                ? "they stay in the journal until journal mode is back" : "they are dropped");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        old.close();
    }

    static EventQueueSettings settings(Config config) {
        return new EventQueueSettings(config.mode(), config.capacity(), config.overflow(),
                Duration.ofMillis(config.blockTimeoutMillis()), Duration.ofMillis(config.handlerTimeoutMillis()),
                Duration.ofMillis(config.replayWaitMillis()), config.workers(),
                Duration.ofMillis(config.fsyncIntervalMillis()), EventQueueSettings.DEFAULT_SEGMENT_BYTES,
                Duration.ofMillis(config.completionTimeoutMillis()));
    }

    private static final Duration MAX_DRAIN = Duration.ofSeconds(10);

    @Deactivate
    void stop() {
        queue.close();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            unbind = "removeHandler", updated = "updatedHandler")
    synchronized void addHandler(PluginEventHandler handler, Map<String, Object> properties) {
        queue.addHandler(handler, properties);
        handlers.put(serviceId(properties), Map.entry(handler, properties));
    }

    synchronized void updatedHandler(PluginEventHandler handler, Map<String, Object> properties) {
        addHandler(handler, properties); // same service id: replaces the subscription
    }

    synchronized void removeHandler(ServiceReference<PluginEventHandler> reference, Map<String, Object> properties) {
        handlers.remove(serviceId(properties));
        // a bundle stopping is most often one being updated or refreshed: its next version's handlers come back
        Bundle bundle = reference.getBundle();
        queue.removeHandler(properties, bundle != null && bundle.getState() == Bundle.STOPPING);
    }

    @Override
    public synchronized boolean isBound(long handlerServiceId) {
        return handlers.containsKey(handlerServiceId); // put once the dispatcher has the subscription
    }

    private static Long serviceId(Map<String, Object> properties) {
        return properties.get("service.id") instanceof Number n ? n.longValue() : -1L;
    }

    /** Stamps and enqueues an event of an instance; see {@link EventQueue#emit}. Public for the trigger sinks. */
    public PluginEvent emit(String pluginId, String instanceId, String type, Map<String, Object> payload)
            throws PluginException {
        EventQueue current = queue;
        try {
            return current.emit(pluginId, instanceId, type, payload);
        } catch (PluginException e) {
            if (!current.isClosed()) {
                throw e;
            }
            EventQueue next;
            synchronized (this) { // waits for a mode change in progress
                next = queue;
            }
            if (next == current) {
                throw e; // deactivated
            }
            return next.emit(pluginId, instanceId, type, payload);
        }
    }

    @Override
    public EventQueueStatus status() {
        return queue.status();
    }

    @Override
    public List<PluginEvent> recentEvents() {
        return queue.recentEvents();
    }

    @Override
    public List<EventFailure> failures() {
        return queue.failures();
    }
}
