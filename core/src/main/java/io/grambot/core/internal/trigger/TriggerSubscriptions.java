package io.grambot.core.internal.trigger;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import io.grambot.api.PluginConstants;
import io.grambot.api.PluginException;
import io.grambot.api.action.Trigger;
import io.grambot.core.internal.PluginEventQueue;

/**
 * Subscribes every {@link Trigger} service a plugin instance publishes (whiteboard), and turns what it fires into
 * {@value Trigger#EVENT_TYPE} plugin events of that instance in the core's event queue. A subscribe that throws or
 * does not return in time is logged with the instance and trigger, and kept as the trigger's state; the
 * subscription is closed exactly once when the service goes (its instance deleted or disabled, its bundle stopping)
 * or the core stops, even if the plugin's close throws or hangs.
 */
@Designate(ocd = TriggerSubscriptions.Config.class)
@Component(configurationPid = TriggerSubscriptions.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL,
        immediate = true, service = TriggerSubscriptions.class)
public final class TriggerSubscriptions {

    static final String PID = "grambot.triggers";
    static final int PROBLEMS_KEPT = 50;

    @ObjectClassDefinition(name = "Grambot triggers", description = "How long plugins' triggers may take to"
            + " subscribe and to close their subscription.")
    public @interface Config {

        @AttributeDefinition(name = "Subscribe timeout (ms)", min = "1",
                description = "After this a trigger's subscribe call is abandoned and the trigger counts as failed.")
        long subscribeTimeoutMillis() default 10_000;

        @AttributeDefinition(name = "Close timeout (ms)", min = "1",
                description = "After this a subscription's close call is abandoned.")
        long closeTimeoutMillis() default 10_000;
    }

    /** Where sinks put events: the event queue's emit. */
    @FunctionalInterface
    public interface Emitter {
        void emit(String pluginId, String instanceId, String type, Map<String, Object> payload)
                throws PluginException;
    }

    private final Emitter emitter;
    private final Duration subscribeTimeout;
    private final Duration closeTimeout;
    private final Logger log;
    private final ExecutorService calls = Executors.newCachedThreadPool(threads("grambot-triggers"));
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            threads("grambot-triggers-timer"));
    private final Map<Long, TriggerSubscription> byServiceId = new ConcurrentHashMap<>();
    /** The latest problems, oldest first. Guarded by itself. */
    private final Deque<String> problems = new ArrayDeque<>();

    @Activate
    public TriggerSubscriptions(Config config, @Reference PluginEventQueue queue,
            @Reference(service = LoggerFactory.class) Logger log) {
        this(queue::emit, Duration.ofMillis(config.subscribeTimeoutMillis()),
                Duration.ofMillis(config.closeTimeoutMillis()), log);
    }

    public TriggerSubscriptions(Emitter emitter, Duration subscribeTimeout, Duration closeTimeout, Logger log) {
        this.emitter = emitter;
        this.subscribeTimeout = subscribeTimeout;
        this.closeTimeout = closeTimeout;
        this.log = log;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            unbind = "removeTrigger")
    public void addTrigger(Trigger trigger, Map<String, Object> properties) {
        Object instanceId = properties.get(PluginConstants.INSTANCE_ID);
        Object pluginId = properties.get(PluginConstants.PLUGIN_ID);
        if (!(instanceId instanceof String instance) || !(pluginId instanceof String plugin)) {
            problem("a trigger service of bundle " + properties.get("service.bundleid") + " (service "
                    + properties.get("service.id") + ") is not subscribed: it has no " + PluginConstants.INSTANCE_ID
                    + " and " + PluginConstants.PLUGIN_ID + "; only plugin instances' triggers fire flows");
            return;
        }
        TriggerSubscription subscription = new TriggerSubscription(trigger, plugin, instance, emitter, calls,
                subscribeTimeout, closeTimeout, this::problem);
        byServiceId.put(serviceId(properties), subscription);
        subscription.start(timer);
    }

    void removeTrigger(Trigger trigger, Map<String, Object> properties) {
        TriggerSubscription subscription = byServiceId.remove(serviceId(properties));
        if (subscription != null) {
            subscription.close();
        }
    }

    /** Closes every subscription (in parallel, each within its bounds) before the core's queue goes. */
    @Deactivate
    public void deactivate() {
        List<CompletableFuture<Void>> closing = new ArrayList<>();
        for (Long id : List.copyOf(byServiceId.keySet())) {
            TriggerSubscription subscription = byServiceId.remove(id);
            if (subscription != null) {
                closing.add(CompletableFuture.runAsync(subscription::close, calls));
            }
        }
        try {
            CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new))
                    .get(subscribeTimeout.plus(closeTimeout).toMillis() + 1_000, TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            log.error("not every trigger subscription closed while the core stopped: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        calls.shutdownNow();
        timer.shutdownNow();
    }

    /** Every trigger service's subscription, by instance and trigger name. */
    public List<TriggerState> states() {
        return byServiceId.values().stream().map(TriggerSubscription::state)
                .sorted(Comparator.comparing(TriggerState::instanceId).thenComparing(TriggerState::trigger)).toList();
    }

    /** The latest problems (failed subscribes, closes that threw or hung), oldest first, each with its time. */
    public List<String> problems() {
        synchronized (problems) {
            return List.copyOf(problems);
        }
    }

    private void problem(String problem) {
        log.error(problem);
        synchronized (problems) {
            problems.addLast(Instant.now() + " " + problem);
            while (problems.size() > PROBLEMS_KEPT) {
                problems.removeFirst();
            }
        }
    }

    private static Long serviceId(Map<String, Object> properties) {
        return properties.get("service.id") instanceof Number n ? n.longValue() : -1L;
    }

    private static ThreadFactory threads(String name) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
