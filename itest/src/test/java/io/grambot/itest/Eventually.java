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
        return FrameworkUtil.createFilter("(&(objectClass=" + type.getName() + ")" + filter + ")");
    }
}
