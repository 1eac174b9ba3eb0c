package io.grambot.itest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleListener;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;

import io.grambot.api.PluginConstants;
import io.grambot.api.runtime.InstanceState;
import io.grambot.api.runtime.InstanceStatus;
import io.grambot.api.runtime.PluginRuntime;
import io.grambot.api.tool.Tool;

/** A plugin jar dropped into deploy/ starts, replacing it updates it, removing it uninstalls it. */
@ExtendWith(BundleContextExtension.class)
@ExtendWith(ServiceExtension.class)
class HotDeployTest {

    @InjectBundleContext
    BundleContext context;

    @InjectService
    ConfigurationAdmin configAdmin;

    @InjectService
    PluginRuntime runtime;

    @Test
    void dropReplaceAndRemoveAPluginJarWithoutDisturbingOtherBundles() throws Exception {
        Configuration configuration = configAdmin.getFactoryConfiguration("echo", "hot", "?");
        configuration.update(new Hashtable<>(Map.of("toolName", "hot")));
        String filter = "(" + PluginConstants.INSTANCE_ID + "=hot)";
        List<String> stoppedOthers = new CopyOnWriteArrayList<>();
        BundleListener watcher = event -> {
            if (event.getType() == BundleEvent.STOPPING
                    && !Fixtures.ECHO_BSN.equals(event.getBundle().getSymbolicName())) {
                stoppedOthers.add(event.getBundle().getSymbolicName());
            }
        };
        context.addBundleListener(watcher);
        Path jar = Fixtures.deployDir(context).resolve("echo-plugin.jar");
        try {
            Files.createDirectories(jar.getParent());
            Files.copy(Fixtures.echoJar(context), jar);

            Tool tool = toolOrWhyNot(filter);
            assertThat(tool.name()).isEqualTo("hot");
            Bundle deployed = echoBundle().orElseThrow();
            assertThat(deployed.getState()).isEqualTo(Bundle.ACTIVE);
            long installedAt = deployed.getLastModified();

            // replace: same content, newer file; FileInstall updates the bundle in place
            Files.copy(Fixtures.echoJar(context), jar, StandardCopyOption.REPLACE_EXISTING);
            Files.setLastModifiedTime(jar, FileTime.fromMillis(System.currentTimeMillis() + 2_000));
            Eventually.until("the echo bundle is updated",
                    () -> echoBundle().map(b -> b.getLastModified() > installedAt).orElse(false));
            Tool updated = toolOrWhyNot(filter);
            assertThat(updated.name()).isEqualTo("hot");
            assertThat(echoBundle().orElseThrow().getBundleId()).isEqualTo(deployed.getBundleId());

            Files.delete(jar);
            Eventually.until("the echo bundle is uninstalled", () -> echoBundle().isEmpty());
            Eventually.gone(context, Tool.class, filter);
            assertThat(stoppedOthers).as("bundles other than the plugin that were stopped").isEmpty();
        } finally {
            context.removeBundleListener(watcher);
            Files.deleteIfExists(jar);
            configuration.delete();
        }
    }

    /**
     * Two started bundles declare the same plugin: the instances stay with the first, and when it goes the other
     * takes them (before, they were left "not installed" although a bundle declaring the plugin was running).
     */
    @Test
    void whenTheBundleHoldingAPluginGoesAnotherBundleDeclaringItTakesItsInstances() throws Exception {
        String twin = "(&(objectClass=" + Tool.class.getName() + ")(" + PluginConstants.INSTANCE_ID + "=twin))";
        Bundle first = install("itest:echo:first", "0.1.0.first");
        Bundle second = null;
        Configuration configuration = Instances.create(configAdmin, "echo", "twin", Map.of("toolName", "twin"));
        try {
            Instances.awaitState(runtime, "twin", InstanceState.ACTIVE);
            assertThat(Eventually.reference(context, twin).getBundle()).isEqualTo(first);
            second = install("itest:echo:second", "0.1.0.second");
            InstanceStatus stays = runtime.instance("twin").orElseThrow();
            assertThat(stays.state()).as(stays.reason()).isEqualTo(InstanceState.ACTIVE);

            first.uninstall();
            Bundle taking = second;
            Eventually.until("instance 'twin' is served by the second echo bundle", () -> {
                try {
                    ServiceReference<?>[] found = context.getServiceReferences((String) null, twin);
                    return found != null && Arrays.stream(found).anyMatch(r -> taking.equals(r.getBundle()));
                } catch (org.osgi.framework.InvalidSyntaxException e) {
                    throw new IllegalArgumentException(e);
                }
            });
            assertThat(Instances.awaitState(runtime, "twin", InstanceState.ACTIVE).reason()).isEmpty();
        } finally {
            configuration.delete();
            for (Bundle bundle : new Bundle[] { first, second }) {
                if (bundle != null && bundle.getState() != Bundle.UNINSTALLED) {
                    bundle.uninstall();
                }
            }
        }
    }

    /** The echo jar with another Bundle-Version (the framework takes one bundle per name and version). */
    private Bundle install(String location, String version) throws Exception {
        var copy = new java.io.ByteArrayOutputStream();
        try (var in = new java.util.jar.JarInputStream(Files.newInputStream(Fixtures.echoJar(context)))) {
            java.util.jar.Manifest manifest = in.getManifest();
            manifest.getMainAttributes().putValue("Bundle-Version", version);
            try (var out = new java.util.jar.JarOutputStream(copy, manifest)) {
                for (var entry = in.getNextJarEntry(); entry != null; entry = in.getNextJarEntry()) {
                    out.putNextEntry(new java.util.jar.JarEntry(entry.getName()));
                    in.transferTo(out);
                    out.closeEntry();
                }
            }
        }
        Bundle bundle = context.installBundle(location, new java.io.ByteArrayInputStream(copy.toByteArray()));
        bundle.start();
        return bundle;
    }

    /** The instance's tool; if it does not come, the failure says the instance's state and the echo bundle's. */
    private Tool toolOrWhyNot(String filter) throws Exception {
        try {
            return Eventually.service(context, Tool.class, filter);
        } catch (AssertionError missing) {
            throw new AssertionError(missing.getMessage() + "; instance 'hot': " + runtime.instance("hot")
                    .map(s -> s.state() + " " + s.reason()).orElse("unknown to the core") + "; echo bundles: "
                    + Arrays.stream(context.getBundles()).filter(b -> Fixtures.ECHO_BSN.equals(b.getSymbolicName()))
                            .map(b -> b.getLocation() + " state " + b.getState()).toList(), missing);
        }
    }

    private Optional<Bundle> echoBundle() {
        return Arrays.stream(context.getBundles()).filter(b -> Fixtures.ECHO_BSN.equals(b.getSymbolicName()))
                .findFirst();
    }
}
