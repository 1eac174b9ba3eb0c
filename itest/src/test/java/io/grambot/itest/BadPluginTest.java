package io.grambot.itest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.file.Files;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

import io.grambot.api.connector.Connector;
import io.grambot.api.runtime.InstanceState;
import io.grambot.api.runtime.InstanceStatus;
import io.grambot.api.runtime.PluginRuntime;
import io.grambot.api.tool.Tool;
import io.grambot.api.tool.ToolContext;

/**
 * A bad plugin bundle (throws, hangs, cannot resolve, claims a taken connector id, leaks a thread) gets a clear
 * state and message, and the other instances keep answering: an echo instance is asked before and after each.
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

    @BeforeEach
    void steadyEcho() throws Exception {
        log = new LogCapture(context);
        steady = Instances.create(configAdmin, "echo", "steady", Map.of("toolName", "steady", "prefix", "steady: "));
        assertEchoAnswers();
    }

    @AfterEach
    void removeEcho() throws Exception {
        log.close();
        steady.delete();
    }

    @Test
    void aBundleThatThrowsInActivationFailsWithTheCauseWhileTheEchoAnswers() throws Exception {
        Bundle bad = install("throws");
        try {
            bad.start();
            Configuration instance = Instances.create(configAdmin, "bad.throws", "thrower", Map.of());

            InstanceStatus failed = Instances.awaitState(runtime, "thrower", InstanceState.FAILED);
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
            assertThat(hanging.reason()).isEqualTo("component io.grambot.itest.fixture.badhangs.HangingTool has"
                    + " not finished activating");
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
            assertThat(stopped.reason()).contains("plugin 'bad-hangs'").contains("io.grambot.itest.fixture.badhangs");
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
            assertThat(runtime.instance("spinner").orElseThrow().state()).isEqualTo(InstanceState.FAILED);
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

    private Bundle install(String kind) throws Exception {
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
