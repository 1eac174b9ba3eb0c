package io.grambot.core.internal;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

import io.grambot.api.PluginConstants;
import io.grambot.api.PluginEvent;
import io.grambot.api.PluginEventHandler;
import io.grambot.api.PluginException;

/**
 * The plugin event queue: accepts events from instances and hands them, in emission order, to the
 * {@link PluginEventHandler} whiteboard services registered for their type. Bounded: a full queue refuses an event
 * with a clear error instead of growing without limit.
 */
@Component(service = PluginEventQueue.class)
public final class PluginEventQueue {

    static final int CAPACITY = 10_000;

    private final Logger log;
    private final Clock clock;
    private final BlockingQueue<PluginEvent> queue = new ArrayBlockingQueue<>(CAPACITY);
    private final List<Subscription> handlers = new CopyOnWriteArrayList<>();
    private final Thread dispatcher;

    @Activate
    public PluginEventQueue(@Reference(service = LoggerFactory.class) Logger log) {
        this(log, Clock.systemUTC());
    }

    PluginEventQueue(Logger log, Clock clock) {
        this.log = log;
        this.clock = clock;
        this.dispatcher = new Thread(this::dispatch, "grambot-events");
        this.dispatcher.setDaemon(true);
        this.dispatcher.start();
    }

    @Deactivate
    void stop() throws InterruptedException {
        dispatcher.interrupt();
        dispatcher.join(5_000);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addHandler(PluginEventHandler handler, Map<String, Object> properties) {
        handlers.add(new Subscription(handler, types(properties.get(PluginConstants.EVENT_TYPE))));
    }

    void removeHandler(PluginEventHandler handler) {
        handlers.removeIf(s -> s.handler() == handler);
    }

    /** Stamps and enqueues an event; refuses it when the queue is full. */
    PluginEvent emit(String pluginId, String instanceId, String type, Map<String, Object> payload)
            throws PluginException {
        if (type == null || type.isBlank()) {
            throw new PluginException("instance '" + instanceId + "' emitted an event without a type");
        }
        PluginEvent event = new PluginEvent(UUID.randomUUID().toString(), pluginId, instanceId, type, payload,
                clock.instant());
        if (!queue.offer(event)) {
            throw new PluginException("the plugin event queue is full (" + CAPACITY + " events): event '" + type
                    + "' of instance '" + instanceId + "' was not accepted", 0, true, null, null);
        }
        return event;
    }

    private void dispatch() {
        try {
            while (true) {
                deliver(queue.take());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void deliver(PluginEvent event) {
        for (Subscription subscription : handlers) {
            if (subscription.accepts(event.type())) {
                try {
                    subscription.handler().handle(event);
                } catch (Exception | LinkageError e) {
                    log.error("handler {} failed on event {} ({}) of instance '{}': {}",
                            subscription.handler().getClass().getName(), event.id(), event.type(), event.instanceId(),
                            e.toString());
                }
            }
        }
    }

    private static List<String> types(Object property) {
        if (property instanceof String s) {
            return List.of(s);
        }
        if (property instanceof String[] a) {
            return List.of(a);
        }
        if (property instanceof java.util.Collection<?> c) {
            return c.stream().map(String::valueOf).toList();
        }
        return List.of("*");
    }

    private record Subscription(PluginEventHandler handler, List<String> types) {
        boolean accepts(String type) {
            return types.contains("*") || types.contains(type);
        }
    }
}
