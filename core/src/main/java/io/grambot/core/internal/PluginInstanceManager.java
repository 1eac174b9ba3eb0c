package io.grambot.core.internal;

import java.io.IOException;
import java.lang.reflect.Array;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleListener;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.wiring.BundleRequirement;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ConfigurationEvent;
import org.osgi.service.cm.ConfigurationListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.util.tracker.BundleTracker;


import io.grambot.api.ConnectionTest;
import io.grambot.api.ConnectionTestResult;
import io.grambot.api.PluginConstants;
import io.grambot.api.PluginContext;
import io.grambot.api.PluginException;
import io.grambot.api.runtime.InstanceState;
import io.grambot.api.runtime.InstanceStatus;
import io.grambot.api.runtime.PluginInfo;
import io.grambot.api.runtime.PluginRuntime;

/**
 * Keeps one {@link PluginContext} service registered for every enabled, valid instance of every installed plugin,
 * and knows the state of every instance configuration. A plugin component binds to its instance's context (see
 * {@link InstanceWiring}), so publishing, updating or withdrawing a context loads, reconfigures or unloads exactly
 * that instance.
 *
 * <p>An instance configuration is a factory configuration whose factory PID a plugin declares, or one that names
 * its plugin in {@value PluginConstants#PLUGIN_ID} (so instances of a plugin that is not installed are still
 * listed, as failed). Deleting the configuration is the explicit delete that removes the instance's data directory
 * and secrets; disabling keeps them.
 */
@Component(immediate = true, service = { ConfigurationListener.class, PluginRuntime.class, ConfigurationSaves.class })
public final class PluginInstanceManager implements ConfigurationListener, PluginRuntime, ConfigurationSaves {

    static final String ENGINE_PID = "grambot.engine";

    /** How secret values are shown, and a value a form may send back meaning "unchanged". */
    static final String MASK = "********";

    /** The revision Felix ConfigAdmin writes into each stored configuration. */
    private static final String FELIX_REVISION = ":org.apache.felix.configadmin.revision:";

    /** The property FileInstall keeps in a configuration it read from a file (and writes edits back to). */
    private static final String FILEINSTALL_FILENAME = "felix.fileinstall.filename";

    private final BundleContext bundleContext;
    private final ConfigurationAdmin configAdmin;
    private final PluginEventQueue events;
    private final ServiceComponentRuntime scr;
    private final Registries registries;
    private final SettingsSchemas schemas;
    private final SettingsFileSync settingsFile;
    private final SettingsOverrides overrides;
    private final Logger log;
    private final DataLayout layout;
    private final SecretStore secrets;
    private final IsolatedCopies copies;
    private final Map<String, PluginDescriptor> pluginsByFactoryPid = new ConcurrentHashMap<>();
    /** Every instance configuration seen, by PID; guarded by {@code this}. */
    private final Map<String, Known> knownByPid = new HashMap<>();
    /**
     * Which configuration owns an instance id (its data directory and secrets). Written under the manager's lock;
     * concurrent, because {@link #saved} reads it without.
     */
    private final Map<String, String> ownerPidByInstanceId = new ConcurrentHashMap<>();
    /**
     * The change count of the newest save of each instance configuration whose secrets {@link #saved} stored: a
     * save is written to the store (and told) before ConfigAdmin's in-memory configuration shows it.
     */
    private final Map<String, Long> savedChangeCounts = new ConcurrentHashMap<>();
    /** The revision of each etc/ configuration whose file lost its secret lines, until FileInstall reads it back. */
    private final Map<String, Long> filesRewrittenAt = new ConcurrentHashMap<>();

