package io.grambot.itest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Hashtable;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;
import org.osgi.test.junit5.cm.ConfigurationExtension;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ConfigurationEvent;
import org.osgi.service.cm.ConfigurationListener;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.common.annotation.Property;
import org.osgi.test.common.annotation.config.WithFactoryConfiguration;

import io.grambot.api.PluginConstants;
import io.grambot.api.PluginContext;
import io.grambot.api.Secret;
import io.grambot.api.tool.Tool;
import io.grambot.api.tool.ToolContext;

/** A plugin instance is a factory configuration; its services carry its instance id. */
@ExtendWith(BundleContextExtension.class)
@ExtendWith(EchoPlugin.class)
@ExtendWith(ServiceExtension.class)
@ExtendWith(ConfigurationExtension.class)
class PluginInstanceTest {


    @InjectBundleContext
    BundleContext context;

    @InjectService
    ConfigurationAdmin configAdmin;

    @Test
    @WithFactoryConfiguration(factoryPid = "echo", name = "annotated", location = "?", properties = {
            @Property(key = "toolName", value = "shout"), @Property(key = "prefix", value = "> ") })
    void aFactoryConfigurationCreatesAnInstanceWhoseServicesCarryItsId() throws Exception {
        String filter = "(" + PluginConstants.INSTANCE_ID + "=annotated)";
        Tool tool = Eventually.service(context, Tool.class, filter);

        assertThat(tool.name()).isEqualTo("shout");
        assertThat(tool.execute(Map.of("text", "hi"), ToolContext.NONE).text()).isEqualTo("> hi");
        ServiceReference<Tool> ref = context.getServiceReferences(Tool.class, filter).iterator().next();
        assertThat(ref.getProperty(PluginConstants.PLUGIN_ID)).isEqualTo("echo");
        assertThat(ref.getBundle()).isEqualTo(EchoPlugin.bundle(context, PluginInstanceTest.class));
    }

    @Test
    void deletingTheConfigurationUnregistersTheInstance() throws Exception {
        Configuration configuration = Instances.create(configAdmin, "echo", "shortlived", Map.of("toolName", "brief"));
        String filter = "(" + PluginConstants.INSTANCE_ID + "=shortlived)";
        Eventually.service(context, Tool.class, filter);

        configuration.delete();

        Eventually.gone(context, Tool.class, filter);
        Eventually.gone(context, PluginContext.class, filter);
    }

    @Test
    void aDisabledInstanceIsNotLoadedUntilEnabled() throws Exception {
        Configuration configuration = Instances.create(configAdmin, "echo", "sleepy", Map.of("enabled", false, "toolName", "sleepy"));
        String filter = "(" + PluginConstants.INSTANCE_ID + "=sleepy)";
        // a neighbour created afterwards becomes active, so the disabled one had every chance to load
        Configuration neighbour = Instances.create(configAdmin, "echo", "awake", Map.of("toolName", "awake"));
        Eventually.service(context, Tool.class, "(" + PluginConstants.INSTANCE_ID + "=awake)");
        assertThat(context.getServiceReferences(Tool.class, filter)).isEmpty();

        configuration.update(new Hashtable<>(Map.of("enabled", true, "toolName", "sleepy")));

        assertThat(Eventually.service(context, Tool.class, filter).name()).isEqualTo("sleepy");
        configuration.delete();
        neighbour.delete();
    }

    @Test
    void aConfigurationFileCreatesAnInstanceAndRemovingItUnloadsIt() throws Exception {
        Path file = Fixtures.etcDir(context).resolve("echo-fromfile.cfg");
        Files.createDirectories(file.getParent());
        // FileInstall writes a configuration back to its file when it hears of an update; if it hears of the
        // creation only after the file is deleted, it writes the file again. Listeners hear an event one after
        // another, in registration order, so once this (later) listener has heard it, FileInstall has too.
        CountDownLatch heard = new CountDownLatch(1);
        var listener = context.registerService(ConfigurationListener.class, event -> {
            if (event.getType() == ConfigurationEvent.CM_UPDATED && "echo~fromfile".equals(event.getPid())) {
                heard.countDown();
            }
        }, null);
        Files.writeString(file, "toolName=filed\nprefix=file:\n");
        String filter = "(" + PluginConstants.INSTANCE_ID + "=fromfile)";

        Tool tool = Eventually.service(context, Tool.class, filter);
        assertThat(tool.name()).isEqualTo("filed");
        assertThat(configAdmin.getFactoryConfiguration("echo", "fromfile", "?").getProperties().get("prefix"))
                .isEqualTo("file:");
        assertThat(heard.await(Eventually.TIMEOUT.toSeconds(), TimeUnit.SECONDS)).as("creation event heard").isTrue();
        listener.unregister();

        Files.delete(file);
        Eventually.gone(context, Tool.class, filter);
    }

    @Test
    void eachInstanceHasItsOwnDataDirectoryAndSecrets() throws Exception {
        Configuration first = Instances.create(configAdmin, "echo", "alpha", Map.of("toolName", "a"));
        Configuration second = Instances.create(configAdmin, "echo", "beta", Map.of("toolName", "b"));
        PluginContext alpha = Eventually.service(context, PluginContext.class, "(" + PluginConstants.INSTANCE_ID + "=alpha)");
        PluginContext beta = Eventually.service(context, PluginContext.class, "(" + PluginConstants.INSTANCE_ID + "=beta)");

        assertThat(alpha.dataDirectory()).isEqualTo(Fixtures.dataDir(context).resolve("plugins/alpha")).isDirectory();
        assertThat(alpha.settings()).containsEntry("toolName", "a").doesNotContainKeys("service.pid", "enabled");
        alpha.secrets().put("token", Secret.of("alpha-only-value"));
        assertThat(alpha.secrets().get("token")).contains(Secret.of("alpha-only-value"));
        assertThat(beta.secrets().get("token")).isEmpty();
        assertThat(Files.readString(Fixtures.dataDir(context).resolve("secrets.json"))).contains("alpha-only-value");

        alpha.secrets().remove("token");
        first.delete();
        second.delete();
    }
}
