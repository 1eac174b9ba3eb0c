package io.grambot.itest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.file.Files;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

import io.grambot.api.PluginConstants;
import io.grambot.api.PluginContext;
import io.grambot.api.PluginEventHandler;
import io.grambot.api.connector.Connector;
import io.grambot.api.runtime.InstanceState;
import io.grambot.api.runtime.InstanceStatus;
import io.grambot.api.runtime.PluginRuntime;
import io.grambot.api.tool.Tool;
import io.grambot.api.tool.ToolContext;

/**
 * A bad plugin bundle (throws, hangs, cannot resolve, claims a taken connector id, leaks a thread) gets a clear
 * state and message, in the runtime and in {@code grambot:instances}, and the other instances keep running: all
 * through each test an echo instance is asked and an event emitted through it is delivered, every 20 ms.
 */
@ExtendWith(BundleContextExtension.class)
@ExtendWith(ServiceExtension.class)
@ExtendWith(EchoPlugin.class)
class BadPluginTest {

    @InjectBundleContext
    BundleContext context;

    @InjectService
    ConfigurationAdmin configAdmin;

    @InjectService
    PluginRuntime runtime;

    private Configuration steady;
    private LogCapture log;
    private Heartbeat heartbeat;
    private long started;

    @BeforeEach
    void steadyEcho() throws Exception {
        log = new LogCapture(context);
        steady = Instances.create(configAdmin, "echo", "steady", Map.of("toolName", "steady", "prefix", "steady: "));
        assertEchoAnswers();
        heartbeat = new Heartbeat(context, Eventually.service(context, Tool.class, Instances.filter("steady")),
                Eventually.service(context, PluginContext.class, Instances.filter("steady")));
        started = System.nanoTime();
    }

    @AfterEach
    void removeEcho(TestInfo test) throws Exception {
        try {
            heartbeat.stopAndCheck(test.getDisplayName());
        } finally {
            log.close();
            steady.delete();
        }
    }

    /** Milliseconds since the test's bad bundle was installed, for the figures printed. */
    private long elapsed() {
        return (System.nanoTime() - started) / 1_000_000;
    }

    private void printState(String kind, InstanceStatus status) {
        System.out.printf("bad plugin %s: %s after %d ms: %s%n", kind, status.state(), elapsed(), status.reason());
    }

    /** The instance as {@code grambot:instances} prints it: the state on its line, the reason below. */
    private void assertListedByTheShell(InstanceStatus status) throws Exception {
        Object commands = Eventually.service(context, Object.class,
                "(&(osgi.command.scope=grambot)(osgi.command.function=instances))");
        String listed = (String) commands.getClass().getMethod("instances").invoke(commands);
        assertThat(listed).contains(status.instanceId() + "  " + status.state() + "  plugin " + status.pluginId()
                + "  bundle ", "    reason: " + status.reason() + "\n");
    }

    @Test
    void aBundleThatThrowsInActivationFailsWithTheCauseWhileTheEchoAnswers() throws Exception {
        Bundle bad = install("throws");
        try {
            bad.start();
            Configuration instance = Instances.create(configAdmin, "bad.throws", "thrower", Map.of());

            InstanceStatus failed = Instances.awaitState(runtime, "thrower", InstanceState.FAILED);
            printState("throws", failed);
            assertListedByTheShell(failed);
            assertThat(failed.reason()).startsWith("component io.grambot.itest.fixture.badthrows.ThrowingTool"
                    + " failed to activate: java.lang.IllegalStateException: bad-throws instance thrower cannot"
                    + " start: by design");
            assertThat(failed.bundle()).isEqualTo("io.grambot.itest.fixture.badthrows");
            assertThat(bad.getState()).isEqualTo(Bundle.ACTIVE);
            assertThat(log.lines()).anyMatch(l -> l.startsWith("ERROR")
                    && l.contains("bad-throws instance thrower cannot start"));
            assertEchoAnswers();
            instance.delete();
        } finally {
            bad.uninstall();
        }
        assertEchoAnswers();
    }

    @Test
    void aBundleThatHangsInActivationIsShownAsStillActivatingAndBlocksNobodyElse() throws Exception {
        Bundle bad = install("hangs");
        Configuration hanger = null;
        try {
            bad.start();
            hanger = Instances.create(configAdmin, "bad.hangs", "hanger", Map.of());

            Eventually.until("the hanging instance says it is activating", () -> within(
                    () -> runtime.instance("hanger").map(s -> s.state() == InstanceState.LOADING
                            && s.reason().contains("has not finished activating")).orElse(false)));
            InstanceStatus hanging = within(() -> runtime.instance("hanger").orElseThrow());
            printState("hangs", hanging);
            assertThat(hanging.reason()).isEqualTo("component io.grambot.itest.fixture.badhangs.HangingTool has"
                    + " not finished activating");
            assertListedByTheShell(hanging);
            // the core goes on loading other instances while one hangs
            Configuration another = Instances.create(configAdmin, "echo", "newcomer", Map.of("toolName", "newcomer"));
            assertThat(Eventually.service(context, Tool.class, Instances.filter("newcomer"))
                    .execute(Map.of("text", "hi"), ToolContext.NONE).text()).isEqualTo("hi");
            Eventually.until("the newcomer is active", () -> within(() -> runtime.instance("newcomer")
                    .map(st -> st.state() == InstanceState.ACTIVE).orElse(false)));
            assertEchoAnswers();
            another.delete();

            bad.stop(); // the hanging constructor gives up when its bundle stops
            InstanceStatus stopped = Instances.awaitState(runtime, "hanger", InstanceState.FAILED);
            assertThat(stopped.reason()).isEqualTo("plugin 'bad-hangs' is declared by bundle"
                    + " io.grambot.itest.fixture.badhangs, which is resolved but not started: it was stopped");
        } finally {
            if (hanger != null) {
                hanger.delete();
            }
            bad.uninstall();
        }
        assertEchoAnswers();
    }

