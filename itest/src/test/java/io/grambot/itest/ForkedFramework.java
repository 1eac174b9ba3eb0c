package io.grambot.itest;

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
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/**
 * A Felix of its own process, started with this run's bundles (without the tester, with the echo plugin) on a data
 * directory of the test's choosing, for the tests that kill it with SIGKILL ({@link EventJournalKillTest},
 * {@link CrashSafetyKillTest}). Fixtures in the test bundle are active there only when configured.
 */
final class ForkedFramework implements AutoCloseable {

    /** A bound for each wait on a forked framework, generous for a loaded machine: waits end when things hold. */
    static final long TIMEOUT_MS = 60_000;

    private final BundleContext context;
    private final List<Process> forked = new ArrayList<>();

    ForkedFramework(BundleContext context) {
        this.context = context;
    }

    /** Ends every framework this started that still runs. */
    @Override
    public void close() {
        forked.forEach(Process::destroyForcibly);
    }

    /**
     * Starts Felix main in {@code home} with FileInstall watching {@code etc}, the data directory {@code home/data},
     * and {@code properties} over the defaults (for example {@code felix.cm.dir}); the log is
     * {@code home/felix-<name>.log}.
     */
    Process start(Path home, String name, Path etc, Map<String, String> properties) throws IOException {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("org.osgi.framework.storage", home.resolve("cache").toString());
        all.put("org.osgi.framework.storage.clean", "onFirstInit");
        all.put("felix.auto.start.1", String.join(" ", bundleLocations()));
        all.put("grambot.data", home.resolve("data").toString());
        all.put("felix.cm.dir", home.resolve("data").resolve("config").toString());
        all.put("felix.cm.config.plugins", "grambot.instance.wiring");
        all.put("felix.cm.pm", "grambot");
        all.put("felix.fileinstall.dir", etc.toString());
        all.put("felix.fileinstall.poll", "50");
        all.put("felix.fileinstall.noInitialDelay", "true");
        all.put("felix.log.level", "1");
        // the test framework's bundles include the HTTP server: any free loopback port, never the user's 8080
        all.put("org.osgi.service.http.port", "0");
        all.put("org.apache.felix.http.host", "127.0.0.1");
        all.putAll(properties);
        Path config = home.resolve("config-" + name + ".properties");
        Files.writeString(config, all.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue().replace("\\", "\\\\")).collect(Collectors.joining("\n")));
        Path felix = Path.of(context.getProperty("grambot.itest.fixtures"), "org.apache.felix.main.jar");
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-Dfelix.config.properties=" + config.toUri(),
                // logback unconfigured logs everything at DEBUG, slow enough to miss the test's time limits
                "-Dlogback.configurationFile=" + context.getProperty("logback.configurationFile"),
                "-jar", felix.toString())
                .directory(home.toFile()).redirectErrorStream(true)
                .redirectOutput(home.resolve("felix-" + name + ".log").toFile()).start();
        forked.add(process);
        return process;
    }

    /** Kills a framework with SIGKILL and waits until it is gone. */
    static void kill(Process process) throws InterruptedException {
        process.destroyForcibly(); // SIGKILL
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            throw new AssertionError("the forked framework " + process.pid() + " did not die within 10 s of SIGKILL");
        }
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

    interface Check {
        boolean holds() throws IOException;
    }

    /** Polls {@code check} until it holds; fails with a thread dump if the framework dies or the time is up. */
    static void waitFor(Process process, Path home, String what, Check check) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
        while (!check.holds()) {
            if (!process.isAlive()) {
                throw new AssertionError("the forked framework exited (" + process.exitValue() + ") before " + what
                        + "; see " + home);
            }
            if (System.nanoTime() > deadline) {
                threadDump(process, home);
                throw new AssertionError("timed out after " + TIMEOUT_MS + " ms waiting until " + what + "; see "
                        + home + " (threads.txt: the forked framework's threads at the time)");
            }
            Thread.sleep(20); // polling interval of a bounded wait
        }
    }

    private static void threadDump(Process process, Path home) {
        try {
            new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    Long.toString(process.pid()), "Thread.print").redirectErrorStream(true)
                    .redirectOutput(home.resolve("threads.txt").toFile()).start().waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            System.err.println("no thread dump of the forked framework: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The complete lines of a file; a line being written when the process died has no newline yet. */
    static List<String> lines(Path file) throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        String content = Files.readString(file);
        List<String> lines = new ArrayList<>(Arrays.asList(content.split("\n", -1)));
        lines.remove(lines.size() - 1); // after the last newline: empty or incomplete
        return lines;
    }

    static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(f);
                }
            }
        }
    }
}
