package io.grambot.core.internal;

import java.util.Dictionary;

import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationPlugin;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.grambot.api.PluginConstants;

/**
 * Wires each plugin instance's configuration, as it is handed to the plugin's component, to that instance: adds the
 * instance and plugin ids (which DS propagates to every service the component publishes) and targets the
 * component's {@value PluginConstants#CONTEXT_REFERENCE} reference at the instance's own context; applies the
 * instance's overrides (see {@link SettingsOverrides}) and removes secret settings, which the component reads through
 * its context's secrets. A bot's configuration (see {@link BotComponent}) with {@code enabled=false} gets a target
 * on the bot's registries reference that no service matches, so DS does not activate a disabled bot (and
 * deactivates one that is disabled while it runs), the same way a disabled plugin instance loses its context. Nothing
 * is written to the stored configuration.
 *
 * <p>The runtime lists this plugin in {@code felix.cm.config.plugins}, so ConfigAdmin delivers no configuration
 * before it is registered.
 */
@Component(service = ConfigurationPlugin.class, property = {
        InstanceWiring.CONFIG_PLUGIN_ID_PROPERTY + "=" + InstanceWiring.CONFIG_PLUGIN_ID,
        ConfigurationPlugin.CM_RANKING + ":Integer=0" })
public final class InstanceWiring implements ConfigurationPlugin {

    static final String CONFIG_PLUGIN_ID_PROPERTY = "config.plugin.id";
    static final String CONFIG_PLUGIN_ID = "grambot.instance.wiring";

    /**
     * Context service property naming the location of the bundle that may bind it: the plugin's bundle, or the
     * instance's own copy of it for an isolated plugin.
     */
    static final String SERVING_BUNDLE = "grambot.instance.bundle";

    /** A service property no service has: the target filter of a disabled bot's registries reference names it. */
    static final String DISABLED_BOT = "grambot.bot.disabled";

    private final SettingsSchemas schemas;
    private final SettingsOverrides overrides;

    @Activate
    public InstanceWiring(BundleContext context, @Reference SettingsSchemas schemas) {
        this(schemas, SettingsOverrides.of(context));
    }

    InstanceWiring(SettingsSchemas schemas, SettingsOverrides overrides) {
        this.schemas = schemas;
        this.overrides = overrides;
    }

    @Override
    public void modifyConfiguration(ServiceReference<?> reference, Dictionary<String, Object> properties) {
        if (!(properties.get(Constants.SERVICE_PID) instanceof String pid)
                || !(properties.get("service.factoryPid") instanceof String factoryPid)) {
            return;
        }
        if (BotComponent.FACTORY_PID.equals(factoryPid)) {
            if (!SettingValues.isEnabled(properties)) {
                // a disabled bot keeps its configuration and history, but DS must not activate it: its registries
                // reference gets a target no service has, so the component stays unsatisfied until it is enabled
                properties.put(BotComponent.REGISTRIES_REFERENCE + ".target",
                        disabledBotFilter(InstanceIds.of(pid, factoryPid)));
            }
            return;
        }
        Bundle target = reference == null ? null : reference.getBundle();
        PluginDescriptor plugin = target == null ? null : PluginDescriptor.forFactoryPid(target, factoryPid);
        if (plugin == null) {
            return;
        }
        String instanceId = InstanceIds.of(pid, factoryPid);
        properties.put(PluginConstants.INSTANCE_ID, instanceId);
        properties.put(PluginConstants.PLUGIN_ID, plugin.id());
        // only the bundle the core chose binds the context: an isolated plugin's original bundle sees the
        // configuration before it moves to the instance's copy, and a second bundle declaring the same plugin
        // sees it all along
        properties.put(PluginConstants.CONTEXT_REFERENCE + ".target", contextFilter(instanceId, target.getLocation()));
        schemas.of(target, factoryPid).schema().ifPresent(schema -> {
            schema.secretKeys().forEach(properties::remove);
            SettingsOverrides.Applied applied = overrides.apply(instanceId, schema.keys(), java.util.Map.of());
            applied.origins().keySet().forEach(key -> {
                if (!schema.secretKeys().contains(key)) {
                    properties.put(key, applied.settings().get(key));
                }
            });
        });
    }

    /** The target that keeps a disabled bot's component unsatisfied; it names the bot for the console's view. */
    static String disabledBotFilter(String botId) {
        return "(" + DISABLED_BOT + "=" + escape(botId) + ")";
    }

    static String contextFilter(String instanceId) {
        return "(" + PluginConstants.INSTANCE_ID + "=" + escape(instanceId) + ")";
    }

    static String contextFilter(String instanceId, String bundleLocation) {
        return "(&" + contextFilter(instanceId) + "(" + SERVING_BUNDLE + "=" + escape(bundleLocation) + "))";
    }

    /** Escapes a value for use inside an LDAP filter. */
    static String escape(String value) {
        StringBuilder escaped = new StringBuilder(value.length());
        for (char c : value.toCharArray()) {
            if (c == '\\' || c == '(' || c == ')' || c == '*') {
                escaped.append('\\');
            }
            escaped.append(c);
        }
        return escaped.toString();
    }
}
