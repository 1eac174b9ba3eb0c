package io.grambot.core.internal;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The content of {@code settings.json}: plugin instances by instance id (in file order) and the engine settings.
 * Values are in {@link SettingValues}' canonical form.
 */
record SettingsDocument(Map<String, Instance> plugins, Map<String, Object> engine) {

    static final SettingsDocument EMPTY = new SettingsDocument(Map.of(), Map.of());

    SettingsDocument {
        plugins = Collections.unmodifiableMap(new LinkedHashMap<>(plugins));
        engine = Collections.unmodifiableMap(new LinkedHashMap<>(engine));
    }

    /** Whether both hold the same instances and engine settings, ignoring order; numbers compare by value. */
    boolean same(SettingsDocument other) {
        if (plugins.size() != other.plugins.size() || !SettingValues.sameSettings(engine, other.engine)) {
            return false;
        }
        for (Instance instance : plugins.values()) {
            if (!instance.same(other.plugins.get(instance.instanceId()))) {
                return false;
            }
        }
        return true;
    }

    /**
     * One plugin instance.
     *
     * @param instanceId the instance id, checked by {@link InstanceIds#checkInstanceId}
     * @param pluginId the plugin it is an instance of
     * @param enabled whether it runs
     * @param settings its settings, in order
     */
    record Instance(String instanceId, String pluginId, boolean enabled, Map<String, Object> settings) {

        Instance {
            settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
        }

        boolean same(Instance other) {
            return other != null && instanceId.equals(other.instanceId) && pluginId.equals(other.pluginId)
                    && enabled == other.enabled && SettingValues.sameSettings(settings, other.settings);
        }

        /** Names the instance without its settings, which may be secret. */
        @Override
        public String toString() {
            return "Instance[" + instanceId + " of " + pluginId + (enabled ? "" : ", disabled") + ", keys="
                    + settings.keySet() + "]";
        }
    }

    /** Names what the document holds without values, which may be secret. */
    @Override
    public String toString() {
        return "SettingsDocument[instances=" + plugins.keySet() + ", engine keys=" + engine.keySet() + "]";
    }
}
