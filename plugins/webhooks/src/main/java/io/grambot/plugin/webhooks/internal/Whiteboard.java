package io.grambot.plugin.webhooks.internal;

import java.util.Hashtable;
import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * Where the plugin puts the services it registers itself (the action, the trigger and the webhook's servlet): the
 * OSGi service registry in the framework, a recording fake in unit tests.
 */
@FunctionalInterface
interface Whiteboard {

    /**
     * Registers {@code service} under {@code type} with these properties.
     *
     * @return closing it unregisters the service; closing it again does nothing
     */
    <S> AutoCloseable register(Class<S> type, S service, Map<String, Object> properties);

    /** The framework's service registry, through the plugin bundle's context. */
    static Whiteboard of(BundleContext bundleContext) {
        return new Whiteboard() {
            @Override
            public <S> AutoCloseable register(Class<S> type, S service, Map<String, Object> properties) {
                ServiceRegistration<S> registration = bundleContext.registerService(type, service,
                        new Hashtable<>(properties));
                return () -> {
                    try {
                        registration.unregister();
                    } catch (IllegalStateException alreadyGone) {
                        // unregistered before, or the bundle is stopping and the framework unregistered it
                    }
                };
            }
        };
    }
}
