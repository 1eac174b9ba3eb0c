package io.grambot.core.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;

import io.grambot.api.PluginContext;
import io.grambot.api.PluginEvent;
import io.grambot.api.PluginException;
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

    InstanceContext(String instanceId, String pluginId, Map<String, Object> settings, Path dataDirectory,
            Secrets secrets, PluginEventQueue events, Supplier<Map<String, Object>> engineSettings) {
        this.instanceId = instanceId;
        this.pluginId = pluginId;
        this.settings = Map.copyOf(settings);
        this.dataDirectory = dataDirectory;
        this.secrets = secrets;
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
}
