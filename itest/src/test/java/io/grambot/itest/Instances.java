package io.grambot.itest;

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
        Configuration configuration = configAdmin.getFactoryConfiguration(factoryPid, name, "?");
        configuration.update(new Hashtable<>(properties));
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
