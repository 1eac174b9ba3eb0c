package io.grambot.testkit.internal;

import java.time.Duration;
import java.util.Arrays;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.ReferenceDTO;
import org.osgi.service.component.runtime.dto.SatisfiedReferenceDTO;
import org.osgi.util.tracker.ServiceTracker;

/** Bounded waiting: polls a condition or waits on a service tracker, and fails with what it waited for. */
public final class Waits {

    private Waits() {}

    /** Waits until the condition holds; an {@link AssertionError} naming {@code what} after the timeout. */
    public static void until(String what, Duration timeout, BooleanSupplier condition) {
        until(() -> what, timeout, condition);
    }

    /** As {@link #until(String, Duration, BooleanSupplier)}, with a description made when the wait fails. */
    public static void until(Supplier<String> what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting until " + what.get());
            }
            pause(10); // the polling interval of a bounded wait, not synchronisation
        }
    }

    /** Waits for a service of the type matching the filter (or any, when it is {@code null}). */
    public static <T> ServiceReference<T> service(BundleContext context, Class<T> type, String filter,
            Duration timeout) {
        ServiceTracker<T, T> tracker = new ServiceTracker<>(context, filter(type, filter), null);
        tracker.open();
        try {
            if (tracker.waitForService(timeout.toMillis()) == null) {
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for a service "
                        + type.getName() + (filter == null ? "" : " " + filter));
            }
            return tracker.getServiceReference();
        } catch (InterruptedException e) {
            throw interrupted(e);
        } finally {
            tracker.close();
        }
    }

    /** Waits until no service of the type matches the filter. */
    public static void gone(BundleContext context, Class<?> type, String filter, Duration timeout) {
        String f = filter(type, filter).toString();
        until("no service " + f + " is registered", timeout, () -> references(context, f).length == 0);
    }

    /**
     * Waits until a DS component that references services of {@code type} has bound this service. A service is
     * visible a moment before the components that consume it (the core's registries and event queue) bind it;
     * an event or a lookup in between would miss it.
     */
    public static void bound(ServiceComponentRuntime scr, ServiceReference<?> service, Class<?> type,
            Duration timeout) {
        long id = (Long) service.getProperty(Constants.SERVICE_ID);
        until("a component consuming " + type.getSimpleName() + " services has bound service " + id + " "
                + service.getProperty("grambot.instance.id"), timeout, () -> boundBy(scr, id, type.getName()));
    }

    private static boolean boundBy(ServiceComponentRuntime scr, long serviceId, String interfaceName) {
        for (ComponentDescriptionDTO description : scr.getComponentDescriptionDTOs()) {
            for (ReferenceDTO reference : description.references) {
                if (!interfaceName.equals(reference.interfaceName)) {
                    continue;
                }
                for (ComponentConfigurationDTO configuration : scr.getComponentConfigurationDTOs(description)) {
                    for (SatisfiedReferenceDTO satisfied : configuration.satisfiedReferences) {
                        if (satisfied.name.equals(reference.name) && Arrays.stream(satisfied.boundServices)
                                .anyMatch(s -> s.id == serviceId)) {
                            return true;
                        }
                    }
                }
            }
        }
        return false;
    }

    /** Waits until SCR holds no component configuration made from the configuration {@code pid}. */
    public static void noComponentConfiguration(ServiceComponentRuntime scr, String pid, Duration timeout) {
        until("SCR has dropped the components of configuration " + pid, timeout,
                () -> componentConfigurations(scr, pid).findAny().isEmpty());
    }

    /** SCR's component configurations made from the configuration {@code pid}, now. */
    public static java.util.stream.Stream<ComponentConfigurationDTO> componentConfigurations(
            ServiceComponentRuntime scr, String pid) {
        return scr.getComponentDescriptionDTOs().stream().flatMap(d -> scr.getComponentConfigurationDTOs(d).stream())
                .filter(c -> madeFrom(c.properties.get(Constants.SERVICE_PID), pid));
    }

    /** Whether a component's {@code service.pid} (one PID, or several for a component of more) names {@code pid}. */
    private static boolean madeFrom(Object servicePid, String pid) {
        if (servicePid instanceof String one) {
            return one.equals(pid);
        }
        if (servicePid instanceof String[] several) {
            return Arrays.asList(several).contains(pid);
        }
        return servicePid instanceof java.util.Collection<?> several && several.contains(pid);
    }

    public static ServiceReference<?>[] references(BundleContext context, String filter) {
        try {
            ServiceReference<?>[] found = context.getServiceReferences((String) null, filter);
            return found == null ? new ServiceReference<?>[0] : found;
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException("not a service filter: " + filter, e);
        }
    }

    public static org.osgi.framework.Filter filter(Class<?> type, String filter) {
        String objectClass = "(" + Constants.OBJECTCLASS + "=" + type.getName() + ")";
        try {
            return FrameworkUtil.createFilter(filter == null ? objectClass : "(&" + objectClass + filter + ")");
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException("not a service filter: " + filter, e);
        }
    }

    /** An interrupted wait: the interrupt flag is set again and the test fails. */
    public static IllegalStateException interrupted(InterruptedException e) {
        Thread.currentThread().interrupt();
        return new IllegalStateException("interrupted while waiting", e);
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            throw interrupted(e);
        }
    }
}
