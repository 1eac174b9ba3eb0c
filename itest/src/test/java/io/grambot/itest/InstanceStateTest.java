package io.grambot.itest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Hashtable;
import java.util.Map;

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
@ExtendWith(EchoPlugin.class)
class InstanceStateTest {


    @InjectBundleContext
    BundleContext context;

    @InjectService
    ConfigurationAdmin configAdmin;

    @InjectService
    PluginRuntime runtime;

    @Test
    void anInstanceThatThrowsInActivationFailsWithTheReasonWhileItsNeighbourRuns() throws Exception {
        Configuration bad = Instances.create(configAdmin, "faulty", "faulty-bad", Map.of("fail", true, "toolName", "bad"));
        Configuration good = Instances.create(configAdmin, "faulty", "faulty-good", Map.of("toolName", "good"));

        InstanceStatus failed = Instances.awaitState(runtime, "faulty-bad", InstanceState.FAILED);
        assertThat(failed.reason()).contains("failed to activate").contains("refuses to start, as configured");
        assertThat(Instances.awaitState(runtime, "faulty-good", InstanceState.ACTIVE).bundle()).isNotEmpty();
        assertThat(Eventually.service(context, Tool.class, Instances.filter("faulty-good")).execute(Map.of(), ToolContext.NONE)
                .text()).isEqualTo("ok");

        bad.update(new Hashtable<>(Map.of("fail", false, "toolName", "mended")));
        Instances.awaitState(runtime, "faulty-bad", InstanceState.ACTIVE);
        bad.delete();
        good.delete();
    }

    @Test
    void anInstanceOfAPluginNobodyDeclaresFailsNamingThePlugin() throws Exception {
        Configuration orphan = Instances.create(configAdmin, "nowhere", "orphan",
                Map.of(PluginConstants.PLUGIN_ID, "nowhere", "colour", "blue"));

        InstanceStatus status = Instances.awaitState(runtime, "orphan", InstanceState.FAILED);

        assertThat(status.reason()).isEqualTo("plugin 'nowhere' is not installed: no bundle declares it");
        assertThat(status.pluginId()).isEqualTo("nowhere");
        assertThat(status.settings()).containsEntry("colour", "blue");
        orphan.delete();
        Eventually.until("the orphan is forgotten", () -> runtime.instance("orphan").isEmpty());
    }

    @Test
    void aDisabledInstanceIsListedAsDisabledAndKeepsItsDataAndSecrets() throws Exception {
        Configuration configuration = Instances.create(configAdmin, "echo", "napper", Map.of("toolName", "napper"));
        PluginContext napper = Eventually.service(context, PluginContext.class, Instances.filter("napper"));
        Path data = napper.dataDirectory();
        Files.writeString(data.resolve("memory.txt"), "kept");
        napper.secrets().put("token", Secret.of("napper-secret-value"));
        Instances.awaitState(runtime, "napper", InstanceState.ACTIVE);

        configuration.update(new Hashtable<>(Map.of("toolName", "napper", "enabled", false)));
        Instances.awaitState(runtime, "napper", InstanceState.DISABLED);
        Eventually.gone(context, PluginContext.class, Instances.filter("napper"));
        assertThat(data.resolve("memory.txt")).hasContent("kept");
        assertThat(runtime.instance("napper").orElseThrow().secretKeys()).containsExactly("token");

        configuration.update(new Hashtable<>(Map.of("toolName", "napper", "enabled", true)));
        PluginContext again = Eventually.service(context, PluginContext.class, Instances.filter("napper"));
        assertThat(again.secrets().get("token")).contains(Secret.of("napper-secret-value"));

        configuration.delete();
        Eventually.until("the deleted instance's data directory is removed", () -> !Files.exists(data));
        assertThat(Files.readString(Fixtures.dataDir(context).resolve("secrets.json")))
                .doesNotContain("napper-secret-value");
    }

