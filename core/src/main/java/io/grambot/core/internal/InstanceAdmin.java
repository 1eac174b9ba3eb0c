package io.grambot.core.internal;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

import io.grambot.api.PluginConstants;
import io.grambot.api.PluginContext;
import io.grambot.api.PluginException;
import io.grambot.api.runtime.InstanceStatus;
import io.grambot.api.runtime.PluginInfo;
import io.grambot.api.runtime.PluginRuntime;

/**
 * What the console page and the shell change about plugin instances: create one (a factory configuration, its
 * secrets straight into the secrets store), enable or disable one (its {@code enabled} property), delete one (the
 * configuration, and the {@code etc/} file it came from), and list the services an instance publishes. Each method
 * returns a sentence saying what it did, and throws {@link IllegalArgumentException} saying what was wrong with the
 * request; the instance manager does the rest when the configuration event arrives.
 */
@Component(service = InstanceAdmin.class)
public final class InstanceAdmin {

    private final BundleContext context;
    private final ConfigurationAdmin configAdmin;
    private final PluginRuntime runtime;
    private final SettingsSchemas schemas;
    private final SecretStore secrets;
    private final Logger log;

    @Activate
    public InstanceAdmin(BundleContext context, @Reference ConfigurationAdmin configAdmin,
            @Reference PluginRuntime runtime, @Reference SettingsSchemas schemas, @Reference SecretStore secrets,
            @Reference(service = LoggerFactory.class) Logger log) {
        this.context = context;
        this.configAdmin = configAdmin;
        this.runtime = runtime;
        this.schemas = schemas;
        this.secrets = secrets;
        this.log = log;
    }

    /**
     * Creates an instance of a plugin with these settings (text or typed values; several values as a list), checked
     * against the plugin's declaration first. Secret settings go to the secrets store and never into ConfigAdmin;
     * an empty secret (or the mask {@value PluginInstanceManager#MASK}) is left out.
     *
     * @throws IllegalArgumentException if the id is not valid or taken, the plugin is not installed, a setting is
     *             not declared, or the settings break the declaration (the message lists every problem)
     */
    public String create(String pluginId, String instanceId, Map<String, ?> settings) throws IOException {
        InstanceIds.checkInstanceId(instanceId);
        PluginInfo plugin = runtime.plugins().stream().filter(p -> p.id().equals(pluginId)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("there is no plugin '" + pluginId + "' installed"));
        runtime.instance(instanceId).ifPresent(taken -> {
            throw new IllegalArgumentException("instance id '" + instanceId + "' is taken by an instance of plugin '"
                    + taken.pluginId() + "'");
        });
        Bundle bundle = context.getBundle(plugin.bundleId());
        if (bundle == null) {
            throw new IllegalArgumentException("plugin '" + pluginId + "' is not installed any more");
        }
        SettingsSchemas.Declared declared = schemas.of(bundle, plugin.factoryPid());
        if (declared.error() != null) {
            throw new IllegalArgumentException(declared.error());
        }
        SettingsSchema schema = declared.schema().orElse(null);
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(PluginConstants.PLUGIN_ID, pluginId);
        Map<String, String> secretValues = new LinkedHashMap<>();
        if (schema != null) {
            for (String key : settings.keySet()) {
                if (!schema.keys().contains(key)) {
                    throw new IllegalArgumentException("plugin '" + pluginId + "' declares no setting '" + key + "'");
                }
            }
            Validation validation = schema.validate(pluginId, instanceId, settings);
            if (!validation.isValid()) {
                throw new IllegalArgumentException(validation.message());
            }
            for (String key : settings.keySet()) {
                Object value = validation.settings().get(key);
                if (schema.secretKeys().contains(key)) {
                    String text = value == null ? "" : String.valueOf(value);
                    if (!text.isEmpty() && !text.equals(PluginInstanceManager.MASK)) {
                        secretValues.put(key, text);
                    }
                } else if (value != null) {
                    properties.put(key, SettingValues.toConfig(value, null));
                }
            }
        } else if (!settings.isEmpty()) {
            throw new IllegalArgumentException("plugin '" + pluginId + "' declares no settings");
        }
        Configuration configuration = configAdmin.getFactoryConfiguration(plugin.factoryPid(), instanceId, "?");
        if (!plugin.factoryPid().equals(configuration.getFactoryPid()) && configuration.getProperties() == null) {
            // an empty singleton FileInstall 3.7.4 (FELIX-6812) left with this PID: see SettingsFileSync.create
            configuration.delete();
            configuration = configAdmin.getFactoryConfiguration(plugin.factoryPid(), instanceId, "?");
        }
        if (configuration.getProperties() != null) {
            throw new IllegalArgumentException("the configuration " + configuration.getPid() + " exists already");
        }
        try {
            // before the configuration, so that the instance starts with them
            for (Map.Entry<String, String> secret : secretValues.entrySet()) {
                secrets.put(instanceId, secret.getKey(), secret.getValue());
            }
        } catch (PluginException e) {
            throw new IOException(e.getMessage(), e);
        }
        configuration.update(properties);
        log.info("console: created instance '{}' of plugin '{}'{}", instanceId, pluginId,
                secretValues.isEmpty() ? "" : " with secrets " + secretValues.keySet());
        return "Created instance '" + instanceId + "' of plugin '" + pluginId + "'"
                + (secretValues.isEmpty() ? "" : "; its secrets " + secretValues.keySet() + " are in the secrets store")
                + ".";
    }