    private final BundleTracker<List<PluginDescriptor>> pluginBundles;
    private final BundleTracker<Dormant> dormantBundles;
    /** Plugins declared by bundles that are installed but not started, by factory PID. */
    private final Map<String, PluginDescriptor> dormantByFactoryPid = new ConcurrentHashMap<>();
    private final Map<Bundle, Dormant> dormantByBundle = new ConcurrentHashMap<>();
    private final FrameworkWiring frameworkWiring;
    /** Tries to resolve installed plugin bundles that have instances; off every lock and event thread. */
    private final ExecutorService resolver = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "grambot-resolve");
        thread.setDaemon(true);
        return thread;
    });
    /** Another bundle installed or resolved may provide what a plugin bundle lacked: it is tried again. */
    private final BundleListener retryUnresolved = event -> {
        if (event.getType() == BundleEvent.INSTALLED || event.getType() == BundleEvent.RESOLVED) {
            retryUnresolved(event.getBundle());
        }
    };
    private final LeftoverThreads leftovers;
    /** Configurations waiting to be reconciled, PID to factory PID, in event order; guarded by itself. */
    private final Map<String, String> pending = new LinkedHashMap<>();
    private final ExecutorService reconciler = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "grambot-instances");
        thread.setDaemon(true);
        return thread;
    });
    private volatile Map<String, Object> engineSettings = Map.of();
    /** The most time a connection test may take. */
    static final java.time.Duration CONNECTION_TEST_LIMIT = java.time.Duration.ofSeconds(30);
    private final Map<String, ConnectionTestResult> lastTests = new ConcurrentHashMap<>();
    /**
     * Registers and unregisters instance contexts, each instance in its own order (see {@link Known#publish}):
     * registering a context activates the plugin's component on the registering thread, and a component that hangs
     * in activation must hold up only its own instance, not the manager's lock or thread.
     */
    private final ExecutorService publisher = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "grambot-instance-publish");
        thread.setDaemon(true);
        return thread;
    });
    private final ExecutorService connectionTests = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "grambot-connection-test");
        thread.setDaemon(true);
        return thread;
    });

    @Activate
    public PluginInstanceManager(BundleContext bundleContext, @Reference ConfigurationAdmin configAdmin,
            @Reference PluginEventQueue events, @Reference ServiceComponentRuntime scr, @Reference Registries registries,
            @Reference SettingsSchemas schemas, @Reference SettingsFileSync settingsFile, @Reference SecretStore secrets,
            @Reference(service = LoggerFactory.class) Logger log) {
        this.settingsFile = settingsFile;
        this.registries = registries;
        this.schemas = schemas;
        this.overrides = SettingsOverrides.of(bundleContext);
        this.bundleContext = bundleContext;
        this.configAdmin = configAdmin;
        this.events = events;
        this.scr = scr;
        this.log = log;
        this.layout = DataLayout.of(bundleContext);
        this.secrets = secrets;
        this.copies = new IsolatedCopies(bundleContext);
        this.pluginBundles = new BundleTracker<>(bundleContext, Bundle.STARTING | Bundle.ACTIVE, null) {
            @Override
            public List<PluginDescriptor> addingBundle(Bundle bundle, BundleEvent event) {
                List<PluginDescriptor> plugins = IsolatedCopies.isCopy(bundle) ? List.of() : PluginDescriptor.of(bundle);
                if (plugins.isEmpty()) {
                    return null;
                }
                plugins.forEach(PluginInstanceManager.this::pluginArrived);
                return plugins;
            }

            @Override
            public void removedBundle(Bundle bundle, BundleEvent event, List<PluginDescriptor> plugins) {
                plugins.forEach(PluginInstanceManager.this::pluginLeft);
                leftovers.watch(bundle, plugins.stream().map(PluginDescriptor::factoryPid).toList());
            }
        };
        this.leftovers = new LeftoverThreads(log);
        this.frameworkWiring = bundleContext.getBundle(Constants.SYSTEM_BUNDLE_LOCATION).adapt(FrameworkWiring.class);
        // plugin bundles that are installed but not resolved (or resolved but not started): their instances say so
        this.dormantBundles = new BundleTracker<>(bundleContext, Bundle.INSTALLED | Bundle.RESOLVED, null) {
            @Override
            public Dormant addingBundle(Bundle bundle, BundleEvent event) {
                List<PluginDescriptor> plugins = IsolatedCopies.isCopy(bundle) ? List.of() : PluginDescriptor.of(bundle);
                if (plugins.isEmpty()) {
                    return null;
                }
                Dormant dormant = new Dormant(bundle, plugins);
                dormant.stopped = event != null && event.getType() == BundleEvent.STOPPED;
                dormantByBundle.put(bundle, dormant);
                plugins.forEach(plugin -> dormantByFactoryPid.put(plugin.factoryPid(), plugin));
                plugins.forEach(plugin -> reconcileInstancesOf(plugin.factoryPid()));
                return dormant;
            }

            @Override
            public void modifiedBundle(Bundle bundle, BundleEvent event, Dormant dormant) {
                if (event != null && (event.getType() == BundleEvent.UNRESOLVED
                        || event.getType() == BundleEvent.UPDATED) && dormant.forgetAttempt()) {
                    attemptResolve(dormant); // a new revision, or refreshed: what was found no longer holds
                }
            }

            @Override
            public void removedBundle(Bundle bundle, BundleEvent event, Dormant dormant) {
                dormantByBundle.remove(bundle, dormant);
                dormantLeft(dormant);
            }
        };
        reconcileEngineSettings();
        // instances that name their plugin are known even before (or without) the plugin's bundle
        for (Listed listed : listed("(" + PluginConstants.PLUGIN_ID + "=*)")) {
            if (listed.factoryPid() != null) {
                reconcile(listed.pid(), listed.factoryPid(), listed.properties());
            }
        }
        bundleContext.addBundleListener(retryUnresolved);
        pluginBundles.open();
        dormantBundles.open();
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        connectionTests.shutdownNow();
        reconciler.shutdown();
        reconciler.awaitTermination(10, TimeUnit.SECONDS); // outside the lock: the reconciler may be waiting for it
        leftovers.close();
        bundleContext.removeBundleListener(retryUnresolved);
        resolver.shutdownNow();
        synchronized (this) {
            dormantBundles.close();
            pluginBundles.close();
            knownByPid.values().forEach(Known::unregister);
            knownByPid.clear();
        }
        publisher.shutdown();
        // a context whose component hangs in activation is unregistered by the framework as the core stops
        publisher.awaitTermination(5, TimeUnit.SECONDS);
    }

    /**
     * Queues the configuration for reconciling on the manager's own thread: ConfigAdmin delivers events to every
     * listener on one thread, which must not wait for plugin components to start. Events of one PID coalesce.
     */
    @Override
    public void configurationEvent(ConfigurationEvent event) {
        if (ENGINE_PID.equals(event.getPid())) {
            reconcileEngineSettings();
        } else if (event.getFactoryPid() != null) {
            boolean idle;
            synchronized (pending) {
                idle = pending.isEmpty();
                pending.put(event.getPid(), event.getFactoryPid());
            }
            if (idle) {
                reconciler.execute(this::reconcilePending);
            }
        }
    }

    private void reconcilePending() {
        while (true) {
            Map<String, String> batch;
            synchronized (pending) {
                if (pending.isEmpty()) {
                    return;
                }
                batch = new LinkedHashMap<>(pending);
                pending.clear();
            }
            // one listing for a burst (1,000 instances at once) instead of one per configuration
            Map<String, Dictionary<String, Object>> current = new HashMap<>();
            if (batch.size() > 1) {
                listed("(service.factoryPid=*)").forEach(listed -> current.put(listed.pid(), listed.properties()));
            }
            batch.forEach((pid, factoryPid) -> {
                try {
                    reconcile(pid, factoryPid, batch.size() > 1 ? current.get(pid) : properties(pid));
                } catch (RuntimeException e) {
                    log.error("configuration {} could not be reconciled: {}", pid, e.toString());
                }
            });
        }
    }

    private void pluginArrived(PluginDescriptor plugin) {
        leftovers.forget(plugin.factoryPid());
        PluginDescriptor previous = pluginsByFactoryPid.putIfAbsent(plugin.factoryPid(), plugin);
        if (previous != null && previous.bundle() != plugin.bundle()) {
            log.error("plugin '{}' is declared by both {} and {}; instances stay with {}", plugin.id(),
                    previous.bundle().getSymbolicName(), plugin.bundle().getSymbolicName(),
                    previous.bundle().getSymbolicName());
            return;
        }
        for (Listed listed : listed("(service.factoryPid=" + InstanceWiring.escape(plugin.factoryPid()) + ")")) {
            reconcile(listed.pid(), plugin.factoryPid(), listed.properties());
        }
    }

    private void reconcileInstancesOf(String factoryPid) {
        for (Listed listed : listed("(service.factoryPid=" + InstanceWiring.escape(factoryPid) + ")")) {
            reconcile(listed.pid(), factoryPid, listed.properties());
        }
    }

    /**
     * A dormant plugin bundle started (the plugin tracker takes its instances on) or was uninstalled: its instances
     * are not reconciled while it starts, as they would be shown as not installed until the plugin arrives.
     */
    private void dormantLeft(Dormant dormant) {
        for (PluginDescriptor plugin : dormant.plugins) {
            if (!dormantByFactoryPid.remove(plugin.factoryPid(), plugin)
                    || dormant.bundle.getState() != Bundle.UNINSTALLED) {
                continue;
            }
            synchronized (this) {
                for (Known known : knownByPid.values()) {
                    if (known.factoryPid.equals(plugin.factoryPid()) && known.problem == null
                            && !pluginsByFactoryPid.containsKey(plugin.factoryPid())) {
                        known.problem = "plugin '" + plugin.id() + "' is not installed: bundle "
                                + dormant.bundle.getSymbolicName() + " was removed";
                    }
                }
            }
        }
    }

    /**
     * Asks the framework once to resolve an installed plugin bundle whose plugin has instances: its instances are
     * shown as failing only once an attempt failed, not while the bundle waits for whoever installed it to start it
     * (FileInstall installs, then starts, a jar dropped into deploy/).
     */
    private void attemptResolve(Dormant dormant) {
        if (dormant.bundle.getState() != Bundle.INSTALLED || frameworkWiring == null || !dormant.claimAttempt()) {
            return;
        }
        try {
            resolver.execute(() -> {
                if (dormant.bundle.getState() != Bundle.INSTALLED) {
                    return;
                }
                boolean resolved = frameworkWiring.resolveBundles(List.of(dormant.bundle));
                if (!resolved && dormant.bundle.getState() == Bundle.INSTALLED) {
                    dormant.unresolved = missingRequirements(dormant.bundle);
                    log.error("bundle {} cannot be resolved{}; instances of its plugins {} are not loaded",
                            dormant.bundle.getSymbolicName(),
                            dormant.unresolved.isEmpty() ? "" : ": " + dormant.unresolved,
                            dormant.plugins.stream().map(PluginDescriptor::id).toList());
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            // the core is stopping
        }
    }

    private void retryUnresolved(Bundle installed) {
        for (Dormant dormant : dormantByBundle.values()) {
            if (dormant.bundle != installed && dormant.unresolved != null && dormant.forgetAttempt()) {
                attemptResolve(dormant);
            }
        }
    }

    /** The mandatory requirements of a bundle that nothing installed provides, e.g. a package no bundle exports. */
    private String missingRequirements(Bundle bundle) {
        List<String> missing = new ArrayList<>();
        BundleRevision revision = bundle.adapt(BundleRevision.class);
        if (revision != null) {
            for (BundleRequirement requirement : revision.getDeclaredRequirements(null)) {
                Map<String, String> directives = requirement.getDirectives();
                if ("optional".equals(directives.get(Constants.RESOLUTION_DIRECTIVE))
                        || !Constants.EFFECTIVE_RESOLVE.equals(directives.getOrDefault(Constants.EFFECTIVE_DIRECTIVE,
                                Constants.EFFECTIVE_RESOLVE))) {
                    continue;
                }
                if (frameworkWiring.findProviders(requirement).isEmpty()) {
                    missing.add("nothing provides " + requirement.getNamespace() + " "
                            + directives.getOrDefault(Constants.FILTER_DIRECTIVE, ""));
                }
            }
        }
        return String.join("; ", missing);
    }

    /**
     * Where the instance of a plugin whose bundle is installed but not started stands, read from the bundle now:
     * failed once the framework could not resolve it or after it was stopped, loading while it is on its way up.
     */
    private Condition dormantCondition(PluginDescriptor plugin) {
        Bundle bundle = plugin.bundle();
        Dormant dormant = dormantByBundle.get(bundle);
        String declared = "plugin '" + plugin.id() + "' is declared by bundle " + bundle.getSymbolicName();
        int state = bundle.getState();
        if (dormant == null || (state & (Bundle.INSTALLED | Bundle.RESOLVED)) == 0) {
            return new Condition(InstanceState.LOADING, "waiting for plugin '" + plugin.id() + "'");
        }
        if (state == Bundle.INSTALLED) {
            String unresolved = dormant.unresolved;
            if (unresolved == null) {
                return new Condition(InstanceState.LOADING, declared + ", which is not resolved yet");
            }
            return new Condition(InstanceState.FAILED, declared + ", which is not resolved"
                    + (unresolved.isEmpty() ? " (the framework refused it; see its log)" : ": " + unresolved));
        }
        if (dormant.stopped) {
            return new Condition(InstanceState.FAILED, declared + ", which is resolved but not started: it was"
                    + " stopped");
        }
        return new Condition(InstanceState.LOADING, declared + ", which is resolved but not started yet");
    }

    private synchronized void pluginLeft(PluginDescriptor plugin) {
        if (!pluginsByFactoryPid.remove(plugin.factoryPid(), plugin)) {
            return;
        }
        schemas.forget(plugin.bundle());
        for (Known known : List.copyOf(knownByPid.values())) {
            if (known.factoryPid.equals(plugin.factoryPid())) {
                unload(known, plugin);
                known.problem = "plugin '" + plugin.id() + "' is not installed: bundle "
                        + plugin.bundle().getSymbolicName() + " stopped or was removed";
            }
        }
        // another started bundle declaring the plugin (refused while this one held it) takes its instances now
        pluginBundles.getTracked().entrySet().stream().filter(tracked -> tracked.getKey() != plugin.bundle())
                .flatMap(tracked -> tracked.getValue().stream())
                .filter(other -> other.factoryPid().equals(plugin.factoryPid())).findFirst()
                .ifPresent(this::pluginArrived);
    }

    /** Brings one configuration's instance in line with its properties ({@code null}: it was deleted). */
    private synchronized void reconcile(String pid, String factoryPid, Dictionary<String, Object> properties) {
        if (properties == null) {
            deleted(pid);
            return;
        }
        PluginDescriptor plugin = pluginsByFactoryPid.get(factoryPid);
        PluginDescriptor dormant = plugin == null ? dormantByFactoryPid.get(factoryPid) : null;
        Object declared = properties.get(PluginConstants.PLUGIN_ID);
        if (plugin == null && dormant == null && !(declared instanceof String)) {
            return; // some other factory configuration
        }
        String pluginId = plugin != null ? plugin.id() : dormant != null ? dormant.id() : (String) declared;
        Known known = knownByPid.computeIfAbsent(pid,
                p -> new Known(p, factoryPid, InstanceIds.of(p, factoryPid), pluginId));
        known.settings = settings(properties);
        known.enabled = SettingValues.isEnabled(properties);
        known.problem = null;

        String owner = ownerPidByInstanceId.putIfAbsent(known.instanceId, pid);
        if (owner != null && !owner.equals(pid)) {
            fail(known, plugin, "instance id '" + known.instanceId + "' is already used by configuration " + owner
                    + "; instance ids must be unique across plugins (they name the data directory and secrets)");
            return;
        }
        if (!known.enabled) {
            unload(known, plugin);
            return;
        }
        if (plugin == null && dormant != null) {
            unload(known, null); // its state is read from the bundle (see dormantCondition)
            Dormant tracked = dormantByBundle.get(dormant.bundle());
            if (tracked != null) {
                attemptResolve(tracked);
            }
            return;
        }
        if (plugin == null) {
            fail(known, null, "plugin '" + pluginId + "' is not installed: no bundle declares it");
            return;
        }
        try {
            InstanceIds.checkInstanceId(known.instanceId);
        } catch (IllegalArgumentException e) {
            fail(known, plugin, e.getMessage());
            return;
        }
        Prepared prepared = prepare(known, plugin);
        if (prepared != null) {
            load(known, plugin, prepared);
        }
    }

    /** What an instance starts with: its validated settings and the secrets its overrides give. */
    private record Prepared(Map<String, Object> settings, Map<String, String> overriddenSecrets) {}

    /**
     * Moves secret settings out of the configuration, then validates what the plugin will see (configuration,
     * stored secrets, overrides, defaults) against the plugin's declaration; {@code null} if the instance failed.
     */
    private Prepared prepare(Known known, PluginDescriptor plugin) {
        SettingsSchemas.Declared declaration = schemas.of(plugin.bundle(), known.factoryPid);
        if (declaration.error() != null) {
            fail(known, plugin, declaration.error());
            return null;
        }
        if (declaration.schema().isEmpty()) {
            return new Prepared(known.settings, Map.of());
        }
        SettingsSchema schema = declaration.schema().get();
        List<String> marked = schema.secretKeys().stream().filter(key -> MASK.equals(known.settings.get(key)))
                .toList();
        if (!moveSecrets(known, plugin, schema)) {
            return null;
        }
        Map<String, Object> raw = new HashMap<>(known.settings);
        for (String key : schema.secretKeys()) {
            secrets.get(known.instanceId, key).ifPresent(value -> raw.put(key, value));
        }
        SettingsOverrides.Applied applied = overrides.apply(known.instanceId, schema.keys(), raw);
        for (String key : marked) {
            if (!applied.settings().containsKey(key)) {
                fail(known, plugin, "instance '" + known.instanceId + "' of plugin '" + plugin.id() + "': secret "
                        + "setting '" + key + "' is marked as stored (" + MASK + ") but the secrets store holds no "
                        + "value for it; enter it again (the console, or '" + key + "=<value>' in the file)");
                return null;
            }
        }
        Validation validation = schema.validate(plugin.id(), known.instanceId, applied.settings());
        if (!validation.isValid()) {
            fail(known, plugin, validation.message());
            return null;
        }
        Map<String, Object> settings = new HashMap<>(validation.settings());
        schema.secretKeys().forEach(settings::remove);
        settings.remove(PluginConstants.ENABLED); // bookkeeping, even where the plugin declares it
        Map<String, String> overriddenSecrets = new HashMap<>();
        applied.origins().keySet().stream().filter(schema.secretKeys()::contains)
                .forEach(key -> overriddenSecrets.put(key, String.valueOf(applied.settings().get(key))));
        return new Prepared(settings, overriddenSecrets);
    }

    /** Publishes the instance's context (in its own bundle copy if the plugin is isolated), or updates it. */
    private void load(Known known, PluginDescriptor plugin, Prepared prepared) {
        if (known.context != null && known.context.hasSecretOverrides(prepared.overriddenSecrets())) {
            known.context.updateSettings(prepared.settings());
            return;
        }
        known.unregister(); // a secret's override changed: the instance starts again with the new one
        try {
            if (plugin.isolated()) {
                // bind the configuration first, so the copy receives it once, as it starts
                String location = IsolatedCopies.location(plugin, known.instanceId);
                Configuration configuration = configAdmin.getConfiguration(known.pid, null);
                if (!location.equals(configuration.getBundleLocation())) {
                    configuration.setBundleLocation(location);
                }
                known.copy = copies.ensure(plugin, known.instanceId);
            }
        } catch (Exception e) {
            fail(known, plugin, "cannot install the instance's own copy of bundle "
                    + plugin.bundle().getSymbolicName() + ": " + e.getMessage());
            return;
        }
        secrets.useOverrides(known.instanceId, prepared.overriddenSecrets());
        known.context = new InstanceContext(known.instanceId, plugin.id(), prepared.settings(),
                layout.instanceDirectory(known.instanceId), secrets.forInstance(known.instanceId),
                prepared.overriddenSecrets(), events, () -> engineSettings);
        Hashtable<String, Object> serviceProperties = new Hashtable<>();
        serviceProperties.put(PluginConstants.INSTANCE_ID, known.instanceId);
        serviceProperties.put(PluginConstants.PLUGIN_ID, plugin.id());
        Bundle serving = known.copy != null ? known.copy : plugin.bundle();
        serviceProperties.put(InstanceWiring.SERVING_BUNDLE, serving.getLocation());
        serviceProperties.put("service.description", "Grambot plugin instance " + plugin.id() + "/" + known.instanceId);
        known.publish(bundleContext, known.context, serviceProperties, publisher, log,
                () -> scrHasConfiguration(serving, known.factoryPid, known.instanceId));
        log.info("instance '{}' of plugin '{}' is enabled", known.instanceId, plugin.id());
    }

    @Override
    public void removed(String pid) {
        // a configuration made again with this PID counts its revisions from the start
        savedChangeCounts.remove(pid);
        filesRewrittenAt.remove(pid);
    }

    /**
     * Stores the secrets a configuration carries as ConfigAdmin writes it, in the thread of the update and with
     * that revision's values, before {@code update} returns to whoever saved it. Moving them out of the
     * configuration happens later, on the reconciling thread ({@link #moveSecrets}), and ConfigAdmin has no
     * compare-and-set: a save landing while the last one was moved out could be written over before the move saw it
     * (a secret typed twice in a row; FileInstall reading back its own write), and its value was lost. Only for
     * instances whose configuration already owns its id: a new one has no earlier save to race with, and a
     * duplicate must not touch the owner's secrets. Never fails the write.
     */
    @Override
    public void saved(String pid, Dictionary<String, ?> properties) {
        if (!(properties.get(ConfigurationAdmin.SERVICE_FACTORYPID) instanceof String factoryPid)) {
            return;
        }
        PluginDescriptor plugin = pluginsByFactoryPid.get(factoryPid);
        String instanceId = InstanceIds.of(pid, factoryPid);
        if (plugin == null || !pid.equals(ownerPidByInstanceId.get(instanceId))) {
            return;
        }
        // Felix stores the revision the configuration had before this update: its change count is one more
        if (properties.get(FELIX_REVISION) instanceof Number before) {
            savedChangeCounts.merge(pid, before.longValue() + 1, Math::max);
        }
        try {
            Optional<SettingsSchema> schema = schemas.of(plugin.bundle(), factoryPid).schema();
            if (schema.isEmpty()) {
                return;
            }
            for (Map.Entry<String, String> secret : typedSecrets(properties::get, schema.get()).entrySet()) {
                secrets.put(instanceId, secret.getKey(), secret.getValue());
            }
        } catch (PluginException | RuntimeException e) {
            // the move on the reconciling thread tries again, and fails the instance with the reason if it must
            log.warn("the secrets of configuration {} could not be stored as it was saved: {}", pid, e.toString());
        }
    }

    /**
     * Moves the values of secret settings (Metatype password type) out of the configuration into the secrets
     * store, and rewrites the configuration without them; the rewrite comes back as an update. Returns whether
     * reconciling may go on.
     */
    private boolean moveSecrets(Known known, PluginDescriptor plugin, SettingsSchema schema) {
        if (schema.secretKeys().stream().noneMatch(known.settings::containsKey)) {
            return true;
        }
        Map<String, String> found = Map.of();
        try {
            Configuration configuration = configAdmin.getConfiguration(known.pid, null);
            // a save that lands while this one is moved out holds a newer value: store that one, and remove the
            // secrets only from the revision whose values were stored (writing the secrets store takes a while)
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (true) {
                long revision = configuration.getChangeCount();
                Dictionary<String, Object> properties = configuration.getProperties();
                if (properties == null) {
                    break; // deleted meanwhile
                }
                found = typedSecrets(properties::get, schema);
                if (revision >= savedChangeCounts.getOrDefault(known.pid, 0L)) {
                    for (Map.Entry<String, String> secret : found.entrySet()) {
                        secrets.put(known.instanceId, secret.getKey(), secret.getValue());
                    }
                } // else a newer save is being written, and stored its own secrets as it was
                if (configuration.getChangeCount() != revision
                        || savedChangeCounts.getOrDefault(known.pid, 0L) > revision) {
                    if (System.nanoTime() - deadline > 0) {
                        // the newer save's own update comes back to this method and moves its secrets then
                        log.warn("configuration {} changes faster than its secrets can be moved out; trying again "
                                + "with its next change", known.pid);
                        break;
                    }
                    // not written over: look again once ConfigAdmin shows the newer save
                    java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
                } else {
                    List<String> given = schema.secretKeys().stream().filter(key -> properties.get(key) != null)
                            .toList();
                    schema.secretKeys().forEach(properties::remove);
                    boolean marker = properties.get(FILEINSTALL_FILENAME) != null && !hasSettings(properties);
                    if (marker) {
                        // FileInstall would write the file back empty: keep a line saying the secret is stored
                        given.forEach(key -> properties.put(key, MASK));
                    }
                    if (Long.valueOf(revision).equals(filesRewrittenAt.get(known.pid))) {
                        break; // its file is rewritten already; FileInstall reads it back in a moment
                    }
                    if (EtcFiles.removeSecrets(properties.get(FILEINSTALL_FILENAME), given, marker)) {
                        // the file loses its secret lines, atomically, and FileInstall reads it back into the
                        // configuration: updating the configuration instead makes FileInstall write the file in
                        // place while its scanner may read it half-written, and it then empties the instance's
                        // settings, in the file and the configuration both (seen under load)
                        filesRewrittenAt.put(known.pid, revision);
                        break;
                    }
                    configuration.updateIfDifferent(properties);
                    break;
                }
            }
        } catch (PluginException | IOException e) {
            fail(known, plugin, "cannot move secret settings " + schema.secretKeys()
                    + " into the secrets store: " + e.getMessage());
            return false;
        }
        if (!found.isEmpty()) {
            log.info("moved secret settings {} of instance '{}' into the secrets store", found.keySet(),
                    known.instanceId);
        }
        Map<String, Object> rest = new HashMap<>(known.settings);
        schema.secretKeys().forEach(rest::remove);
        known.settings = rest;
        return true;
    }

    /** Whether a configuration holds any setting, rather than only bookkeeping ({@link SettingValues#isBookkeeping}). */
    private static boolean hasSettings(Dictionary<String, Object> properties) {
        return Collections.list(properties.keys()).stream().anyMatch(key -> !SettingValues.isBookkeeping(key));
    }

    /** The secret settings that hold a typed value (not empty, not the mask a form sends back for "unchanged"). */
    private static Map<String, String> typedSecrets(java.util.function.Function<String, Object> settings,
            SettingsSchema schema) {
        Map<String, String> typed = new LinkedHashMap<>();
        for (String key : schema.secretKeys()) {
            Object value = settings.apply(key);
            if (value == null) {
                continue;
            }
            String text = value instanceof List<?> list ? String.join(",", list.stream().map(String::valueOf).toList())
                    : String.valueOf(value);
            if (!text.isEmpty() && !text.equals(MASK)) {
                typed.put(key, text);
            }
        }
        return typed;
    }

    private void fail(Known known, PluginDescriptor plugin, String reason) {
        unload(known, plugin);
        known.problem = reason;
        log.error("instance '{}' of plugin '{}' is not loaded: {}", known.instanceId, known.pluginId, reason);
    }

    private void unload(Known known, PluginDescriptor plugin) {
        known.unregister();
        if (known.copy != null && plugin != null) {
            try {
                copies.remove(plugin, known.instanceId);
            } catch (Exception e) {
                log.warn("cannot uninstall the copy of bundle {} for instance '{}': {}",
                        plugin.bundle().getSymbolicName(), known.instanceId, e.toString());
            }
            known.copy = null;
        }
    }

    /** The explicit delete: unloads the instance and removes its data directory and secrets. */
    private synchronized void deleted(String pid) {
        Known known = knownByPid.remove(pid);
        if (known == null) {
            return;
        }
        unload(known, pluginsByFactoryPid.get(known.factoryPid));
        if (!ownerPidByInstanceId.remove(known.instanceId, pid)) {
            return; // a duplicate that never owned the id: the owner's data stays
        }
        try {
            secrets.removeInstance(known.instanceId);
            Path directory = layout.instanceDirectory(known.instanceId);
            if (directory.startsWith(layout.root().resolve("plugins")) && !directory.equals(layout.root().resolve("plugins"))) {
                AtomicFiles.deleteTree(directory);
            }
            log.info("instance '{}' of plugin '{}' was deleted with its data and secrets", known.instanceId,
                    known.pluginId);
        } catch (IOException | PluginException e) {
            log.error("instance '{}' was deleted but its data or secrets could not be removed: {}",
                    known.instanceId, e.getMessage());
        }
        // a configuration that was refused for using the same id may take it now
        for (Known waiting : List.copyOf(knownByPid.values())) {
            if (waiting.instanceId.equals(known.instanceId)) {
                reconcile(waiting.pid, waiting.factoryPid, properties(waiting.pid));
                break;
            }
        }
    }

    private void reconcileEngineSettings() {
        Dictionary<String, Object> properties = properties(ENGINE_PID);
        engineSettings = properties == null ? Map.of() : Map.copyOf(settings(properties));
    }

    // --- PluginRuntime

    @Override
    public List<PluginInfo> plugins() {
        return pluginsByFactoryPid.values().stream()
                .map(p -> new PluginInfo(p.id(), p.name(), p.description(), p.factoryPid(),
                        p.bundle().getSymbolicName(), p.bundle().getBundleId()))
                .sorted(Comparator.comparing(PluginInfo::id)).toList();
    }

    @Override
    public synchronized List<InstanceStatus> instances() {
        return knownByPid.values().stream().map(this::status)
                .sorted(Comparator.comparing(InstanceStatus::instanceId).thenComparing(InstanceStatus::pid)).toList();
    }

    @Override
    public synchronized Optional<InstanceStatus> instance(String instanceId) {
        String owner = ownerPidByInstanceId.get(instanceId);
        Known known = owner == null ? null : knownByPid.get(owner);
        return Optional.ofNullable(known).map(this::status);
    }

    @Override
    public Optional<Map<String, Object>> settingsSchema(String pluginId) {
        PluginDescriptor plugin = pluginsByFactoryPid.get(PluginConstants.factoryPid(pluginId));
        if (plugin == null || !plugin.id().equals(pluginId)) {
            return Optional.empty();
        }
        return schemas.of(plugin.bundle(), plugin.factoryPid()).schema().map(SettingsSchema::jsonSchema);
    }

    @Override
    public Optional<String> settingsFileProblem() {
        return settingsFile.problem();
    }

    @Override
    public ConnectionTestResult testConnection(String instanceId) {
        ConnectionTestResult result = runConnectionTest(instanceId);
        lastTests.put(instanceId, result);
        return result;
    }

    @Override
    public Optional<ConnectionTestResult> lastConnectionTest(String instanceId) {
        return Optional.ofNullable(lastTests.get(instanceId));
    }

    /** The instance's test on a thread of its own, so a test that hangs costs the caller no more than the limit. */
    private ConnectionTestResult runConnectionTest(String instanceId) {
        Optional<InstanceStatus> status = instance(instanceId);
        if (status.isEmpty()) {
            return ConnectionTestResult.failed("there is no instance '" + instanceId + "'");
        }
        if (status.get().state() != InstanceState.ACTIVE) {
            return ConnectionTestResult.failed("instance '" + instanceId + "' is " + status.get().state()
                    + (status.get().reason().isEmpty() ? "" : ": " + status.get().reason()));
        }
        Collection<ServiceReference<ConnectionTest>> references;
        try {
            references = bundleContext.getServiceReferences(ConnectionTest.class,
                    "(" + PluginConstants.INSTANCE_ID + "=" + instanceId + ")");
        } catch (InvalidSyntaxException e) {
            return ConnectionTestResult.failed("'" + instanceId + "' is not a valid instance id");
        }
        if (references.isEmpty()) {
            return ConnectionTestResult.failed("plugin '" + status.get().pluginId() + "' offers no connection test");
        }
        ServiceReference<ConnectionTest> reference = references.iterator().next();
        ConnectionTest test = bundleContext.getService(reference);
        if (test == null) {
            return ConnectionTestResult.failed("instance '" + instanceId + "' went away during the test");
        }
        CompletableFuture<ConnectionTestResult> running = CompletableFuture.supplyAsync(test::testConnection,
                connectionTests);
        try {
            ConnectionTestResult result = running.get(CONNECTION_TEST_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
            return result == null ? ConnectionTestResult.failed("the test of '" + instanceId + "' returned nothing")
                    : new ConnectionTestResult(result.ok(), maskSecrets(instanceId, result.message()));
        } catch (TimeoutException e) {
            running.cancel(true);
            return ConnectionTestResult.failed("the test of '" + instanceId + "' did not answer within "
                    + CONNECTION_TEST_LIMIT.toSeconds() + " s");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return ConnectionTestResult.failed(maskSecrets(instanceId, "the test of '" + instanceId + "' threw "
                    + cause.getClass().getSimpleName() + ": " + cause.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ConnectionTestResult.failed("the test of '" + instanceId + "' was interrupted");
        } finally {
            try {
                bundleContext.ungetService(reference);
            } catch (IllegalStateException stopping) {
                // the core is stopping
            }
        }
    }

    /** A text with the instance's secret values masked: a plugin's own message must not carry its key. */
    private String maskSecrets(String instanceId, String text) {
        String masked = text == null ? "" : text;
        for (String key : secrets.keys(instanceId)) {
            Optional<String> value = secrets.get(instanceId, key);
            if (value.isPresent() && value.get().length() >= 4) {
                masked = masked.replace(value.get(), MASK);
            }
        }
        return masked;
    }

    private InstanceStatus status(Known known) {
        PluginDescriptor plugin = pluginsByFactoryPid.get(known.factoryPid);
        Set<String> secretKeys = secrets.keys(known.instanceId);
        Map<String, Object> shown = new LinkedHashMap<>(known.settings);
        secretKeys.forEach(key -> shown.put(key, MASK));
        InstanceState state;
        String reason = "";
        PluginDescriptor dormant = plugin == null ? dormantByFactoryPid.get(known.factoryPid) : null;
        if (known.problem != null) {
            state = InstanceState.FAILED;
            reason = known.problem + leftBehind(known, plugin);
        } else if (!known.enabled) {
            state = InstanceState.DISABLED;
        } else if (dormant != null) {
            Condition condition = dormantCondition(dormant);
            state = condition.state();
            reason = condition.reason() + (state == InstanceState.FAILED ? leftBehind(known, plugin) : "");
        } else if (known.context == null || plugin == null) {
            state = InstanceState.LOADING;
            reason = "waiting for plugin '" + known.pluginId + "'";
        } else {
            Condition condition = componentCondition(known.copy != null ? known.copy : plugin.bundle(),
                    known.factoryPid, known.instanceId);
            state = condition.state();
            reason = condition.reason();
            String conflict = registries.conflictOf(known.instanceId);
            if (conflict != null) {
                state = InstanceState.FAILED;
                reason = conflict;
            }
        }
        Bundle serving = known.copy != null ? known.copy : plugin == null ? null : plugin.bundle();
        return new InstanceStatus(known.instanceId, known.pluginId, known.pid, state, reason, shown, secretKeys,
                serving == null ? null : serving.getSymbolicName());
    }

    private record Condition(InstanceState state, String reason) {}

    /** The threads the plugin's stopped bundle left running, as the end of a reason; empty if none. */
    private String leftBehind(Known known, PluginDescriptor plugin) {
        String left = plugin == null ? leftovers.of(known.factoryPid) : "";
        return left.isEmpty() ? "" : "; it left " + left;
    }

    /** The state of the components that serve an instance, from SCR's runtime view. */
    private Condition componentCondition(Bundle bundle, String factoryPid, String instanceId) {
        List<String> waiting = new ArrayList<>();
        boolean found = false;
        for (ComponentDescriptionDTO description : scr.getComponentDescriptionDTOs(bundle)) {
            if (!Arrays.asList(description.configurationPid).contains(factoryPid)) {
                continue;
            }
            if (!scr.isComponentEnabled(description)) {
                waiting.add("component " + description.name + " is disabled");
                continue;
            }
            for (ComponentConfigurationDTO configuration : scr.getComponentConfigurationDTOs(description)) {
                if (!instanceId.equals(configuration.properties.get(PluginConstants.INSTANCE_ID))) {
                    continue;
                }
                found = true;
                switch (configuration.state) {
                    case ComponentConfigurationDTO.FAILED_ACTIVATION:
                        return new Condition(InstanceState.FAILED, "component " + description.name
                                + " failed to activate: " + rootCause(configuration.failure));
                    case ComponentConfigurationDTO.UNSATISFIED_REFERENCE:
                        waiting.add("component " + description.name + " waits for "
                                + Arrays.stream(configuration.unsatisfiedReferences).map(r -> r.name).toList());
                        break;
                    case ComponentConfigurationDTO.UNSATISFIED_CONFIGURATION:
                        waiting.add("component " + description.name + " waits for its configuration");
                        break;
                    case ComponentConfigurationDTO.SATISFIED:
                        if (description.immediate) {
                            // an immediate component is activated as soon as it is satisfied: it is still in it
                            waiting.add("component " + description.name + " has not finished activating");
                        }
                        break;
                    default:
                        break; // active (or a satisfied delayed component): its services are registered
                }
            }
        }
        if (!found && waiting.isEmpty()) {
            return new Condition(InstanceState.LOADING, "no component of bundle " + bundle.getSymbolicName()
                    + " has taken the configuration yet");
        }
        return waiting.isEmpty() ? new Condition(InstanceState.ACTIVE, "")
                : new Condition(InstanceState.LOADING, String.join("; ", waiting));
    }

    /** The root cause's line of SCR's failure text (a stack trace), short enough for a state. */
    static String rootCause(String failure) {
        if (failure == null || failure.isBlank()) {
            return "no reason given";
        }
        String line = failure.strip().lines().findFirst().orElse("");
        for (String candidate : (Iterable<String>) failure.lines()::iterator) {
            if (candidate.startsWith("Caused by: ")) {
                line = candidate.substring("Caused by: ".length());
            }
        }
        return line.length() > 500 ? line.substring(0, 500) + "…" : line;
    }

    // --- configurations

    /** A configuration's properties, or {@code null} if it does not exist (any more). */
    private Dictionary<String, Object> properties(String pid) {
        List<Listed> found = listed("(" + Constants.SERVICE_PID + "=" + InstanceWiring.escape(pid) + ")");
        return found.isEmpty() ? null : found.get(0).properties();
    }

    /** A configuration as listed: its identity and properties read at once. */
    private record Listed(String pid, String factoryPid, Dictionary<String, Object> properties) {}

    /** The configurations matching a filter, without those deleted while they were being read. */
    private List<Listed> listed(String filter) {
        List<Listed> listed = new ArrayList<>();
        for (Configuration configuration : list(filter)) {
            try {
                Dictionary<String, Object> properties = configuration.getProperties();
                if (properties != null) {
                    listed.add(new Listed(configuration.getPid(), configuration.getFactoryPid(), properties));
                }
            } catch (IllegalStateException deletedMeanwhile) {
                // its deletion event is on its way
            }
        }
        return listed;
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

    /** A configuration's own settings: without framework, wiring and bookkeeping properties. */
    static Map<String, Object> settings(Dictionary<String, Object> properties) {
        Map<String, Object> settings = new HashMap<>();
        for (Enumeration<String> keys = properties.keys(); keys.hasMoreElements();) {
            String key = keys.nextElement();
            if (SettingValues.isBookkeeping(key)) {
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

    /** The most a context's registration waits for SCR to have the instance's configuration. */
    static final long CONFIGURED_WAIT_MILLIS = 5_000;

    /** Whether SCR has a component configuration for the instance in the bundle (any state). */
    private boolean scrHasConfiguration(Bundle bundle, String factoryPid, String instanceId) {
        try {
            boolean declared = false;
            for (ComponentDescriptionDTO description : scr.getComponentDescriptionDTOs(bundle)) {
                if (!Arrays.asList(description.configurationPid).contains(factoryPid)) {
                    continue;
                }
                declared = true;
                if (!scr.isComponentEnabled(description)) {
                    return true; // nothing to wait for
                }
                for (ComponentConfigurationDTO configuration : scr.getComponentConfigurationDTOs(description)) {
                    if (instanceId.equals(configuration.properties.get(PluginConstants.INSTANCE_ID))) {
                        return true;
                    }
                }
            }
            return !declared; // no component of the bundle (yet) takes the configuration: nothing to wait for
        } catch (RuntimeException stopping) {
            return true;
        }
    }

    /** A plugin bundle that is installed but not started, and what is known of why. */
    private static final class Dormant {
        final Bundle bundle;
        final List<PluginDescriptor> plugins;
        /** It came down from started (a stop, or an activator that threw), rather than being on its way up. */
        volatile boolean stopped;
        /** What nothing provides, once the core's attempt to resolve it failed ("" if nothing is missing). */
        volatile String unresolved;
        private final java.util.concurrent.atomic.AtomicBoolean attempted = new java.util.concurrent.atomic.AtomicBoolean();

        Dormant(Bundle bundle, List<PluginDescriptor> plugins) {
            this.bundle = bundle;
            this.plugins = plugins;
        }

        /** Whether the caller is the one to attempt resolving the current revision. */
        boolean claimAttempt() {
            return attempted.compareAndSet(false, true);
        }

        /** Forgets the attempt and what it found; whether there was one. */
        boolean forgetAttempt() {
            unresolved = null;
            return attempted.getAndSet(false);
        }
    }

    /** What the manager knows of one instance configuration. Guarded by the manager's lock. */
    private static final class Known {
        final String pid;
        final String factoryPid;
        final String instanceId;
        final String pluginId;
        Map<String, Object> settings = Map.of();
        boolean enabled;
        String problem;
        InstanceContext context;
        /** The registration of the current context, set on its lane once registered. */
        private volatile java.util.concurrent.atomic.AtomicReference<ServiceRegistration<PluginContext>> registration;
        /** Registrations and unregistrations of this instance, one after another, off the manager's lock. */
        private CompletableFuture<Void> lane = CompletableFuture.completedFuture(null);
        private Executor laneExecutor;
        Bundle copy;

        Known(String pid, String factoryPid, String instanceId, String pluginId) {
            this.pid = pid;
            this.factoryPid = factoryPid;
            this.instanceId = instanceId;
            this.pluginId = Objects.requireNonNull(pluginId);
        }

        /** Registers the context on this instance's lane: the caller does not wait for the plugin to activate. */
        void publish(BundleContext bundleContext, InstanceContext published, Hashtable<String, Object> properties,
                Executor executor, Logger log, java.util.function.BooleanSupplier configured) {
            var target = new java.util.concurrent.atomic.AtomicReference<ServiceRegistration<PluginContext>>();
            registration = target;
            laneExecutor = executor;
            lane = lane.thenRunAsync(() -> {
                try {
                    awaitConfigured(configured);
                    if (registration != target) {
                        return; // withdrawn meanwhile
                    }
                    target.set(bundleContext.registerService(PluginContext.class, published, properties));
                } catch (IllegalStateException stopping) {
                    // the core is stopping
                } catch (RuntimeException e) {
                    log.error("instance '{}' could not be published: {}", instanceId, e.toString());
                }
            }, executor);
        }

        /**
         * Waits (at most {@link #CONFIGURED_WAIT_MILLIS}) until SCR holds the instance's configuration, so that the
         * registration is what completes the component and it activates on this lane's thread. The other way round,
         * SCR would activate it on ConfigAdmin's event thread, and a component hanging there would hold up every
         * configuration event of the framework.
         */
        private static void awaitConfigured(java.util.function.BooleanSupplier configured) {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CONFIGURED_WAIT_MILLIS);
            while (!configured.getAsBoolean() && System.nanoTime() < deadline) {
                java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            }
        }

        void unregister() {
            var target = registration;
            if (target != null) {
                Runnable withdraw = () -> {
                    ServiceRegistration<PluginContext> registered = target.getAndSet(null);
                    if (registered != null) {
                        try {
                            registered.unregister();
                        } catch (IllegalStateException alreadyGone) {
                            // the framework unregistered it while stopping the core bundle
                        }
                    }
                };
                if (lane.isDone()) {
                    // nothing in flight: withdrawn at once, so that no new configuration of the instance binds to
                    // this context before it is gone (and the data directory goes only after it)
                    withdraw.run();
                } else {
                    try {
                        lane = lane.thenRunAsync(withdraw, laneExecutor); // after the registration in flight
                    } catch (java.util.concurrent.RejectedExecutionException stopping) {
                        withdraw.run();
                    }
                }
            }
            registration = null;
            context = null;
        }
    }
}
