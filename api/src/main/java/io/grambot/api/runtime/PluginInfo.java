package io.grambot.api.runtime;

/**
 * A plugin some installed bundle declares.
 *
 * @param id the plugin id
 * @param name its human-readable name
 * @param description what it does
 * @param factoryPid the factory PID of its instance configurations
 * @param bundle the symbolic name of the declaring bundle
 * @param bundleId the id of the declaring bundle
 */
public record PluginInfo(String id, String name, String description, String factoryPid, String bundle,
        long bundleId) {}
