package io.grambot.core.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The three-way merge of {@code settings.json} and ConfigAdmin against the last state both agreed on (the base).
 * Each side contributes what it changed since the base, per instance and per setting key: a change on one side wins
 * over no change on the other; a deletion on one side loses to a modification on the other (nothing written is
 * lost); when both sides changed the same field or key to different values the file's value is kept and the
 * conflict is reported. A key or instance added on both sides counts as changed on both.
 */
final class SettingsMerge {

    private static final Object ABSENT = new Object();

    private SettingsMerge() {}

    /**
     * What the merge produced.
     *
     * @param merged the document both sides should now hold
     * @param conflicts a description of each field or key both sides changed differently: names only, no values
     */
    record Result(SettingsDocument merged, List<String> conflicts) {}

    static Result merge(SettingsDocument base, SettingsDocument file, SettingsDocument config) {
        List<String> conflicts = new ArrayList<>();
        Set<String> ids = new LinkedHashSet<>(file.plugins().keySet());
        ids.addAll(config.plugins().keySet());
        ids.addAll(base.plugins().keySet());
        Map<String, SettingsDocument.Instance> plugins = new LinkedHashMap<>();
        for (String id : ids) {
            SettingsDocument.Instance merged = instance(id, base.plugins().get(id), file.plugins().get(id),
                    config.plugins().get(id), conflicts);
            if (merged != null) {
                plugins.put(id, merged);
            }
        }
        Map<String, Object> engine = settings("the engine", base.engine(), file.engine(), config.engine(), conflicts);
        return new Result(new SettingsDocument(plugins, engine), List.copyOf(conflicts));
    }

    private static SettingsDocument.Instance instance(String id, SettingsDocument.Instance base,
            SettingsDocument.Instance file, SettingsDocument.Instance config, List<String> conflicts) {
        if (file == null || config == null) {
            if (sameInstance(file, base)) {
                return config;
            }
            if (sameInstance(config, base)) {
                return file;
            }
            return file == null ? config : file; // deleted on one side, changed on the other: keep the change
        }
        // present on both sides: merge field by field, which also keeps the file's order of keys
        String owner = "instance '" + id + "'";
        String pluginId = (String) field(owner, "pluginId", base == null ? ABSENT : base.pluginId(),
                file.pluginId(), config.pluginId(), conflicts);
        boolean enabled = (Boolean) field(owner, "enabled", base == null ? ABSENT : base.enabled(), file.enabled(),
                config.enabled(), conflicts);
        Map<String, Object> settings = settings(owner, base == null ? Map.of() : base.settings(), file.settings(),
                config.settings(), conflicts);
        return new SettingsDocument.Instance(id, pluginId, enabled, settings);
    }

    private static boolean sameInstance(SettingsDocument.Instance a, SettingsDocument.Instance b) {
        return a == null ? b == null : a.same(b);
    }

    private static Map<String, Object> settings(String owner, Map<String, Object> base, Map<String, Object> file,
            Map<String, Object> config, List<String> conflicts) {
        Set<String> keys = new LinkedHashSet<>(file.keySet());
        keys.addAll(config.keySet());
        keys.addAll(base.keySet());
        Map<String, Object> merged = new LinkedHashMap<>();
        for (String key : keys) {
            Object value = field(owner, "setting '" + key + "'", base.getOrDefault(key, ABSENT),
                    file.getOrDefault(key, ABSENT), config.getOrDefault(key, ABSENT), conflicts);
            if (value != ABSENT) {
                merged.put(key, value);
            }
        }
        return merged;
    }

    /** The three-way merge of one value, {@link #ABSENT} standing for a missing one. */
    private static Object field(String owner, String name, Object base, Object file, Object config,
            List<String> conflicts) {
        if (same(file, base) || same(file, config)) {
            return config;
        }
        if (same(config, base)) {
            return file;
        }
        if (file == ABSENT || config == ABSENT) {
            return file == ABSENT ? config : file; // deleted on one side, changed on the other: keep the change
        }
        conflicts.add(owner + ": " + name + " was changed both in settings.json and in ConfigAdmin; the file's "
                + "value is kept");
        return file;
    }

    private static boolean same(Object a, Object b) {
        if (a == ABSENT || b == ABSENT) {
            return a == b;
        }
        return SettingValues.same(a, b);
    }
}
