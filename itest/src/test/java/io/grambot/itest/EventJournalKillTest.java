package io.grambot.itest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.junit5.context.BundleContextExtension;

/**
 * kill -9 of a framework with events queued loses none: a forked Felix (this run's bundles, the echo plugin and
 * {@link KillTestEmitter}/{@link KillTestRecorder} configured by files) emits faster than its handler works, is
 * killed with SIGKILL, and is started again on the same data directory; every event whose emit returned is then
 * handled.
 */
@ExtendWith(BundleContextExtension.class)
class EventJournalKillTest {

    private static final int EVENTS = 1000;
    private static final long TIMEOUT_MS = 20_000;

    @InjectBundleContext
    BundleContext context;

    private final List<Process> forked = new ArrayList<>();

    @AfterEach
    void stopForked() {
        forked.forEach(Process::destroyForcibly);
    }

    @Test
    void everyAcceptedEventIsHandledAfterAKillAndARestart() throws Exception {
        Path home = Fixtures.dataDir(context).resolveSibling("killtest");
        deleteTree(home);
        Path accepted = home.resolve("accepted");
        Path handledBefore = home.resolve("handled-1");
        Path handledAfter = home.resolve("handled-2");

        Process first = start(home, 1, Map.of(KillTestEmitter.PID, "accepted=" + accepted + "\ncount=" + EVENTS + "\n",
                KillTestRecorder.PID, "handled=" + handledBefore + "\ndelayMillis=3\n"));
        waitFor(first, home, "the emitter has emitted all events while the handler lags behind",
                () -> lines(accepted).size() == EVENTS && lines(handledBefore).size() < EVENTS - 100);
        first.destroyForcibly(); // SIGKILL
        assertThat(first.waitFor(10, TimeUnit.SECONDS)).as("the first framework died").isTrue();
        Map<String, Integer> acceptedIds = ids(lines(accepted));
        Set<String> handledBeforeKill = ids(lines(handledBefore)).keySet();

        Process second = start(home, 2, Map.of(KillTestRecorder.PID, "handled=" + handledAfter + "\ndelayMillis=0\n"));
        waitFor(second, home, "every accepted event is handled", () -> {
            Set<String> handled = ids(lines(handledAfter)).keySet();
            return acceptedIds.keySet().stream().allMatch(id -> handledBeforeKill.contains(id) || handled.contains(id));
        });
        second.destroy();

        List<String> afterRestart = lines(handledAfter);
        List<Integer> order = afterRestart.stream().map(line -> Integer.parseInt(line.split(" ")[1])).toList();
        System.out.printf("kill -9 test: %d events accepted, %d handled before the kill, %d delivered after the"
                + " restart%n", acceptedIds.size(), handledBeforeKill.size(), afterRestart.size());
        assertThat(acceptedIds).hasSize(EVENTS);
        assertThat(afterRestart).as("events delivered after the restart").hasSizeGreaterThan(100);
        assertThat(order).as("the instance's events after the restart, in emission order").isSorted();
        assertThat(ids(afterRestart).keySet()).as("only accepted events are delivered")
                .isSubsetOf(acceptedIds.keySet());
    }

    /** Starts Felix main on the shared data directory with the given configuration files. */
    private Process start(Path home, int run, Map<String, String> configs) throws IOException {
        Path etc = Files.createDirectories(home.resolve("etc-" + run));
        Files.writeString(etc.resolve("echo-killtest.cfg"), "toolName=killtest\n");
        for (Map.Entry<String, String> config : configs.entrySet()) {
            Files.writeString(etc.resolve(config.getKey() + ".cfg"), config.getValue());
        }
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("org.osgi.framework.storage", home.resolve("cache").toString());
        properties.put("org.osgi.framework.storage.clean", "onFirstInit");
        properties.put("felix.auto.start.1", String.join(" ", bundleLocations()));
        properties.put("grambot.data", home.resolve("data").toString());
        // a fresh store per run: the first run's emitter configuration must not come back
        properties.put("felix.cm.dir", home.resolve("config-" + run).toString());
        properties.put("felix.cm.config.plugins", "grambot.instance.wiring");
        properties.put("felix.fileinstall.dir", etc.toString());
        properties.put("felix.fileinstall.poll", "50");
        properties.put("felix.fileinstall.noInitialDelay", "true");
        properties.put("felix.log.level", "1");
        Path config = home.resolve("config-" + run + ".properties");
        Files.writeString(config, properties.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue().replace("\\", "\\\\")).collect(Collectors.joining("\n")));
        Path felix = Path.of(context.getProperty("grambot.itest.fixtures"), "org.apache.felix.main.jar");
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-Dfelix.config.properties=" + config.toUri(), "-jar", felix.toString())
                .directory(home.toFile()).redirectErrorStream(true)
                .redirectOutput(home.resolve("felix-" + run + ".log").toFile()).start();
        forked.add(process);
        return process;
    }

    /** This run's bundles, as the forked framework installs them, without the tester, and the echo plugin. */
    private List<String> bundleLocations() {
        List<String> locations = new ArrayList<>();
        for (Bundle bundle : context.getBundles()) {
            String location = bundle.getLocation().replaceFirst("^reference:", "");
            Path file = location.startsWith("file:") ? Path.of(URI.create(location)) : Path.of(location);
            if (bundle.getBundleId() == 0 || "biz.aQute.tester.junit-platform".equals(bundle.getSymbolicName())
                    || Fixtures.ECHO_BSN.equals(bundle.getSymbolicName()) || !Files.isRegularFile(file)) {
                continue; // the framework, the test runner, the plugin (added below), bundles not from a file
            }
            locations.add(file.toUri().toString());
        }
        locations.add(Fixtures.echoJar(context).toUri().toString());
        return locations;
    }

    private interface Check {
        boolean holds() throws IOException;
    }

    private static void waitFor(Process process, Path home, String what, Check check) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
        while (!check.holds()) {
            if (!process.isAlive()) {
                throw new AssertionError("the forked framework exited (" + process.exitValue() + ") before " + what
                        + "; see " + home);
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + TIMEOUT_MS + " ms waiting until " + what + "; see "
                        + home);
            }
            Thread.sleep(20); // polling interval of a bounded wait
        }
    }

    /** The complete lines of a file; a line being written when the process died has no newline yet. */
    private static List<String> lines(Path file) throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        String content = Files.readString(file);
        List<String> lines = new ArrayList<>(Arrays.asList(content.split("\n", -1)));
        lines.remove(lines.size() - 1); // after the last newline: empty or incomplete
        return lines;
    }

    private static Map<String, Integer> ids(List<String> lines) {
        Map<String, Integer> ids = new LinkedHashMap<>();
        for (String line : lines) {
            String[] parts = line.split(" ");
            ids.put(parts[0], Integer.parseInt(parts[1]));
        }
        return ids;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(f);
                }
            }
        }
    }
}
