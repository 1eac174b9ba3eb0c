package io.grambot.itest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Hashtable;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

import io.grambot.api.PluginConstants;
import io.grambot.api.PluginContext;
import io.grambot.api.Secret;
import io.grambot.api.runtime.InstanceState;
import io.grambot.api.runtime.InstanceStatus;
import io.grambot.api.runtime.PluginRuntime;
import io.grambot.api.tool.Tool;
import io.grambot.api.tool.ToolContext;

/** Every instance configuration has a visible state, and one instance's trouble stays its own. */
@ExtendWith(BundleContextExtension.class)
@ExtendWith(ServiceExtension.class)
class InstanceStateTest {

    private static Bundle echo;

    @InjectBundleContext
    BundleContext context;

    @InjectService
    ConfigurationAdmin configAdmin;

    @InjectService
    PluginRuntime runtime;

    @BeforeAll
    static void installEcho(@InjectBundleContext BundleContext context) throws Exception {
        try (InputStream in = Files.newInputStream(Fixtures.echoJar(context))) {
            echo = context.installBundle("itest:state-echo", in);
        }
        echo.start();
    }

    @AfterAll
    static void uninstallEcho() throws Exception {
        echo.uninstall();
    }

    @Test
    void anInstanceThatThrowsInActivationFailsWithTheReasonWhileItsNeighbourRuns() throws Exception {
        Configuration bad = instance("faulty", "faulty-bad", Map.of("fail", true, "toolName", "bad"));
        Configuration good = instance("faulty", "faulty-good", Map.of("toolName", "good"));

        InstanceStatus failed = awaitState("faulty-bad", InstanceState.FAILED);
        assertThat(failed.reason()).contains("failed to activate").contains("refuses to start, as configured");
        assertThat(awaitState("faulty-good", InstanceState.ACTIVE).bundle()).isNotEmpty();
        assertThat(Eventually.service(context, Tool.class, filter("faulty-good")).execute(Map.of(), ToolContext.NONE)
                .text()).isEqualTo("ok");

        bad.update(new Hashtable<>(Map.of("fail", false, "toolName", "mended")));
        awaitState("faulty-bad", InstanceState.ACTIVE);
        bad.delete();
        good.delete();
    }

    @Test
    void anInstanceOfAPluginNobodyDeclaresFailsNamingThePlugin() throws Exception {
        Configuration orphan = instance("nowhere", "orphan",
                Map.of(PluginConstants.PLUGIN_ID, "nowhere", "colour", "blue"));

        InstanceStatus status = awaitState("orphan", InstanceState.FAILED);

        assertThat(status.reason()).isEqualTo("plugin 'nowhere' is not installed: no bundle declares it");
        assertThat(status.pluginId()).isEqualTo("nowhere");
        assertThat(status.settings()).containsEntry("colour", "blue");
        orphan.delete();
        Eventually.until("the orphan is forgotten", () -> runtime.instance("orphan").isEmpty());
    }

    @Test
    void aDisabledInstanceIsListedAsDisabledAndKeepsItsDataAndSecrets() throws Exception {
        Configuration configuration = instance("echo", "napper", Map.of("toolName", "napper"));
        PluginContext napper = Eventually.service(context, PluginContext.class, filter("napper"));
        Path data = napper.dataDirectory();
        Files.writeString(data.resolve("memory.txt"), "kept");
        napper.secrets().put("token", Secret.of("napper-secret-value"));
        awaitState("napper", InstanceState.ACTIVE);

        configuration.update(new Hashtable<>(Map.of("toolName", "napper", "enabled", false)));
        awaitState("napper", InstanceState.DISABLED);
        Eventually.gone(context, PluginContext.class, filter("napper"));
        assertThat(data.resolve("memory.txt")).hasContent("kept");
        assertThat(runtime.instance("napper").orElseThrow().secretKeys()).containsExactly("token");

        configuration.update(new Hashtable<>(Map.of("toolName", "napper", "enabled", true)));
        PluginContext again = Eventually.service(context, PluginContext.class, filter("napper"));
        assertThat(again.secrets().get("token")).contains(Secret.of("napper-secret-value"));

        configuration.delete();
        Eventually.until("the deleted instance's data directory is removed", () -> !Files.exists(data));
        assertThat(Files.readString(Fixtures.dataDir(context).resolve("secrets.json")))
                .doesNotContain("napper-secret-value");
    }

