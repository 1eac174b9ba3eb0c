package io.grambot.core.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.framework.ServiceReference;
import org.osgi.service.log.Logger;

import io.grambot.api.PluginConstants;

/**
 * Services of one kind indexed by a unique key (an instance id, a tool name). Writers (DS bind and unbind) take
 * the lock and change one key; lookups read a concurrent map without locking. A second service with a key already
 * taken is an error: it is reported and kept in line, and takes over if the first leaves.
 *
 * @param <S> the service type
 */
public final class ServiceIndex<S> {

    private record Entry<S>(String key, S service, String origin, String instanceId) {}

    private final String keyName;
    private final Logger log;
    /** Every bound service of a key, in arrival order: the first holds the key. Guarded by {@code this}. */
    private final Map<String, List<Entry<S>>> entriesByKey = new HashMap<>();
    private final Map<S, Entry<S>> entriesByService = new IdentityHashMap<>();
    private final Map<String, S> holders = new ConcurrentHashMap<>();
    private final Map<String, S> holdersView = Collections.unmodifiableMap(holders);
    /** Counts the changes of {@link #holders}; written under the lock, after the change. */
    private volatile long version;
    private volatile LastHit<S> lastHit;

    public ServiceIndex(String keyName, Logger log) {
        this.keyName = keyName;
        this.log = log;
    }

    public synchronized void add(String key, S service, ServiceReference<?> reference) {
        Object instanceId = reference == null ? null : reference.getProperty(PluginConstants.INSTANCE_ID);
        Entry<S> entry = new Entry<>(key, service, origin(reference), instanceId instanceof String id ? id : null);
        List<Entry<S>> line = entriesByKey.computeIfAbsent(key, k -> new ArrayList<>(1));
        line.add(entry);
        entriesByService.put(service, entry);
        if (line.size() == 1) {
            holders.put(key, service);
            version++;
        } else {
            log.error("{} '{}' is already registered by {}; {} is ignored while that one is there", keyName, key,
                    line.get(0).origin(), entry.origin());
        }
    }

    public synchronized void remove(S service) {
        Entry<S> removed = entriesByService.remove(service);
        if (removed == null) {
            return;
        }
        List<Entry<S>> line = entriesByKey.get(removed.key());
        boolean wasHolder = line.get(0) == removed;
        line.remove(removed);
        if (line.isEmpty()) {
            entriesByKey.remove(removed.key());
            holders.remove(removed.key());
            version++;
        } else if (wasHolder) {
            holders.put(removed.key(), line.get(0).service());
            version++;
            log.info("{} '{}' is now served by {}", keyName, removed.key(), line.get(0).origin());
        }
    }

    /**
     * The service holding a key, or {@code null}. A hot path (every tool and model call of a turn): the last answer is
     * kept and reused while nothing was bound or unbound since and the key is the same string object (callers pass
     * the names from their settings, so it usually is), which saves the hash lookup.
     */
    public S get(String key) {
        LastHit<S> hit = lastHit;
        if (hit != null && hit.key == key && hit.version == version) {
            return hit.service;
        }
        long seen = version;
        S service = holders.get(key);
        if (service != null) {
            lastHit = new LastHit<>(key, service, seen);
        }
        return service;
    }

    /** A lookup answer, valid while {@link #version} is {@code version}. */
    private record LastHit<S>(String key, S service, long version) {}

    /** Every key and the service holding it (a live, unmodifiable view). */
    public Map<String, S> all() {
        return holdersView;
    }

    /** One line per service refused because its key was taken. */
    public synchronized List<String> conflicts() {
        List<String> refused = new ArrayList<>();
        refusedEntries((entry, holder) -> refused.add(conflict(entry, holder)));
        return List.copyOf(refused);
    }

    /** Why a plugin instance's service was refused, by instance id. */
    public synchronized Map<String, String> conflictsByInstance() {
        Map<String, String> refused = new HashMap<>();
        refusedEntries((entry, holder) -> {
            if (entry.instanceId() != null) {
                refused.merge(entry.instanceId(), conflict(entry, holder), (a, b) -> a + "; " + b);
            }
        });
        return refused;
    }

    private void refusedEntries(java.util.function.BiConsumer<Entry<S>, Entry<S>> action) {
        for (List<Entry<S>> line : entriesByKey.values()) {
            for (int i = 1; i < line.size(); i++) {
                action.accept(line.get(i), line.get(0));
            }
        }
    }

    private String conflict(Entry<S> entry, Entry<S> holder) {
        return keyName + " '" + entry.key() + "' of " + entry.origin() + " is already registered by "
                + holder.origin();
    }

    private static String origin(ServiceReference<?> reference) {
        if (reference == null) {
            return "an unknown service";
        }
        Object instance = reference.getProperty(PluginConstants.INSTANCE_ID);
        return "service " + reference.getProperty("service.id") + " of bundle "
                + reference.getBundle().getSymbolicName() + (instance == null ? "" : " (instance '" + instance + "')");
    }
}
