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
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;

import io.grambot.api.PluginConstants;
import io.grambot.api.tool.Tool;

/** A plugin jar dropped into deploy/ starts, replacing it updates it, removing it uninstalls it. */
@ExtendWith(BundleContextExtension.class)
@ExtendWith(ServiceExtension.class)
class HotDeployTest {

    @InjectBundleContext
    BundleContext context;

    @InjectService
    ConfigurationAdmin configAdmin;

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

            Tool tool = Eventually.service(context, Tool.class, filter);
            assertThat(tool.name()).isEqualTo("hot");
            Bundle deployed = echoBundle().orElseThrow();
            assertThat(deployed.getState()).isEqualTo(Bundle.ACTIVE);
            long installedAt = deployed.getLastModified();

            // replace: same content, newer file; FileInstall updates the bundle in place
            Files.copy(Fixtures.echoJar(context), jar, StandardCopyOption.REPLACE_EXISTING);
            Files.setLastModifiedTime(jar, FileTime.fromMillis(System.currentTimeMillis() + 2_000));
            Eventually.until("the echo bundle is updated",
                    () -> echoBundle().map(b -> b.getLastModified() > installedAt).orElse(false));
            Tool updated = Eventually.service(context, Tool.class, filter);
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

    private Optional<Bundle> echoBundle() {
        return Arrays.stream(context.getBundles()).filter(b -> Fixtures.ECHO_BSN.equals(b.getSymbolicName()))
                .findFirst();
    }
}