    @Test
    void aSecondInstanceWithAnIdInUseByAnotherPluginFailsAndTakesOverWhenTheFirstIsDeleted() throws Exception {
        Configuration first = instance("echo", "twin", Map.of("toolName", "twin-echo"));
        awaitState("twin", InstanceState.ACTIVE);
        Configuration second = instance("faulty", "twin", Map.of("toolName", "twin-faulty"));

        Eventually.until("the second 'twin' is refused", () -> runtime.instances().stream()
                .anyMatch(s -> s.pid().equals(second.getPid()) && s.state() == InstanceState.FAILED));
        InstanceStatus refused = runtime.instances().stream().filter(s -> s.pid().equals(second.getPid()))
                .findFirst().orElseThrow();
        assertThat(refused.reason()).contains("instance id 'twin' is already used by configuration " + first.getPid());
        assertThat(runtime.instance("twin").orElseThrow().pluginId()).isEqualTo("echo");

        first.delete();
        Eventually.until("the faulty 'twin' takes the id", () -> runtime.instance("twin")
                .filter(s -> s.pluginId().equals("faulty") && s.state() == InstanceState.ACTIVE).isPresent());
        second.delete();
    }

    @Test
    void editingDisablingAndDeletingOneInstanceLeavesItsNeighbourUntouched() throws Exception {
        Configuration edited = instance("echo", "busy", Map.of("toolName", "busy-1"));
        Configuration neighbour = instance("echo", "bystander", Map.of("toolName", "bystander"));
        // holding the neighbour's service keeps its (delayed) component object alive: a reload would replace it
        var bystander = new org.osgi.util.tracker.ServiceTracker<Tool, Tool>(context,
                Eventually.filter(context, Tool.class, filter("bystander")), null);
        bystander.open();
        Tool before = bystander.waitForService(Eventually.TIMEOUT.toMillis());
        int trackingCount = bystander.getTrackingCount();
        Eventually.service(context, Tool.class, filter("busy"));

        edited.update(new Hashtable<>(Map.of("toolName", "busy-2")));
        var renamed = Eventually.filter(context, Tool.class, "(&" + filter("busy") + "(toolName=busy-2))");
        Eventually.until("the edited instance has its new tool name", () -> Eventually.count(context, renamed) == 1);
        edited.update(new Hashtable<>(Map.of("toolName", "busy-2", "enabled", false)));
        Eventually.gone(context, Tool.class, filter("busy"));
        edited.delete();
        awaitGone("busy");

        // no unregistration, no property change, the same component object
        assertThat(bystander.getTrackingCount()).isEqualTo(trackingCount);
        assertThat(bystander.getService()).isSameAs(before);
        bystander.close();
        neighbour.delete();
    }

    @Test
    void everyInstanceReadsTheEngineSettings() throws Exception {
        Configuration one = instance("echo", "reader-one", Map.of("toolName", "reader-one"));
        Configuration two = instance("faulty", "reader-two", Map.of("toolName", "reader-two"));
        PluginContext first = Eventually.service(context, PluginContext.class, filter("reader-one"));
        PluginContext second = Eventually.service(context, PluginContext.class, filter("reader-two"));
        Configuration engine = configAdmin.getConfiguration("grambot.engine", "?");

        engine.update(new Hashtable<>(Map.of("defaultModel", "gpt-test", "maxRounds", 4)));

        Eventually.until("both instances see the engine settings", () -> "gpt-test"
                .equals(first.engineSettings().get("defaultModel"))
                && Integer.valueOf(4).equals(second.engineSettings().get("maxRounds")));
        assertThat(first.engineSettings()).doesNotContainKey("service.pid");
        engine.delete();
        Eventually.until("the engine settings are gone", () -> first.engineSettings().isEmpty());
        one.delete();
        two.delete();
    }

