package io.grambot.core.internal.events;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.grambot.api.PluginConstants;
import io.grambot.api.PluginEvent;
import io.grambot.api.PluginEventHandler;

/**
 * An immutable snapshot of the handler services by event type, rebuilt whenever a handler comes or goes, so that
 * dispatching an event is one map look-up. Handlers of a type are ordered by service ranking, then service id.
 */
final class HandlerIndex {

    static final String ALL = "*";
    static final HandlerIndex EMPTY = new HandlerIndex(Map.of(), new Subscription[0], 0);

    /**
     * One handler service and the event types it asked for.
     *
     * @param async whether it overrides {@link PluginEventHandler#handleAsync}; the others are called through
     *        {@link PluginEventHandler#handle}, which spares a completed stage per event
     */
    record Subscription(PluginEventHandler handler, long serviceId, int ranking, Set<String> types, boolean async) {

        String name() {
            return handler.getClass().getName();
        }

        boolean accepts(String type) {
            return types.contains(ALL) || types.contains(type);
        }

        /** Reads {@value PluginConstants#EVENT_TYPE} (a string, an array or a collection; missing means all). */
        static Subscription of(PluginEventHandler handler, Map<String, ?> properties) {
            Set<String> types = new LinkedHashSet<>();
            Object property = properties.get(PluginConstants.EVENT_TYPE);
            if (property instanceof String s) {
                types.add(s);
            } else if (property instanceof String[] a) {
                types.addAll(List.of(a));
            } else if (property instanceof Collection<?> c) {
                c.forEach(t -> types.add(String.valueOf(t)));
            }
            if (types.isEmpty()) {
                types.add(ALL);
            }
            return new Subscription(handler, number(properties.get("service.id"), 0L).longValue(),
                    number(properties.get("service.ranking"), 0).intValue(), Set.copyOf(types), overridesAsync(handler));
        }

        private static boolean overridesAsync(PluginEventHandler handler) {
            try {
                return handler.getClass().getMethod("handleAsync", PluginEvent.class)
                        .getDeclaringClass() != PluginEventHandler.class;
            } catch (NoSuchMethodException e) {
                return false; // cannot happen: the interface declares it
            }
        }

        private static Number number(Object value, Number otherwise) {
            return value instanceof Number n ? n : otherwise;
        }
    }

    private final Map<String, Subscription[]> byType;
    private final Subscription[] wildcard;
    private final int size;

    private HandlerIndex(Map<String, Subscription[]> byType, Subscription[] wildcard, int size) {
        this.byType = byType;
        this.wildcard = wildcard;
        this.size = size;
    }

    static HandlerIndex of(Collection<Subscription> subscriptions) {
        List<Subscription> sorted = new ArrayList<>(subscriptions);
        sorted.sort(Comparator.comparingInt(Subscription::ranking).reversed()
                .thenComparingLong(Subscription::serviceId));
        Set<String> types = new LinkedHashSet<>();
        sorted.forEach(s -> types.addAll(s.types()));
        types.remove(ALL);
        Map<String, Subscription[]> byType = new HashMap<>();
        for (String type : types) {
            byType.put(type, sorted.stream().filter(s -> s.accepts(type)).toArray(Subscription[]::new));
        }
        Subscription[] wildcard = sorted.stream().filter(s -> s.types().contains(ALL)).toArray(Subscription[]::new);
        return new HandlerIndex(Map.copyOf(byType), wildcard, sorted.size());
    }

    /** The handlers of a type, in call order; callers must not modify the array. */
    Subscription[] lookup(String type) {
        Subscription[] found = byType.get(type);
        return found != null ? found : wildcard;
    }

    int size() {
        return size;
    }
}
