package io.grambot.itest;

import java.io.IOException;
import java.util.Hashtable;
import java.util.Map;

import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

import io.grambot.api.PluginConstants;
import io.grambot.api.runtime.InstanceState;
import io.grambot.api.runtime.InstanceStatus;
import io.grambot.api.runtime.PluginRuntime;

/** Creating plugin instances and waiting for their state. */
final class Instances {

    private Instances() {}

    /** Creates or updates the instance {@code name} of the plugin with this factory PID. */
    static Configuration create(ConfigurationAdmin configAdmin, String factoryPid, String name,
            Map<String, Object> properties) throws Exception {
        Configuration configuration = factoryConfiguration(configAdmin, factoryPid, name);
        configuration.update(new Hashtable<>(properties));
        return configuration;
    }

    /**
     * The factory configuration {@code name}. FileInstall 3.7.4 (FELIX-6812) may have left an empty singleton with
     * the same PID when a configuration was deleted while its update event was queued; ConfigAdmin would hand that
     * out instead of a factory configuration, so it is deleted first (as the settings sync does).
     */
    static Configuration factoryConfiguration(ConfigurationAdmin configAdmin, String factoryPid, String name)
            throws IOException {
        Configuration configuration = configAdmin.getFactoryConfiguration(factoryPid, name, "?");
        if (configuration.getFactoryPid() == null && configuration.getProperties() == null) {
            configuration.delete();
            configuration = configAdmin.getFactoryConfiguration(factoryPid, name, "?");
        }
        if (!factoryPid.equals(configuration.getFactoryPid())) {
            throw new AssertionError(configuration.getPid() + " is not a factory configuration of " + factoryPid);
        }
        return configuration;
    }

    /** Waits until the instance is in the state, and returns its status. */
    static InstanceStatus awaitState(PluginRuntime runtime, String instanceId, InstanceState state)
            throws InterruptedException {
        Eventually.until("instance '" + instanceId + "' is " + state,
                () -> runtime.instance(instanceId).map(s -> s.state() == state).orElse(false));
        return runtime.instance(instanceId).orElseThrow();
    }

    /** The service filter selecting what an instance publishes. */
    static String filter(String instanceId) {
        return "(" + PluginConstants.INSTANCE_ID + "=" + instanceId + ")";
    }
}