    @Test
    void anInstanceWhoseToolNameIsTakenFailsSayingByWhomAndTakesOverWhenTheHolderLeaves() throws Exception {
        Configuration holder = instance("echo", "name-holder", Map.of("toolName", "shared-name"));
        awaitState("name-holder", InstanceState.ACTIVE);
        Configuration late = instance("echo", "name-late", Map.of("toolName", "shared-name"));

        InstanceStatus refused = awaitState("name-late", InstanceState.FAILED);
        assertThat(refused.reason()).startsWith("tool name 'shared-name' of service")
                .contains("(instance 'name-late') is already registered by service")
                .endsWith("(instance 'name-holder')");

        holder.delete();
        awaitState("name-late", InstanceState.ACTIVE);
        late.delete();
    }

    @Test
    void isolatedInstancesHaveTheirOwnStaticStateWhileOrdinaryInstancesShareTheirClass() throws Exception {
        Bundle isolated;
        try (InputStream in = Files.newInputStream(Fixtures.isolatedJar(context))) {
            isolated = context.installBundle("itest:isolated", in);
        }
        isolated.start();
        try {
            Configuration one = instance("isolated.counter", "iso-one", Map.of());
            Configuration two = instance("isolated.counter", "iso-two", Map.of());
            Tool first = Eventually.service(context, Tool.class, filter("iso-one"));
            Tool second = Eventually.service(context, Tool.class, filter("iso-two"));

            // each instance's class counted only its own activation
            assertThat(first.execute(Map.of(), ToolContext.NONE).text()).isEqualTo("1");
            assertThat(second.execute(Map.of(), ToolContext.NONE).text()).isEqualTo("1");
            assertThat(first.getClass()).isNotSameAs(second.getClass());
            assertThat(first.getClass().getName()).isEqualTo(second.getClass().getName());
            assertThat(awaitState("iso-one", InstanceState.ACTIVE).bundle())
                    .isEqualTo("io.grambot.itest.fixture.isolated.instance.iso-one");

            Configuration a = instance("echo", "plain-a", Map.of("toolName", "plain-a"));
            Configuration b = instance("echo", "plain-b", Map.of("toolName", "plain-b"));
            Tool plainA = Eventually.service(context, Tool.class, filter("plain-a"));
            Tool plainB = Eventually.service(context, Tool.class, filter("plain-b"));
            assertThat(plainA).isNotSameAs(plainB);
            assertThat(plainA.getClass()).isSameAs(plainB.getClass());

            one.delete();
            Eventually.until("the copy of iso-one is uninstalled", () -> context
                    .getBundle("grambot:isolated:isolated-counter/iso-one") == null);
            two.delete();
            a.delete();
            b.delete();
        } finally {
            isolated.uninstall();
        }
        Eventually.until("the copy of iso-two is uninstalled", () -> context
                .getBundle("grambot:isolated:isolated-counter/iso-two") == null);
    }

    private Configuration instance(String factoryPid, String name, Map<String, Object> properties) throws Exception {
        Configuration configuration = configAdmin.getFactoryConfiguration(factoryPid, name, "?");
        configuration.update(new Hashtable<>(properties));
        return configuration;
    }

    private InstanceStatus awaitState(String instanceId, InstanceState state) throws InterruptedException {
        Eventually.until("instance '" + instanceId + "' is " + state + " (now: " + runtime.instance(instanceId) + ")",
                () -> runtime.instance(instanceId).map(s -> s.state() == state).orElse(false));
        return runtime.instance(instanceId).orElseThrow();
    }

    private void awaitGone(String instanceId) throws InterruptedException {
        Eventually.until("instance '" + instanceId + "' is forgotten", () -> runtime.instance(instanceId).isEmpty());
    }

    private static String filter(String instanceId) {
        return "(" + PluginConstants.INSTANCE_ID + "=" + instanceId + ")";
    }
}
