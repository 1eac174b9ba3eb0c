package io.grambot.core.internal;

import java.io.IOException;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ConfigurationEvent;
import org.osgi.service.cm.ConfigurationListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.util.tracker.BundleTracker;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.grambot.api.PluginConstants;
import io.grambot.api.PluginContext;

/**
 * Keeps one {@link PluginContext} service registered for every enabled instance of every installed plugin. A plugin
 * component binds to its instance's context (see {@link InstanceWiring}), so publishing, updating or withdrawing a
 * context loads, reconfigures or unloads exactly that instance.
 */
@Component(immediate = true, service = ConfigurationListener.class)
public final class PluginInstanceManager implements ConfigurationListener {

    static final String ENGINE_PID = "grambot.engine";

    private final BundleContext bundleContext;
    private final ConfigurationAdmin configAdmin;
    private final PluginEventQueue events;
    private final Logger log;
    private final DataLayout layout;
    private final SecretStore secrets;
    private final Map<String, PluginDescriptor> pluginsByFactoryPid = new ConcurrentHashMap<>();
    private final Map<String, Instance> instancesByPid = new HashMap<>();
    private final BundleTracker<List<PluginDescriptor>> pluginBundles;
    private volatile Map<String, Object> engineSettings = Map.of();

    @Activate
    public PluginInstanceManager(BundleContext bundleContext, @Reference ConfigurationAdmin configAdmin,
            @Reference PluginEventQueue events, @Reference(service = LoggerFactory.class) Logger log)
            throws IOException {
        this.bundleContext = bundleContext;
        this.configAdmin = configAdmin;
        this.events = events;
        this.log = log;
        this.layout = DataLayout.of(bundleContext);
        this.secrets = new SecretStore(layout.secretsFile(), new ObjectMapper());
        this.pluginBundles = new BundleTracker<>(bundleContext, Bundle.STARTING | Bundle.ACTIVE, null) {
            @Override
            public List<PluginDescriptor> addingBundle(Bundle bundle, BundleEvent event) {
                List<PluginDescriptor> plugins = PluginDescriptor.of(bundle);
                if (plugins.isEmpty()) {
                    return null;
                }
                plugins.forEach(PluginInstanceManager.this::pluginArrived);
                return plugins;
            }

            @Override
            public void removedBundle(Bundle bundle, BundleEvent event, List<PluginDescriptor> plugins) {
                plugins.forEach(PluginInstanceManager.this::pluginLeft);
            }
        };
        reconcileEngineSettings();
        pluginBundles.open();
    }

    @Deactivate
    synchronized void deactivate() {
        pluginBundles.close();
        instancesByPid.values().forEach(Instance::unregister);
        instancesByPid.clear();
    }

    @Override
    public void configurationEvent(ConfigurationEvent event) {
        if (ENGINE_PID.equals(event.getPid())) {
            reconcileEngineSettings();
        } else if (event.getFactoryPid() != null && pluginsByFactoryPid.containsKey(event.getFactoryPid())) {
            reconcile(event.getPid(), event.getFactoryPid());
        }
    }

    private void pluginArrived(PluginDescriptor plugin) {
        PluginDescriptor previous = pluginsByFactoryPid.putIfAbsent(plugin.factoryPid(), plugin);
        if (previous != null && previous.bundle() != plugin.bundle()) {
            log.error("plugin '{}' is declared by both {} and {}; instances stay with {}", plugin.id(),
                    previous.bundle().getSymbolicName(), plugin.bundle().getSymbolicName(),
                    previous.bundle().getSymbolicName());
            return;
        }
        for (Configuration configuration : list("(service.factoryPid=" + InstanceWiring.escape(plugin.factoryPid()) + ")")) {
            reconcile(configuration.getPid(), plugin.factoryPid());
        }
    }

    private synchronized void pluginLeft(PluginDescriptor plugin) {
        if (!pluginsByFactoryPid.remove(plugin.factoryPid(), plugin)) {
            return;
        }
        instancesByPid.values().removeIf(instance -> {
            if (instance.context.pluginId().equals(plugin.id())) {
                instance.unregister();
                return true;
            }
            return false;
        });
    }

