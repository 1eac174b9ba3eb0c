package io.grambot.core.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

import io.grambot.api.PluginContext;
import io.grambot.api.PluginEvent;
import io.grambot.api.PluginException;
import io.grambot.api.Secret;
import io.grambot.api.Secrets;

/** The {@link PluginContext} the core registers for one enabled instance. */
final class InstanceContext implements PluginContext {

    private final String instanceId;
    private final String pluginId;
    private final Path dataDirectory;
    private final Secrets secrets;
    private final PluginEventQueue events;
    private final Supplier<Map<String, Object>> engineSettings;
    private volatile Map<String, Object> settings;

    private final Map<String, String> overriddenSecrets;

    /**
     * @param overriddenSecrets secrets given by the environment (see {@link SettingsOverrides}): they shadow the
     *        stored ones and are never written to the store
     */
    InstanceContext(String instanceId, String pluginId, Map<String, Object> settings, Path dataDirectory,
            Secrets secrets, Map<String, String> overriddenSecrets, PluginEventQueue events,
            Supplier<Map<String, Object>> engineSettings) {
        this.instanceId = instanceId;
        this.pluginId = pluginId;
        this.settings = Map.copyOf(settings);
        this.dataDirectory = dataDirectory;
        this.overriddenSecrets = Map.copyOf(overriddenSecrets);
        this.secrets = this.overriddenSecrets.isEmpty() ? secrets : new OverriddenSecrets(secrets, this.overriddenSecrets);
        this.events = events;
        this.engineSettings = engineSettings;
    }

    @Override
    public String instanceId() {
        return instanceId;
    }

    @Override
    public String pluginId() {
        return pluginId;
    }

    @Override
    public boolean enabled() {
        return true; // contexts exist only for enabled instances
    }

    @Override
    public Map<String, Object> settings() {
        return settings;
    }

    boolean hasSecretOverrides(Map<String, String> overrides) {
        return overriddenSecrets.equals(overrides);
    }

    void updateSettings(Map<String, Object> settings) {
        this.settings = Map.copyOf(settings);
    }

    @Override
    public Map<String, Object> engineSettings() {
        return engineSettings.get();
    }

    @Override
    public Path dataDirectory() {
        try {
            return Files.createDirectories(dataDirectory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data directory of instance '" + instanceId + "'", e);
        }
    }

    @Override
    public Secrets secrets() {
        return secrets;
    }

    @Override
    public PluginEvent emit(String type, Map<String, Object> payload) throws PluginException {
        return events.emit(pluginId, instanceId, type, payload);
    }

    @Override
    public String toString() {
        return "PluginContext[" + pluginId + "/" + instanceId + "]";
    }

    /** The stored secrets, shadowed by the ones the environment gives. */
    private record OverriddenSecrets(Secrets stored, Map<String, String> overrides) implements Secrets {

        @Override
        public Optional<Secret> get(String key) {
            String value = overrides.get(key);
            return value != null ? Optional.of(Secret.of(value)) : stored.get(key);
        }

        @Override
        public void put(String key, Secret value) throws PluginException {
            stored.put(key, value);
        }

        @Override
        public void remove(String key) throws PluginException {
            stored.remove(key);
        }

        @Override
        public Set<String> keys() {
            Set<String> keys = new TreeSet<>(stored.keys());
            keys.addAll(overrides.keySet());
            return keys;
        }

        @Override
        public String toString() {
            return "Secrets[keys=" + keys() + "]";
        }
    }
}