    @Test
    void aSecondInstanceWithAnIdInUseByAnotherPluginFailsAndTakesOverWhenTheFirstIsDeleted() throws Exception {
        Configuration first = Instances.create(configAdmin, "echo", "twin", Map.of("toolName", "twin-echo"));
        Instances.awaitState(runtime, "twin", InstanceState.ACTIVE);
        Configuration second = Instances.create(configAdmin, "faulty", "twin", Map.of("toolName", "twin-faulty"));

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
        Configuration edited = Instances.create(configAdmin, "echo", "busy", Map.of("toolName", "busy-1"));
        Configuration neighbour = Instances.create(configAdmin, "echo", "bystander", Map.of("toolName", "bystander"));
        // holding the neighbour's service keeps its (delayed) component object alive: a reload would replace it
        var bystander = new org.osgi.util.tracker.ServiceTracker<Tool, Tool>(context,
                Eventually.filter(context, Tool.class, Instances.filter("bystander")), null);
        bystander.open();
        Tool before = bystander.waitForService(Eventually.TIMEOUT.toMillis());
        int trackingCount = bystander.getTrackingCount();
        Eventually.service(context, Tool.class, Instances.filter("busy"));

        edited.update(new Hashtable<>(Map.of("toolName", "busy-2")));
        var renamed = Eventually.filter(context, Tool.class, "(&" + Instances.filter("busy") + "(toolName=busy-2))");
        Eventually.until("the edited instance has its new tool name", () -> Eventually.count(context, renamed) == 1);
        edited.update(new Hashtable<>(Map.of("toolName", "busy-2", "enabled", false)));
        Eventually.gone(context, Tool.class, Instances.filter("busy"));
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
        Configuration one = Instances.create(configAdmin, "echo", "reader-one", Map.of("toolName", "reader-one"));
        Configuration two = Instances.create(configAdmin, "faulty", "reader-two", Map.of("toolName", "reader-two"));
        PluginContext first = Eventually.service(context, PluginContext.class, Instances.filter("reader-one"));
        PluginContext second = Eventually.service(context, PluginContext.class, Instances.filter("reader-two"));
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
        Configuration holder = Instances.create(configAdmin, "echo", "name-holder", Map.of("toolName", "shared-name"));
        Instances.awaitState(runtime, "name-holder", InstanceState.ACTIVE);
        Configuration late = Instances.create(configAdmin, "echo", "name-late", Map.of("toolName", "shared-name"));

        InstanceStatus refused = Instances.awaitState(runtime, "name-late", InstanceState.FAILED);
        assertThat(refused.reason()).startsWith("tool name 'shared-name' of service")
                .contains("(instance 'name-late') is already registered by service")
                .endsWith("(instance 'name-holder')");

        holder.delete();
        Instances.awaitState(runtime, "name-late", InstanceState.ACTIVE);
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
            Configuration one = Instances.create(configAdmin, "isolated.counter", "iso-one", Map.of());
            Configuration two = Instances.create(configAdmin, "isolated.counter", "iso-two", Map.of());
            Tool first = Eventually.service(context, Tool.class, Instances.filter("iso-one"));
            Tool second = Eventually.service(context, Tool.class, Instances.filter("iso-two"));

            // each instance's class counted only its own activation
            assertThat(first.execute(Map.of(), ToolContext.NONE).text()).isEqualTo("1");
            assertThat(second.execute(Map.of(), ToolContext.NONE).text()).isEqualTo("1");
            assertThat(first.getClass()).isNotSameAs(second.getClass());
            assertThat(first.getClass().getName()).isEqualTo(second.getClass().getName());
            assertThat(Instances.awaitState(runtime, "iso-one", InstanceState.ACTIVE).bundle())
                    .isEqualTo("io.grambot.itest.fixture.isolated.instance.iso-one");

            Configuration a = Instances.create(configAdmin, "echo", "plain-a", Map.of("toolName", "plain-a"));
            Configuration b = Instances.create(configAdmin, "echo", "plain-b", Map.of("toolName", "plain-b"));
            Tool plainA = Eventually.service(context, Tool.class, Instances.filter("plain-a"));
            Tool plainB = Eventually.service(context, Tool.class, Instances.filter("plain-b"));
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

    private void awaitGone(String instanceId) throws InterruptedException {
        Eventually.until("instance '" + instanceId + "' is forgotten", () -> runtime.instance(instanceId).isEmpty());
    }

}