    /**
     * Enables or disables an instance by its configuration's {@code enabled} property (written back to its
     * {@code etc/} file, if it has one). Disabling keeps its settings, secrets and data directory.
     */
    public String setEnabled(String instanceId, boolean enabled) throws IOException {
        InstanceStatus status = existing(instanceId);
        Configuration configuration = configuration(status);
        Dictionary<String, Object> properties = configuration.getProperties();
        boolean was = SettingValues.isEnabled(properties);
        if (was == enabled) {
            return "Instance '" + instanceId + "' is " + (enabled ? "enabled" : "disabled") + " already ("
                    + status.state() + ").";
        }
        properties.put(PluginConstants.ENABLED, enabled);
        configuration.update(properties);
        log.info("console: instance '{}' {}", instanceId, enabled ? "enabled" : "disabled");
        return (enabled ? "Enabled" : "Disabled") + " instance '" + instanceId + "'" + (enabled
                ? "; it is loading." : "; its settings, secrets and data directory are kept.");
    }

    /**
     * Deletes an instance: its configuration, so the instance manager removes its data directory and secrets, and
     * the configuration file in {@code etc/} it came from, so that it does not come back at the next start
     * (FileInstall does not delete files of configurations deleted through ConfigAdmin).
     */
    public String delete(String instanceId) throws IOException {
        InstanceStatus status = existing(instanceId);
        Configuration configuration = configuration(status);
        Optional<Path> file = fileOf(configuration.getProperties());
        configuration.delete();
        if (file.isPresent()) {
            Files.deleteIfExists(file.get());
        }
        log.info("console: deleted instance '{}' of plugin '{}'{}", instanceId, status.pluginId(),
                file.map(f -> " and its file " + f).orElse(""));
        return "Deleted instance '" + instanceId + "' of plugin '" + status.pluginId() + "'"
                + file.map(f -> " and its file " + f.getFileName()).orElse("")
                + "; its data directory and secrets are removed.";
    }

    /**
     * The services an instance publishes (those carrying its {@value PluginConstants#INSTANCE_ID}, without the
     * core's own {@link PluginContext}): their interfaces' simple names, sorted, once each.
     */
    public List<String> services(String instanceId) {
        Set<String> names = new TreeSet<>();
        ServiceReference<?>[] references;
        try {
            references = context.getServiceReferences((String) null,
                    "(" + PluginConstants.INSTANCE_ID + "=" + InstanceWiring.escape(instanceId) + ")");
        } catch (InvalidSyntaxException e) {
            return List.of();
        }
        for (ServiceReference<?> reference : references == null ? new ServiceReference<?>[0] : references) {
            for (String type : (String[]) reference.getProperty(Constants.OBJECTCLASS)) {
                if (!type.equals(PluginContext.class.getName())) {
                    names.add(type.substring(type.lastIndexOf('.') + 1));
                }
            }
        }
        return List.copyOf(names);
    }

    private InstanceStatus existing(String instanceId) {
        return runtime.instance(instanceId)
                .orElseThrow(() -> new IllegalArgumentException("there is no instance '" + instanceId + "'"));
    }

    private Configuration configuration(InstanceStatus status) throws IOException {
        Configuration[] found;
        try {
            found = configAdmin.listConfigurations("(" + Constants.SERVICE_PID + "="
                    + InstanceWiring.escape(status.pid()) + ")");
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException("'" + status.pid() + "' is not a configuration PID");
        }
        if (found == null || found.length == 0) {
            throw new IllegalArgumentException("the configuration " + status.pid() + " of instance '"
                    + status.instanceId() + "' is gone");
        }
        return found[0];
    }

    /** The configuration file FileInstall read the configuration from, if it names a readable one. */
    static Optional<Path> fileOf(Dictionary<String, Object> properties) {
        Object name = properties == null ? null : properties.get("felix.fileinstall.filename");
        if (name == null) {
            return Optional.empty();
        }
        try {
            URI uri = new URI(String.valueOf(name));
            Path file = "file".equals(uri.getScheme()) ? Path.of(uri) : Path.of(String.valueOf(name));
            String fileName = file.getFileName() == null ? "" : file.getFileName().toString();
            boolean configFile = Arrays.asList(".cfg", ".config").stream().anyMatch(fileName::endsWith);
            return configFile && Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
        } catch (URISyntaxException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