    @Test
    void aBundleThatCannotResolveIsListedWithTheMissingPackage() throws Exception {
        Bundle bad = install("unresolvable");
        try {
            assertThatThrownBy(bad::start).isInstanceOf(BundleException.class).hasMessageContaining("io.grambot.nowhere");
            assertThat(bad.getState()).isEqualTo(Bundle.INSTALLED);
            Configuration instance = Instances.create(configAdmin, "bad.unresolvable", "stranded", Map.of());

            InstanceStatus failed = Instances.awaitState(runtime, "stranded", InstanceState.FAILED);
            printState("unresolvable", failed);
            assertListedByTheShell(failed);
            assertThat(failed.pluginId()).isEqualTo("bad-unresolvable");
            assertThat(failed.reason()).isEqualTo("plugin 'bad-unresolvable' is declared by bundle"
                    + " io.grambot.itest.fixture.badunresolvable, which is not resolved: nothing provides"
                    + " osgi.wiring.package (&(osgi.wiring.package=io.grambot.nowhere)(version>=1.0.0)(!(version>=2.0.0)))");
            assertEchoAnswers();
            instance.delete();
        } finally {
            bad.uninstall();
        }
        assertEchoAnswers();
    }

    @Test
    void aConnectorClaimingAnotherInstancesIdIsRefusedAndTheHolderKeepsIt() throws Exception {
        Configuration holder = Instances.create(configAdmin, "testchat", "chat-main", Map.of());
        Connector real = Eventually.service(context, Connector.class, Instances.filter("chat-main"));
        Instances.awaitState(runtime, "chat-main", InstanceState.ACTIVE);
        Bundle bad = install("duplicate");
        try {
            bad.start();
            Configuration impostor = Instances.create(configAdmin, "bad.duplicate", "impostor",
                    Map.of("claims", "chat-main"));

            InstanceStatus refused = Instances.awaitState(runtime, "impostor", InstanceState.FAILED);
            printState("duplicate", refused);
            assertListedByTheShell(refused);
            assertThat(refused.reason()).startsWith("connector id 'chat-main' of service")
                    .contains("of bundle io.grambot.itest.fixture.badduplicate (instance 'impostor') is already"
                            + " registered by service")
                    .endsWith("(instance 'chat-main')");
            assertThat(runtime.instance("chat-main").orElseThrow().state()).isEqualTo(InstanceState.ACTIVE);
            assertThat(Eventually.service(context, Connector.class, Instances.filter("chat-main"))).isSameAs(real);
            assertThat(log.lines()).anyMatch(l -> l.startsWith("ERROR") && l.contains("connector id 'chat-main'")
                    && l.contains("(instance 'impostor') is ignored"));
            assertEchoAnswers();
            impostor.delete();
        } finally {
            bad.uninstall();
            holder.delete();
        }
        assertEchoAnswers();
    }

    @Test
    void aBundleThatLeavesAThreadRunningWhenItStopsIsNamedWithTheThread() throws Exception {
        Bundle bad = install("spins");
        Configuration instance = null;
        try {
            bad.start();
            instance = Instances.create(configAdmin, "bad.spins", "spinner", Map.of());
            assertThat(Eventually.service(context, Tool.class, Instances.filter("spinner"))
                    .execute(Map.of(), ToolContext.NONE).text()).isEqualTo("spinning");
            assertThat(Instances.awaitState(runtime, "spinner", InstanceState.ACTIVE).reason()).isEmpty();

            bad.stop();

            Eventually.until("the instance names the thread its bundle left running", () -> runtime
                    .instance("spinner").map(s -> s.reason().endsWith("; it left 1 thread running: bad-spins-spinner"))
                    .orElse(false));
            InstanceStatus left = runtime.instance("spinner").orElseThrow();
            printState("spins", left);
            assertListedByTheShell(left);
            assertThat(left.state()).isEqualTo(InstanceState.FAILED);
            assertThat(left.reason()).isEqualTo("plugin 'bad-spins' is declared by bundle"
                    + " io.grambot.itest.fixture.badspins, which is resolved but not started: it was stopped;"
                    + " it left 1 thread running: bad-spins-spinner");
            assertThat(log.lines()).anyMatch(l -> l.startsWith("WARN") && l.contains(
                    "bundle io.grambot.itest.fixture.badspins stopped but left 1 thread running: bad-spins-spinner"));
            assertEchoAnswers();
        } finally {
            if (instance != null) {
                instance.delete();
            }
            bad.uninstall();
        }
        assertEchoAnswers();
    }

