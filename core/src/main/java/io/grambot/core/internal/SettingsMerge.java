package io.grambot.core.internal;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.grambot.core.internal.SettingsDocument.Entry;
import io.grambot.core.internal.SettingsDocument.Kind;

/**
 * The three-way merge of {@code settings.json} and ConfigAdmin against the last state both agreed on (the base).
 * Each side contributes what it changed since the base, per entry (plugin instance or bot) and per setting key: a
 * change on one side wins over no change on the other; a deletion on one side loses to a modification on the other
 * (nothing written is lost); when both sides changed the same field or key to different values the file's value is
 * kept and the conflict is reported. A key or entry added on both sides counts as changed on both. Instances and bots are
 * merged alike, each kind by its own ids.
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
        Map<Kind, Map<String, Entry>> merged = new EnumMap<>(Kind.class);
        for (Kind kind : Kind.values()) {
            merged.put(kind, entries(base.entries(kind), file.entries(kind), config.entries(kind), conflicts));
        }
        Map<String, Object> engine = settings("the engine", base.engine(), file.engine(), config.engine(), conflicts);
        return new Result(new SettingsDocument(merged.get(Kind.PLUGIN), merged.get(Kind.BOT), engine),
                List.copyOf(conflicts));
    }

    /** Merges the entries of one kind, in the file's order, then those only ConfigAdmin has. */
    private static Map<String, Entry> entries(Map<String, Entry> base, Map<String, Entry> file,
            Map<String, Entry> config, List<String> conflicts) {
        Set<String> ids = new LinkedHashSet<>(file.keySet());
        ids.addAll(config.keySet());
        ids.addAll(base.keySet());
        Map<String, Entry> entries = new LinkedHashMap<>();
        for (String id : ids) {
            Entry merged = entry(base.get(id), file.get(id), config.get(id), conflicts);
            if (merged != null) {
                entries.put(id, merged);
            }
        }
        return entries;
    }

    private static Entry entry(Entry base, Entry file, Entry config, List<String> conflicts) {
        if (file == null || config == null) {
            if (sameEntry(file, base)) {
                return config;
            }
            if (sameEntry(config, base)) {
                return file;
            }
            return file == null ? config : file; // deleted on one side, changed on the other: keep the change
        }
        // present on both sides: merge field by field, which also keeps the file's order of keys
        String owner = file.describe();
        String pluginId = file.pluginId() == null ? null : (String) field(owner, "pluginId",
                base == null ? ABSENT : base.pluginId(), file.pluginId(), config.pluginId(), conflicts);
        boolean enabled = (Boolean) field(owner, "enabled", base == null ? ABSENT : base.enabled(), file.enabled(),
                config.enabled(), conflicts);
        Map<String, Object> settings = settings(owner, base == null ? Map.of() : base.settings(), file.settings(),
                config.settings(), conflicts);
        return new Entry(file.kind(), file.id(), pluginId, enabled, settings);
    }

    private static boolean sameEntry(Entry a, Entry b) {
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
