package io.grambot.core.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.osgi.framework.Bundle;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleRevision;

import io.grambot.api.PluginConstants;

/**
 * A plugin a bundle declares in its {@code grambot.plugin} capability.
 *
 * @param id the plugin id
 * @param name a human-readable name
 * @param description what the plugin does
 * @param factoryPid the factory PID of its instances
 * @param isolated whether each instance runs in its own copy of the bundle
 * @param bundle the declaring bundle
 */
record PluginDescriptor(String id, String name, String description, String factoryPid, boolean isolated,
        Bundle bundle) {

    /** The plugins a bundle declares; empty for ordinary bundles. */
    static List<PluginDescriptor> of(Bundle bundle) {
        BundleRevision revision = bundle.adapt(BundleRevision.class);
        if (revision == null) {
            return List.of();
        }
        List<PluginDescriptor> plugins = new ArrayList<>(1);
        for (BundleCapability capability : revision.getDeclaredCapabilities(PluginConstants.PLUGIN_NAMESPACE)) {
            Map<String, Object> attributes = capability.getAttributes();
            Object id = attributes.get(PluginConstants.PLUGIN_NAMESPACE);
            if (id instanceof String pluginId && !pluginId.isBlank()) {
                plugins.add(new PluginDescriptor(pluginId, String.valueOf(attributes.getOrDefault("name", pluginId)),
                        String.valueOf(attributes.getOrDefault("description", "")),
                        PluginConstants.factoryPid(pluginId),
                        Boolean.parseBoolean(String.valueOf(attributes.get("isolated"))), bundle));
            }
        }
        return plugins;
    }

    /** The plugin a bundle declares for a factory PID, or {@code null}. */
    static PluginDescriptor forFactoryPid(Bundle bundle, String factoryPid) {
        for (PluginDescriptor plugin : of(bundle)) {
            if (plugin.factoryPid().equals(factoryPid)) {
                return plugin;
            }
        }
        return null;
    }
}
