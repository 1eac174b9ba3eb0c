package io.grambot.core.internal;

import java.lang.ref.WeakReference;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.Bundle;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.service.log.Logger;

/**
 * Finds the threads a plugin bundle leaves running once it has stopped: a thread is the bundle's when one of its
 * stack frames is in one of the bundle's own classes. Checked {@link #GRACE} after the bundle is stopped, so threads
 * that were told to stop have had time to end; the ones found are logged and shown with the plugin's instances
 * while they live.
 */
final class LeftoverThreads {

    static final long GRACE_MILLIS = 2_000;

    private final Logger log;
    private final ScheduledExecutorService checks = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "grambot-leftover-threads");
        thread.setDaemon(true);
        return thread;
    });
    /** Threads found, by factory PID of the plugins of the bundle that left them. */
    private final Map<String, List<WeakReference<Thread>>> byFactoryPid = new ConcurrentHashMap<>();

    LeftoverThreads(Logger log) {
        this.log = log;
    }

    /** Called as the bundle stops (its classes are still listed): checks it once it has stopped. */
    void watch(Bundle bundle, Collection<String> factoryPids) {
        Set<String> classes = classNames(bundle);
        if (classes.isEmpty()) {
            return;
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        Runnable[] check = new Runnable[1];
        check[0] = () -> {
            if ((bundle.getState() & (Bundle.STARTING | Bundle.ACTIVE | Bundle.STOPPING)) != 0
                    && System.nanoTime() < deadline) {
                checks.schedule(check[0], 200, TimeUnit.MILLISECONDS); // still stopping
                return;
            }
            checks.schedule(() -> scan(bundle, classes, factoryPids), GRACE_MILLIS, TimeUnit.MILLISECONDS);
        };
        checks.execute(check[0]);
    }

    private void scan(Bundle bundle, Set<String> classes, Collection<String> factoryPids) {
        if ((bundle.getState() & (Bundle.STARTING | Bundle.ACTIVE)) != 0) {
            return; // started again meanwhile
        }
        List<Thread> found = Thread.getAllStackTraces().entrySet().stream()
                .filter(e -> e.getKey() != Thread.currentThread())
                .filter(e -> java.util.Arrays.stream(e.getValue()).anyMatch(f -> classes.contains(f.getClassName())))
                .map(Map.Entry::getKey).sorted(java.util.Comparator.comparing(Thread::getName)).toList();
        if (found.isEmpty()) {
            return;
        }
        List<WeakReference<Thread>> references = found.stream().map(WeakReference::new).toList();
        factoryPids.forEach(pid -> byFactoryPid.put(pid, references));
        log.warn("bundle {} stopped but left {}", bundle.getSymbolicName(), describe(found));
    }

    /** What a plugin's stopped bundle left running, e.g. {@code 1 thread running: worker}; empty if nothing. */
    String of(String factoryPid) {
        List<WeakReference<Thread>> references = byFactoryPid.get(factoryPid);
        if (references == null) {
            return "";
        }
        List<Thread> alive = references.stream().map(WeakReference::get).filter(t -> t != null && t.isAlive())
                .toList();
        return alive.isEmpty() ? "" : describe(alive);
    }

    /** The plugin is back: what its old bundle left is no longer its state. */
    void forget(String factoryPid) {
        byFactoryPid.remove(factoryPid);
    }

    void close() {
        checks.shutdownNow();
    }

    private static String describe(List<Thread> threads) {
        return threads.size() + (threads.size() == 1 ? " thread" : " threads") + " running: "
                + String.join(", ", threads.stream().map(Thread::getName).toList());
    }

    private static Set<String> classNames(Bundle bundle) {
        BundleWiring wiring = bundle.adapt(BundleWiring.class);
        if (wiring == null) {
            return Set.of();
        }
        Collection<String> resources = wiring.listResources("/", "*.class",
                BundleWiring.LISTRESOURCES_RECURSE | BundleWiring.LISTRESOURCES_LOCAL);
        Set<String> names = new HashSet<>();
        for (String resource : resources) {
            String path = resource.startsWith("/") ? resource.substring(1) : resource;
            names.add(path.substring(0, path.length() - ".class".length()).replace('/', '.'));
        }
        return names;
    }
}
