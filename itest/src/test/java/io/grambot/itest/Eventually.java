package io.grambot.itest;

import java.time.Duration;
import java.util.function.BooleanSupplier;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Filter;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;

/** Bounded waiting: polls a condition, or waits on a service tracker, and fails with what it waited for. */
final class Eventually {

    static final Duration TIMEOUT = Duration.ofSeconds(20);

    private Eventually() {}

    static void until(String what, BooleanSupplier condition) throws InterruptedException {
        until(what, TIMEOUT, condition);
    }

    /** As {@link #until(String, BooleanSupplier)}, for work known to take longer than the usual bound. */
    static void until(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting until " + what);
            }
            Thread.sleep(20); // polling interval of a bounded wait, not synchronisation
        }
    }

    /** Waits for a service matching the filter and returns it. */
    static <T> T service(BundleContext context, Class<T> type, String filter) throws Exception {
        ServiceTracker<T, T> tracker = new ServiceTracker<>(context, filter(context, type, filter), null);
        tracker.open();
        try {
            T service = tracker.waitForService(TIMEOUT.toMillis());
            if (service == null) {
                throw new AssertionError("timed out after " + TIMEOUT.toSeconds() + " s waiting for " + type.getName()
                        + " " + filter);
            }
            return service;
        } finally {
            tracker.close();
        }
    }

    /** Waits for a service matching a filter (any class, for services this bundle cannot see the type of). */
    static ServiceReference<?> reference(BundleContext context, String filter) throws Exception {
        Filter f = FrameworkUtil.createFilter(filter);
        until("a service " + filter, () -> count(context, f) > 0);
        return context.getServiceReferences((String) null, filter)[0];
    }

    /**
     * Waits until a bot's event handler is bound into the core's event queue: the handler service is visible a
     * moment before the queue binds it (SCR even reports the reference bound before its bind method has run), and
     * an event emitted in between has no bot to go to.
     */
    static void botListening(BundleContext context, String botId) throws Exception {
        ServiceReference<?> handler = reference(context,
                "(&(objectClass=io.grambot.api.PluginEventHandler)(service.pid=grambot.bot~" + botId + "))");
        long id = (Long) handler.getProperty("service.id");
        io.grambot.api.runtime.EventQueueMonitor queue = service(context,
                io.grambot.api.runtime.EventQueueMonitor.class, "");
        until("bot '" + botId + "' is bound into the event queue", () -> queue.isBound(id));
    }

    /** Waits until no service matches the filter. */
    static void gone(BundleContext context, Class<?> type, String filter) throws Exception {
        Filter f = filter(context, type, filter);
        until("no " + type.getSimpleName() + " " + filter + " is registered", () -> count(context, f) == 0);
    }

    static int count(BundleContext context, Filter filter) {
        try {
            var refs = context.getServiceReferences((String) null, filter.toString());
            return refs == null ? 0 : refs.length;
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static Filter filter(BundleContext context, Class<?> type, String filter) throws InvalidSyntaxException {
        return FrameworkUtil.createFilter(filter == null ? "(objectClass=" + type.getName() + ")"
                : "(&(objectClass=" + type.getName() + ")" + filter + ")");
    }

    /**
     * The test chat connector of an instance, once a probe sent through it was answered: the object the core
     * answers through. Looked up for every probe, since the component may be activated again while its instance
     * settles, and a test holding the first object would wait for answers sent to the second.
     */
    static TestChatConnector answeringChat(BundleContext context, String instanceId) throws Exception {
        for (int attempt = 1;; attempt++) {
            TestChatConnector chat = (TestChatConnector) service(context, io.grambot.api.connector.Connector.class,
                    Instances.filter(instanceId));
            String conversation = "probe-" + instanceId + "-" + attempt + "-" + System.nanoTime();
            chat.receive(conversation, "probe", "probe");
            try {
                until("an answer in " + conversation, Duration.ofSeconds(2), () -> chat.sent().stream()
                        .anyMatch(m -> m.conversationId().equals(conversation)));
                return chat;
            } catch (AssertionError unanswered) {
                if (attempt == 10) {
                    throw unanswered;
                }
            }
        }
    }
}