    /** Brings the context of one configuration in line with its current properties. */
    private synchronized void reconcile(String pid, String factoryPid) {
        PluginDescriptor plugin = pluginsByFactoryPid.get(factoryPid);
        List<Configuration> found = list("(" + Constants.SERVICE_PID + "=" + InstanceWiring.escape(pid) + ")");
        Dictionary<String, Object> properties = found.isEmpty() ? null : found.get(0).getProperties();
        Instance current = instancesByPid.get(pid);
        if (plugin == null || properties == null || !enabled(properties)) {
            if (current != null) {
                current.unregister();
                instancesByPid.remove(pid);
            }
            return;
        }
        Map<String, Object> settings = settings(properties);
        if (current != null) {
            current.context.updateSettings(settings);
            return;
        }
        String instanceId = InstanceIds.of(pid, factoryPid);
        try {
            InstanceIds.checkInstanceId(instanceId);
        } catch (IllegalArgumentException e) {
            log.error("instance {} of plugin '{}' is not loaded: {}", pid, plugin.id(), e.getMessage());
            return;
        }
        InstanceContext context = new InstanceContext(instanceId, plugin.id(), settings,
                layout.instanceDirectory(instanceId), secrets.forInstance(instanceId), events,
                () -> engineSettings);
        Hashtable<String, Object> serviceProperties = new Hashtable<>();
        serviceProperties.put(PluginConstants.INSTANCE_ID, instanceId);
        serviceProperties.put(PluginConstants.PLUGIN_ID, plugin.id());
        serviceProperties.put("service.description", "Grambot plugin instance " + plugin.id() + "/" + instanceId);
        instancesByPid.put(pid, new Instance(context,
                bundleContext.registerService(PluginContext.class, context, serviceProperties)));
        log.info("instance '{}' of plugin '{}' is enabled", instanceId, plugin.id());
    }

    private void reconcileEngineSettings() {
        List<Configuration> found = list("(" + Constants.SERVICE_PID + "=" + ENGINE_PID + ")");
        Dictionary<String, Object> properties = found.isEmpty() ? null : found.get(0).getProperties();
        engineSettings = properties == null ? Map.of() : settings(properties);
    }

    private List<Configuration> list(String filter) {
        try {
            Configuration[] configurations = configAdmin.listConfigurations(filter);
            return configurations == null ? List.of() : List.of(configurations);
        } catch (IOException | InvalidSyntaxException e) {
            log.error("cannot list configurations {}: {}", filter, e.toString());
            return List.of();
        }
    }

    private static boolean enabled(Dictionary<String, Object> properties) {
        Object enabled = properties.get(PluginConstants.ENABLED);
        return enabled == null || !"false".equalsIgnoreCase(String.valueOf(enabled));
    }

    /** A configuration's own settings: without framework, wiring and bookkeeping properties. */
    static Map<String, Object> settings(Dictionary<String, Object> properties) {
        Map<String, Object> settings = new HashMap<>();
        for (Enumeration<String> keys = properties.keys(); keys.hasMoreElements();) {
            String key = keys.nextElement();
            if (key.startsWith("service.") || key.startsWith("felix.") || key.startsWith("component.")
                    || key.startsWith("grambot.") || key.endsWith(".target") || key.equals(PluginConstants.ENABLED)) {
                continue;
            }
            settings.put(key, jsonLike(properties.get(key)));
        }
        return settings;
    }

    private static Object jsonLike(Object value) {
        if (value != null && value.getClass().isArray()) {
            List<Object> list = new ArrayList<>();
            for (int i = 0; i < Array.getLength(value); i++) {
                list.add(Array.get(value, i));
            }
            return List.copyOf(list);
        }
        return value;
    }

    private record Instance(InstanceContext context, ServiceRegistration<PluginContext> registration) {
        void unregister() {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the framework unregistered it while stopping the core bundle
            }
        }
    }
}
