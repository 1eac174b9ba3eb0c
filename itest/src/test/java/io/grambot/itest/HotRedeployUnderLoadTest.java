package io.grambot.itest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.ref.WeakReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

import io.grambot.api.PluginContext;
import io.grambot.api.PluginException;
import io.grambot.api.runtime.EventQueueMonitor;

/**
 * A plugin jar replaced in deploy/ while its handler receives 200 events a second: no event is lost, the new version
 * (a copy of the fixture with a higher Bundle-Version) handles what the old one had not, and once the update is
 * refreshed no class loader of the old revision stays reachable.
 */
@ExtendWith(BundleContextExtension.class)
@ExtendWith(ServiceExtension.class)
class HotRedeployUnderLoadTest {

    private static final String BSN = "io.grambot.itest.fixture.versioned";
    private static final String TYPE = "itest.redeploy";
    private static final String NEW_VERSION = "0.2.0";
    private static final long PERIOD_MICROS = 5_000; // 200 events a second

    @InjectBundleContext
    BundleContext context;

    @InjectService
    ConfigurationAdmin configAdmin;

    @InjectService
    EventQueueMonitor events;

    @Test
    void replacingAPluginJarUnderLoadLosesNoEventAndLeavesNoOldClassLoader() throws Exception {
        Path jar = Fixtures.deployDir(context).resolve("versioned-plugin.jar");
        Path newJar = withVersion(Fixtures.versionedJar(context),
                Fixtures.dataDir(context).resolveSibling("versioned-" + NEW_VERSION + ".jar"), NEW_VERSION);
        Path handled = Fixtures.dataDir(context).resolve("plugins").resolve("rdv").resolve("handled.log");
        Files.deleteIfExists(handled);
        Configuration source = Instances.create(configAdmin, "testchat", "rdsrc", Map.of());
        Configuration handler = Instances.create(configAdmin, "versioned", "rdv", Map.of());
        ScheduledExecutorService load = Executors.newSingleThreadScheduledExecutor();
        try {
            Files.createDirectories(jar.getParent());
            Files.copy(Fixtures.versionedJar(context), jar, StandardCopyOption.REPLACE_EXISTING);
            Eventually.until("the versioned plugin is active",
                    () -> bundle().map(b -> b.getState() == Bundle.ACTIVE).orElse(false));
            Bundle bundle = bundle().orElseThrow();
            String oldVersion = bundle.getVersion().toString();
            WeakReference<ClassLoader> oldLoader = classLoader(bundle);
            PluginContext emitter = Eventually.service(context, PluginContext.class, Instances.filter("rdsrc"));
            // the handler's service is seen a moment before the queue binds it: one event handled, then the load
            Eventually.until("a first event is handled", () -> {
                emit(emitter, -1);
                return !handledLines(handled).isEmpty();
            });

            Map<String, Long> accepted = new ConcurrentHashMap<>();
            List<Throwable> failures = new CopyOnWriteArrayList<>();
            AtomicLong next = new AtomicLong();
            load.scheduleAtFixedRate(() -> {
                long n = next.getAndIncrement();
                try {
                    accepted.put(emitter.emit(TYPE, Map.of("n", n)).id(), n);
                } catch (PluginException | RuntimeException e) {
                    failures.add(e);
                }
            }, 0, PERIOD_MICROS, TimeUnit.MICROSECONDS);
            Eventually.until("the old version has handled 200 events", () -> byVersion(handled, oldVersion) >= 200);

            long replaced = System.nanoTime();
            Files.copy(newJar, jar, StandardCopyOption.REPLACE_EXISTING);
            Files.setLastModifiedTime(jar, FileTime.fromMillis(System.currentTimeMillis() + 2_000));
            Eventually.until("the new version has handled 200 events", () -> byVersion(handled, NEW_VERSION) >= 200);
            long swapMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - replaced);
            load.shutdown();
            assertThat(load.awaitTermination(10, TimeUnit.SECONDS)).as("the load stopped").isTrue();
            refresh(bundle);

            try {
                Eventually.until("every accepted event is handled",
                        () -> handledIds(handled).keySet().containsAll(accepted.keySet()));
            } catch (AssertionError e) {
                Map<String, List<String>> seen = handledIds(handled);
                List<Long> missing = accepted.entrySet().stream().filter(a -> !seen.containsKey(a.getKey()))
                        .map(Map.Entry::getValue).sorted().toList();
                throw new AssertionError(e.getMessage() + ": " + missing.size() + " of " + accepted.size()
                        + " not handled, n = " + missing + "; the old version's last handled line: "
                        + handledLines(handled).stream().filter(l -> l.contains(oldVersion)).reduce((a, b) -> b)
                                .orElse("none") + "; event queue " + events.status(), e);
            }
            Map<String, List<String>> byId = handledIds(handled);
            List<Long> oldOnes = new ArrayList<>();
            List<Long> newOnes = new ArrayList<>();
            accepted.forEach((id, n) -> {
                List<String> versions = byId.get(id);
                (versions.contains(oldVersion) ? oldOnes : newOnes).add(n);
            });
            long lastOld = oldOnes.stream().mapToLong(Long::longValue).max().orElseThrow();
            long duplicates = byId.values().stream().mapToLong(v -> v.size() - 1L).sum();
            assertThat(failures).as("emits that failed").isEmpty();
            assertThat(bundle.getVersion().toString()).isEqualTo(NEW_VERSION);
            assertThat(newOnes).as("events the new version handled").hasSizeGreaterThanOrEqualTo(200)
                    .allMatch(n -> n > lastOld); // in emission order: it goes on where the old one stopped

            int gcRounds = collect(oldLoader);
            System.out.printf("hot redeploy under load: %d events at 200/s, %d handled by %s (last n=%d), %d by %s,"
                    + " %d handled twice, jar replaced -> 200 handled by the new version in %d ms, old class loader"
                    + " collected after %d GC rounds%n", accepted.size(), oldOnes.size(), oldVersion, lastOld,
                    newOnes.size(), NEW_VERSION, duplicates, swapMillis, gcRounds);
        } finally {
            load.shutdownNow();
            Files.deleteIfExists(jar);
            Eventually.until("the versioned plugin is uninstalled", () -> bundle().isEmpty());
            handler.delete();
            source.delete();
        }
    }

    /** The bundle's current class loader, held weakly; a method of its own so no strong reference stays behind. */
    private static WeakReference<ClassLoader> classLoader(Bundle bundle) {
        return new WeakReference<>(bundle.adapt(BundleWiring.class).getClassLoader());
    }

    /**
     * Drives GC with allocation pressure until the class loader is collected (bounded); if it is not, dumps the heap
     * beside the data directory and fails naming the dump.
     */
    private int collect(WeakReference<ClassLoader> loader) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        int rounds = 0;
        while (loader.get() != null) {
            if (System.nanoTime() > deadline) {
                Path dump = Fixtures.dataDir(context).resolveSibling("redeploy-leak.hprof");
                Files.deleteIfExists(dump);
                new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                        Long.toString(ProcessHandle.current().pid()), "GC.heap_dump", dump.toString())
                        .inheritIO().start().waitFor(60, TimeUnit.SECONDS);
                throw new AssertionError("the old revision's class loader is still reachable after " + rounds
                        + " GC rounds; heap dump: " + dump);
            }
            rounds++;
            List<byte[]> pressure = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                pressure.add(new byte[1 << 20]);
            }
            pressure.clear();
            System.gc();
            Thread.sleep(50); // lets the reference handler clear it; bounded by the deadline
        }
        return rounds;
    }

    private void refresh(Bundle bundle) throws InterruptedException {
        CountDownLatch refreshed = new CountDownLatch(1);
        context.getBundle(0).adapt(FrameworkWiring.class).refreshBundles(List.of(bundle), event -> {
            if (event.getType() == FrameworkEvent.PACKAGES_REFRESHED) {
                refreshed.countDown();
            }
        });
        assertThat(refreshed.await(30, TimeUnit.SECONDS)).as("the refresh finished").isTrue();
    }

    private static void emit(PluginContext emitter, long n) {
        try {
            emitter.emit(TYPE, Map.of("n", n));
        } catch (PluginException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A copy of the plugin's jar with another Bundle-Version: the same code as a new bundle revision. */
    private static Path withVersion(Path jar, Path copy, String version) throws IOException {
        try (JarInputStream in = new JarInputStream(Files.newInputStream(jar))) {
            Manifest manifest = in.getManifest();
            manifest.getMainAttributes().put(new Attributes.Name("Bundle-Version"), version);
            try (OutputStream file = Files.newOutputStream(copy); JarOutputStream out = new JarOutputStream(file,
                    manifest)) {
                for (JarEntry entry; (entry = in.getNextJarEntry()) != null;) {
                    out.putNextEntry(new JarEntry(entry.getName()));
                    in.transferTo(out);
                    out.closeEntry();
                }
            }
        }
        return copy;
    }

    private Optional<Bundle> bundle() {
        return Arrays.stream(context.getBundles()).filter(b -> BSN.equals(b.getSymbolicName())).findFirst();
    }

    private static List<String> handledLines(Path handled) {
        try {
            return ForkedFramework.lines(handled);
        } catch (IOException e) {
            return List.of();
        }
    }

    private static long byVersion(Path handled, String version) {
        return handledLines(handled).stream().filter(line -> line.endsWith(" " + version)).count();
    }

    /** The versions that handled each event, by id. */
    private static Map<String, List<String>> handledIds(Path handled) {
        Map<String, List<String>> ids = new HashMap<>();
        for (String line : handledLines(handled)) {
            String[] parts = line.split(" ");
            ids.computeIfAbsent(parts[0], id -> new ArrayList<>()).add(parts[2]);
        }
        return ids;
    }
}