    @Test
    void aPluginBundleInstalledButNotYetStartedIsLoadingNotFailed() throws Exception {
        Bundle later = install("duplicate"); // as FileInstall does: installed now, started a moment later
        Configuration instance = null;
        try {
            instance = Instances.create(configAdmin, "bad.duplicate", "patient", Map.of("claims", "patient"));
            Set<String> seen = ConcurrentHashMap.newKeySet();
            Eventually.until("the instance waits for its resolved bundle to start", () -> runtime.instance("patient")
                    .map(s -> seen.add(s.state() + ": " + s.reason()) && false
                            || s.reason().endsWith("which is resolved but not started yet"))
                    .orElse(false));
            assertThat(runtime.instance("patient").orElseThrow().state()).isEqualTo(InstanceState.LOADING);
            assertThat(later.getState()).isEqualTo(Bundle.RESOLVED);

            later.start();
            Eventually.until("the instance is active", () -> runtime.instance("patient")
                    .map(s -> seen.add(s.state() + ": " + s.reason()) && false || s.state() == InstanceState.ACTIVE)
                    .orElse(false));
            assertThat(seen).as("the states the instance was seen in").noneMatch(s -> s.startsWith("FAILED"));
        } finally {
            if (instance != null) {
                instance.delete();
            }
            later.uninstall();
        }
    }

    private Bundle install(String kind) throws Exception {
        started = System.nanoTime();
        try (InputStream in = Files.newInputStream(Fixtures.badJar(context, kind))) {
            return context.installBundle("itest:bad:" + kind, in);
        }
    }

    private void assertEchoAnswers() throws Exception {
        Tool echo = Eventually.service(context, Tool.class, Instances.filter("steady"));
        assertThat(echo.execute(Map.of("text", "still here"), ToolContext.NONE).text()).isEqualTo("steady: still here");
        assertThat(within(() -> runtime.instance("steady").map(InstanceStatus::state)))
                .contains(InstanceState.ACTIVE);
    }

    /**
     * Asks the steady echo instance and emits an event through its context every 20 ms on a thread of its own, and
     * checks at the end that every answer came, right, and every event was delivered.
     */
    private static final class Heartbeat {
        private static final String TYPE = "itest.bad.heartbeat";
        private final Set<String> emitted = ConcurrentHashMap.newKeySet();
        private final Set<String> delivered = ConcurrentHashMap.newKeySet();
        private final List<Throwable> failures = new CopyOnWriteArrayList<>();
        private final AtomicInteger answers = new AtomicInteger();
        private final AtomicLong slowestAnswerNanos = new AtomicLong();
        private final ServiceRegistration<PluginEventHandler> handler;
        private final Thread beating;
        private volatile boolean running = true;

        Heartbeat(BundleContext context, Tool echo, PluginContext instance) {
            handler = context.registerService(PluginEventHandler.class, event -> delivered.add(event.id()),
                    new Hashtable<>(Map.of(PluginConstants.EVENT_TYPE, TYPE)));
            beating = new Thread(() -> {
                for (int n = 0; running; n++) {
                    try {
                        long asked = System.nanoTime();
                        String answer = echo.execute(Map.of("text", "beat " + n), ToolContext.NONE).text();
                        slowestAnswerNanos.accumulateAndGet(System.nanoTime() - asked, Math::max);
                        if (!answer.equals("steady: beat " + n)) {
                            throw new AssertionError("the echo answered '" + answer + "' to beat " + n);
                        }
                        answers.incrementAndGet();
                        emitted.add(instance.emit(TYPE, Map.of("n", n)).id());
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20)); // the pace of the load
                }
            }, "itest-heartbeat");
            beating.start();
        }

        void stopAndCheck(String test) throws InterruptedException {
            running = false;
            beating.join(10_000);
            try {
                assertThat(failures).as("failures of the steady instance during the test").isEmpty();
                assertThat(answers.get()).as("echo answers during the test").isPositive();
                Eventually.until("every event emitted through the steady instance is delivered",
                        () -> delivered.containsAll(emitted));
                System.out.printf("bad plugins, %s: the steady echo answered %d times (slowest %d ms), %d events"
                        + " delivered%n", test, answers.get(), slowestAnswerNanos.get() / 1_000_000, emitted.size());
            } finally {
                handler.unregister();
            }
        }
    }

    /** Calls the runtime on another thread: a call that blocks (a hanging plugin holding a lock) fails the test. */
    private static <T> T within(Supplier<T> call) {
        try {
            return CompletableFuture.supplyAsync(call).get(5, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("the plugin runtime did not answer within 5 s", e);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
