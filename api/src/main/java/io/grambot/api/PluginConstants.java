package io.grambot.api;

/** Service and configuration property names shared by the core and plugins. */
public final class PluginConstants {

    /** Service property carrying the instance id on every service a plugin instance publishes. */
    public static final String INSTANCE_ID = "grambot.instance.id";

    /** Service property carrying the plugin id on every service a plugin instance publishes. */
    public static final String PLUGIN_ID = "grambot.plugin.id";

    /** Configuration property that enables or disables an instance; instances are enabled unless it is {@code false}. */
    public static final String ENABLED = "enabled";

    /** The name a plugin component gives its {@link PluginContext} reference. */
    public static final String CONTEXT_REFERENCE = "pluginContext";

    /** The capability namespace in which a bundle declares the plugins it contains (see {@link GrambotPlugin}). */
    public static final String PLUGIN_NAMESPACE = "grambot.plugin";

    /** Service property naming the event type a {@link PluginEventHandler} handles; {@code *} handles all. */
    public static final String EVENT_TYPE = "grambot.event.type";

    private PluginConstants() {}

    /**
     * The factory PID of a plugin's instance configurations: the plugin id with {@code -} replaced by {@code .},
     * because configuration file names split factory PID and instance name at the first {@code -}.
     */
    public static String factoryPid(String pluginId) {
        return pluginId.replace('-', '.');
    }
}
