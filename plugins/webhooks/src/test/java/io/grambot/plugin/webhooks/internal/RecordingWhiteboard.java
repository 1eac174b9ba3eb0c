package io.grambot.plugin.webhooks.internal;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** A service registry that records what is registered and what is unregistered again. */
final class RecordingWhiteboard implements Whiteboard {

    /** One registration. */
    static final class Registration {
        final Class<?> type;
        final Object service;
        final Map<String, Object> properties;
        volatile boolean unregistered;

        Registration(Class<?> type, Object service, Map<String, Object> properties) {
            this.type = type;
            this.service = service;
            this.properties = Map.copyOf(properties);
        }
    }

    final List<Registration> registrations = new CopyOnWriteArrayList<>();
    /** When set, the next registration fails with it. */
    volatile RuntimeException failure;

    @Override
    public <S> AutoCloseable register(Class<S> type, S service, Map<String, Object> properties) {
        RuntimeException fail = failure;
        if (fail != null) {
            failure = null;
            throw fail;
        }
        Registration registration = new Registration(type, service, properties);
        registrations.add(registration);
        return () -> registration.unregistered = true;
    }

    /** The registrations of this type that are still registered. */
    List<Registration> live(Class<?> type) {
        return registrations.stream().filter(r -> r.type == type && !r.unregistered).toList();
    }

    @SuppressWarnings("unchecked")
    <S> S service(Class<S> type) {
        List<Registration> live = live(type);
        if (live.size() != 1) {
            throw new AssertionError("expected one " + type.getSimpleName() + " registered, found " + live.size());
        }
        return (S) live.get(0).service;
    }
}
