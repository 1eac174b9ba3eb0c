package io.grambot.core.internal;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import io.grambot.api.PluginConstants;

/**
 * The content of {@code settings.json}: plugin instances and bots, each by id in file order, and the engine settings.
 * Instances and bots are both {@link Entry entries} (a factory configuration with an enabled flag and settings), in
 * separate namespaces. Values are in {@link SettingValues}' canonical form.
 */
record SettingsDocument(Map<String, Entry> plugins, Map<String, Entry> bots, Map<String, Object> engine) {

    static final SettingsDocument EMPTY = new SettingsDocument(Map.of(), Map.of(), Map.of());

    SettingsDocument {
        plugins = entries(Kind.PLUGIN, plugins);
        bots = entries(Kind.BOT, bots);
        engine = Collections.unmodifiableMap(new LinkedHashMap<>(engine));
    }

    /** A document without bots. */
    SettingsDocument(Map<String, Entry> plugins, Map<String, Object> engine) {
        this(plugins, Map.of(), engine);
    }

    private static Map<String, Entry> entries(Kind kind, Map<String, Entry> entries) {
        entries.forEach((id, entry) -> {
            if (entry.kind() != kind || !entry.id().equals(id)) {
                throw new IllegalArgumentException(entry + " cannot be listed as " + kind.noun + " '" + id + "'");
            }
        });
        return Collections.unmodifiableMap(new LinkedHashMap<>(entries));
    }

    /** The entries of one kind, by id in order. */
    Map<String, Entry> entries(Kind kind) {
        return kind == Kind.PLUGIN ? plugins : bots;
    }

    /** A copy with the entries of one kind replaced. */
    SettingsDocument with(Kind kind, Map<String, Entry> entries) {
        return kind == Kind.PLUGIN ? new SettingsDocument(entries, bots, engine)
                : new SettingsDocument(plugins, entries, engine);
    }

    /** Whether both hold the same entries and engine settings, ignoring order; numbers compare by value. */
    boolean same(SettingsDocument other) {
        if (!SettingValues.sameSettings(engine, other.engine)) {
            return false;
        }
        for (Kind kind : Kind.values()) {
            Map<String, Entry> mine = entries(kind);
            Map<String, Entry> theirs = other.entries(kind);
            if (mine.size() != theirs.size()) {
                return false;
            }
            for (Entry entry : mine.values()) {
                if (!entry.same(theirs.get(entry.id()))) {
                    return false;
                }
            }
        }
        return true;
    }

    /** The kinds of entries: each is a factory configuration named by the entry's id. */
    enum Kind {
        /** A plugin instance: factory PID from its plugin id, carries {@value PluginConstants#PLUGIN_ID}. */
        PLUGIN("plugins", "instanceId", "instance"),
        /** A bot: factory PID {@value BotComponent#FACTORY_PID}. */
        BOT("bots", "botId", "bot");

        /** The top-level array of the file that lists them. */
        final String section;
        /** The field of an entry holding its id. */
        final String idField;
        /** What an entry is called in messages. */
        final String noun;

        Kind(String section, String idField, String noun) {
            this.section = section;
            this.idField = idField;
            this.noun = noun;
        }

        /** Names an entry in messages, such as {@code bot 'default'}. */
        String describe(String id) {
            return noun + " '" + id + "'";
        }
    }

    /**
     * One plugin instance or bot.
     *
     * @param kind what it is
     * @param id the instance or bot id, checked by {@link InstanceIds#checkId}
     * @param pluginId the plugin an instance is an instance of; {@code null} for a bot
     * @param enabled whether it runs
     * @param settings its settings, in order
     */
    record Entry(Kind kind, String id, String pluginId, boolean enabled, Map<String, Object> settings) {

        Entry {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(id, "id");
            if ((kind == Kind.PLUGIN) != (pluginId != null)) {
                throw new IllegalArgumentException("an instance has a plugin id, a bot has none: " + kind + " '" + id
                        + "' with plugin id " + pluginId);
            }
            settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
        }

        static Entry instance(String instanceId, String pluginId, boolean enabled, Map<String, Object> settings) {
            return new Entry(Kind.PLUGIN, instanceId, Objects.requireNonNull(pluginId, "pluginId"), enabled, settings);
        }

        static Entry bot(String botId, boolean enabled, Map<String, Object> settings) {
            return new Entry(Kind.BOT, botId, null, enabled, settings);
        }

        /** The factory PID of its configuration. */
        String factoryPid() {
            return kind == Kind.PLUGIN ? PluginConstants.factoryPid(pluginId) : BotComponent.FACTORY_PID;
        }

        /** Names it in messages, such as {@code instance 'main'}. */
        String describe() {
            return kind.describe(id);
        }

        boolean same(Entry other) {
            return other != null && kind == other.kind && id.equals(other.id)
                    && Objects.equals(pluginId, other.pluginId) && enabled == other.enabled
                    && SettingValues.sameSettings(settings, other.settings);
        }

        /** Names the entry without its settings, which may be secret. */
        @Override
        public String toString() {
            return (kind == Kind.PLUGIN ? "Instance[" + id + " of " + pluginId : "Bot[" + id)
                    + (enabled ? "" : ", disabled") + ", keys=" + settings.keySet() + "]";
        }
    }

    /** Names what the document holds without values, which may be secret. */
    @Override
    public String toString() {
        return "SettingsDocument[instances=" + plugins.keySet() + ", bots=" + bots.keySet() + ", engine keys="
                + engine.keySet() + "]";
    }
}
