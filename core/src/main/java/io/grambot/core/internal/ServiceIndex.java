package io.grambot.core.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.osgi.framework.ServiceReference;
import org.osgi.service.log.Logger;

import io.grambot.api.PluginConstants;

/**
 * Services of one kind indexed by a unique key (an instance id, a tool name). Writers (DS bind and unbind) take
 * the lock and publish a new immutable snapshot; lookups read the snapshot without locking. A second service
 * with a key already taken is an error: it is reported and kept in line, and takes over if the first leaves.
 *
 * @param <S> the service type
 */
final class ServiceIndex<S> {

    private record Entry<S>(String key, S service, String origin, String instanceId) {}

    private final String keyName;
    private final Logger log;
    private final List<Entry<S>> entries = new ArrayList<>(); // in arrival order: the first holds the key
    private volatile Map<String, S> snapshot = Map.of();
    private volatile List<String> conflicts = List.of();
    private volatile Map<String, String> conflictsByInstance = Map.of();

    ServiceIndex(String keyName, Logger log) {
        this.keyName = keyName;
        this.log = log;
    }

    synchronized void add(String key, S service, ServiceReference<?> reference) {
        String origin = origin(reference);
        Entry<S> holder = holder(key);
        Object instanceId = reference == null ? null : reference.getProperty(PluginConstants.INSTANCE_ID);
        entries.add(new Entry<>(key, service, origin, instanceId instanceof String id ? id : null));
        if (holder != null) {
            log.error("{} '{}' is already registered by {}; {} is ignored while that one is there", keyName, key,
                    holder.origin(), origin);
        }
        publish();
    }

    synchronized void remove(S service) {
        Entry<S> removed = null;
        for (Entry<S> entry : entries) {
            if (entry.service() == service) {
                removed = entry;
                break;
            }
        }
        if (removed == null) {
            return;
        }
        boolean washolder = holder(removed.key()) == removed;
        entries.remove(removed);
        Entry<S> next = holder(removed.key());
        if (washolder && next != null) {
            log.info("{} '{}' is now served by {}", keyName, removed.key(), next.origin());
        }
        publish();
    }

    /** The service holding a key, or {@code null}. */
    S get(String key) {
        return snapshot.get(key);
    }

    /** Every key and the service holding it. */
    Map<String, S> all() {
        return snapshot;
    }

    /** One line per service refused because its key was taken. */
    List<String> conflicts() {
        return conflicts;
    }

    /** Why a plugin instance's service was refused, by instance id. */
    Map<String, String> conflictsByInstance() {
        return conflictsByInstance;
    }

    private Entry<S> holder(String key) {
        for (Entry<S> entry : entries) {
            if (entry.key().equals(key)) {
                return entry;
            }
        }
        return null;
    }

    private void publish() {
        Map<String, Entry<S>> holders = new HashMap<>();
        List<String> refused = new ArrayList<>();
        Map<String, String> refusedByInstance = new HashMap<>();
        for (Entry<S> entry : entries) {
            Entry<S> holder = holders.putIfAbsent(entry.key(), entry);
            if (holder != null) {
                String conflict = keyName + " '" + entry.key() + "' of " + entry.origin()
                        + " is already registered by " + holder.origin();
                refused.add(conflict);
                if (entry.instanceId() != null) {
                    refusedByInstance.merge(entry.instanceId(), conflict, (a, b) -> a + "; " + b);
                }
            }
        }
        Map<String, S> next = new HashMap<>();
        holders.forEach((key, entry) -> next.put(key, entry.service()));
        snapshot = Map.copyOf(next);
        conflicts = List.copyOf(refused);
        conflictsByInstance = Map.copyOf(refusedByInstance);
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
