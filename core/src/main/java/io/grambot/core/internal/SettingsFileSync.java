package io.grambot.core.internal;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.EnumMap;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.InvalidSyntaxException;
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
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.util.tracker.BundleTracker;

import io.grambot.api.PluginConstants;
import io.grambot.core.internal.SettingsDocument.Entry;
import io.grambot.core.internal.SettingsDocument.Kind;

/**
 * Keeps {@code settings.json} in the data directory and ConfigAdmin in line, both ways. Each entry of the file's
 * {@code plugins} array is the factory configuration {@code <factoryPid>~<instanceId>} of its plugin; each entry of
 * its {@code bots} array is the factory configuration {@code grambot.bot~<botId>} (see {@link BotComponent}); the
 * file's {@code engine} object is the configuration {@value PluginInstanceManager#ENGINE_PID}. Instances and bots
 * go through the same code, as {@link SettingsDocument.Entry entries} of two kinds. See {@link SettingsJson} for
 * the format and {@link SettingsMerge} for how concurrent edits combine.
 *
 * <p>All reconciliation runs on one thread. Configuration events, plugin bundles coming and going, and changes to
 * the file (seen by a {@link WatchService} on the data directory, with a slow poll as a fallback) only ask for a
 * sync, which runs once things have been quiet for a moment (or after a bounded delay); requests that arrive while
 * one is pending are absorbed by it, so a burst of a thousand configuration events costs a few syncs, and the events
 * of our own writes cost none. A sync writes only what differs: a file that already says the same is not rewritten.
 * The state both sides last agreed on is kept in {@code state/settings.base.json}, so edits made
 * while Grambot was down merge the same way at start.
 *
 * <p>A file that does not parse, or breaks a rule of the format, or gives a bot settings that the bot declaration
 * refuses, changes nothing and is not overwritten until it is fixed; {@link #problem()} says where it is wrong.
 * (Plugin instances are checked later, by {@link PluginInstanceManager}, against a declaration that is only there
 * while the plugin is installed; the bots' declaration is the core's own, so a bad bot value never reaches
 * ConfigAdmin.)
 */
@Designate(ocd = SettingsFileSync.Config.class)
@Component(immediate = true, configurationPid = SettingsFileSync.PID,
        service = { ConfigurationListener.class, SettingsFileSync.class })
public final class SettingsFileSync implements ConfigurationListener {

    static final String PID = "grambot.settings";
    static final String ENGINE_PID = PluginInstanceManager.ENGINE_PID;
    static final String BASE_FILE = "settings.base.json";

    @ObjectClassDefinition(name = "Grambot settings file",
            description = "Keeps settings.json in the data directory and the instance configurations in line.")
    public @interface Config {

        @AttributeDefinition(name = "Fallback poll (ms)", min = "0", description = "How often the file is also "
                + "checked for changes the file system did not report (for example on network mounts); 0 turns "
                + "the poll off.")
        long fallbackPollMillis() default 2_000;

        @AttributeDefinition(name = "Settle delay (ms)", min = "0", description = "How long things must stay "
                + "quiet before a sync runs, so that a burst of changes is taken in one go.")
        long settleMillis() default 50;

        @AttributeDefinition(name = "Longest delay (ms)", min = "0", description = "How long a sync waits at most "
                + "while changes keep coming.")
        long maxDelayMillis() default 500;
    }

    private final ConfigurationAdmin configAdmin;
    private final SettingsSchemas schemas;
    private final Bundle core;
    private final Logger log;
    private final Path settingsFile;
    private final Path baseFile;
    private final long pollMillis;
    private final long settleNanos;
    private final long maxDelayNanos;
    private final BundleTracker<Bundle> pluginBundles;
    private final ScheduledThreadPoolExecutor executor;
    private final WatchService watchService;
    private final Thread watcher;
    private final AtomicBoolean pending = new AtomicBoolean();
    private final Map<String, OwnWrite> ownWrites = new ConcurrentHashMap<>();
    private volatile long firstRequest;
    private volatile long lastRequest;
    private volatile boolean closed;
    private volatile boolean retry;
    private volatile String problem;
    private volatile FileState ownFileState;

    // touched only on the executor's thread
    private SettingsDocument base;
    private Set<String> reportedWarnings = Set.of();
    private String lastFailure;

    @Activate
    public SettingsFileSync(BundleContext context, Config config, @Reference ConfigurationAdmin configAdmin,
            @Reference SettingsSchemas schemas, @Reference(service = LoggerFactory.class) Logger log)
            throws IOException {
        DataLayout layout = DataLayout.of(context);
        this.configAdmin = configAdmin;
        this.schemas = schemas;
        this.core = context.getBundle();
        this.log = log;
        this.settingsFile = layout.settingsFile();
        this.baseFile = layout.stateDirectory().resolve(BASE_FILE);
        this.pollMillis = config.fallbackPollMillis();
        this.settleNanos = TimeUnit.MILLISECONDS.toNanos(config.settleMillis());
        this.maxDelayNanos = TimeUnit.MILLISECONDS.toNanos(config.maxDelayMillis());
        this.base = loadBase();
        this.executor = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, "grambot-settings-sync");
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        Files.createDirectories(settingsFile.getParent());
        this.watchService = settingsFile.getFileSystem().newWatchService();
        this.watcher = new Thread(this::watch, "grambot-settings-watch");
        watcher.setDaemon(true);
        this.pluginBundles = new BundleTracker<>(context,
                Bundle.INSTALLED | Bundle.RESOLVED | Bundle.STARTING | Bundle.ACTIVE | Bundle.STOPPING, null) {
            @Override
            public Bundle addingBundle(Bundle bundle, BundleEvent event) {
                if (PluginDescriptor.of(bundle).isEmpty()) {
                    return null;
                }
                requestSync();
                return bundle;
            }

            @Override
            public void modifiedBundle(Bundle bundle, BundleEvent event, Bundle tracked) {
                requestSync(); // an update may change what the bundle declares
            }

            @Override
            public void removedBundle(Bundle bundle, BundleEvent event, Bundle tracked) {
                requestSync();
            }
        };
        pluginBundles.open();
        watcher.start();
        requestSync();
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        closed = true;
        pluginBundles.close();
        try {
            watchService.close();
        } catch (IOException e) {
            log.warn("closing the watch on {} failed: {}", settingsFile.getParent(), e.toString());
        }
        watcher.interrupt();
        executor.shutdown();
        // a sync in progress finishes; files are written atomically either way
        if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
            log.warn("a settings sync was still running 10 s after deactivation");
        }
    }

    /** What is wrong with {@code settings.json}, while it cannot be used; empty when it is in use. */
    public Optional<String> problem() {
        return Optional.ofNullable(problem);
    }

    /**
     * Reconciles now, after any sync already running, for tools that need the file and ConfigAdmin in line before
     * they go on (a "reload" action, tests). The future completes when this sync is done.
     */
    public Future<?> reconcile() {
        return executor.submit(this::syncOnce);
    }

    @Override
    public void configurationEvent(ConfigurationEvent event) {
        if (event.getType() == ConfigurationEvent.CM_LOCATION_CHANGED
                || (event.getFactoryPid() == null && !ENGINE_PID.equals(event.getPid()))) {
            return;
        }
        OwnWrite own = ownWrites.remove(event.getPid());
        if (own == null || !own.explains(event)) {
            requestSync();
        }
    }

    /**
     * Asks for a sync. It runs once requests have stopped for the settle delay, or at the latest the longest delay
     * after the first; requests made meanwhile are part of it.
     */
    void requestSync() {
        if (closed) {
            return;
        }
        long now = System.nanoTime();
        lastRequest = now;
        if (pending.compareAndSet(false, true)) {
            firstRequest = now;
            schedule(settleNanos);
        }
    }

    private void schedule(long delayNanos) {
        try {
            executor.schedule(this::runSync, delayNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            pending.set(false); // deactivated meanwhile
        }
    }

    private void runSync() {
        long now = System.nanoTime();
        long quiet = now - lastRequest;
        long waited = now - firstRequest;
        if (quiet < settleNanos && waited < maxDelayNanos) {
            schedule(Math.min(settleNanos - quiet, maxDelayNanos - waited));
            return;
        }
        pending.set(false); // before reading anything, so a change made during this sync asks for another
        syncOnce();
    }

    /**
     * A write of ours to a configuration, so that its event does not ask for a sync (that sync would find nothing
     * to do). The change count tells our update from one made just after it elsewhere.
     */
    private record OwnWrite(Configuration configuration, long changeCount, boolean deleted) {
        boolean explains(ConfigurationEvent event) {
            if (deleted) {
                return event.getType() == ConfigurationEvent.CM_DELETED;
            }
            try {
                return event.getType() == ConfigurationEvent.CM_UPDATED
                        && configuration.getChangeCount() == changeCount;
            } catch (IllegalStateException deletedSince) {
                return false;
            }
        }
    }

    /** Updates a configuration, noting the write as ours. */
    private void update(Configuration configuration, Dictionary<String, Object> properties) throws IOException {
        String pid = configuration.getPid();
        long before = configuration.getChangeCount();
        ownWrites.put(pid, new OwnWrite(configuration, before + 1, false)); // its event may come before update returns
        try {
            configuration.update(properties);
        } catch (IOException | RuntimeException e) {
            ownWrites.remove(pid);
            throw e;
        }
        if (configuration.getChangeCount() != before + 1) {
            ownWrites.remove(pid); // written elsewhere too: let the events ask for a sync
        }
    }

    /** Deletes a configuration, noting the write as ours. */
    private void delete(Configuration configuration) throws IOException {
        String pid = configuration.getPid();
        ownWrites.put(pid, new OwnWrite(configuration, -1, true));
        try {
            configuration.delete();
        } catch (IOException | RuntimeException e) {
            ownWrites.remove(pid);
            throw e;
        }
    }

    private void syncOnce() {
        if (closed) {
            return;
        }
        try {
            retry = false;
            sync();
        } catch (IOException | RuntimeException e) {
            retry = true; // the fallback poll tries again
            String failure = describe(e);
            if (!failure.equals(lastFailure)) {
                log.error("reconciling {} with ConfigAdmin failed: {}", settingsFile, failure);
            }
            lastFailure = failure;
        }
    }

    // an exception's message may quote a setting's value; only I/O messages (paths) are safe to show
    private static String describe(Exception e) {
        return e instanceof IOException ? e.toString() : e.getClass().getName();
    }

    /** One reconciliation: read both sides, merge them against the base, write back what changed on each side. */
    private void sync() throws IOException {
        byte[] read = readIfExists(settingsFile);
        SettingsJson.Parsed edited = null;
        if (read != null) {
            try {
                edited = SettingsJson.read(read);
            } catch (SettingsJson.InvalidSettingsException e) {
                reportProblem(settingsFile + ": " + e.getMessage());
                return;
            }
        }
        Set<String> warnings = new LinkedHashSet<>();
        ConfigView view = configView(edited == null ? null : edited.document(), warnings);
        SettingsMerge.Result result = SettingsMerge.merge(base, edited == null ? base : edited.document(),
                view.document);
        SettingsDocument merged = result.merged();
        SettingsJson.Positions positions = edited == null ? SettingsJson.Positions.NONE : edited.positions();
        Optional<String> invalidBot = botSchema()
                .flatMap(schema -> invalidBot(merged, view.document(), schema, positions));
        if (invalidBot.isPresent()) {
            reportProblem(settingsFile + ": " + invalidBot.get());
            return;
        }
        clearProblem();
        result.conflicts().forEach(conflict -> log.warn("{}", conflict));

        Changes changes = new Changes();
        for (Kind kind : Kind.values()) {
            applyEntries(kind, merged, view, changes);
        }
        applyEngine(merged.engine(), view, changes);

        boolean fileSettled = true;
        if (edited == null || !edited.document().same(merged)) {
            // checked after the new content is on disk, right before the rename: an edit made during the write
            // and its fsync (milliseconds) is kept and merged again rather than overwritten
            if (!AtomicFiles.writeIf(settingsFile, SettingsJson.write(merged), true,
                    () -> Arrays.equals(readIfExists(settingsFile), read))) {
                fileSettled = false; // edited while we merged: keep the edit and merge again
                requestSync();
            } else {
                ownFileState = FileState.of(settingsFile);
                changes.fileWritten = true;
            }
        }
        SettingsDocument nextBase = fileSettled ? settled(merged, changes) : base;
        if (!nextBase.same(base) || !Files.exists(baseFile)) {
            AtomicFiles.write(baseFile, SettingsJson.write(nextBase), true);
        }
        base = nextBase;

        // report each warning and error once while it lasts; a failed write is retried by the fallback poll
        for (String warning : warnings) {
            if (!reportedWarnings.contains(warning)) {
                log.warn("{}", warning);
            }
        }
        for (String error : changes.errors) {
            if (!reportedWarnings.contains(error)) {
                log.error("{}", error);
            }
        }
        warnings.addAll(changes.errors);
        reportedWarnings = warnings;
        retry = !changes.errors.isEmpty();
        lastFailure = null;
        if (changes.any()) {
            log.info("reconciled {}: {} configuration(s) created, {} updated, {} deleted{}", settingsFile,
                    changes.created, changes.updated, changes.deleted, changes.fileWritten ? "; file rewritten" : "");
        }
    }

    /** The bots' settings declaration (the Metatype of {@link BotComponent.Config}), if Metatype has it. */
    private Optional<SettingsSchema> botSchema() {
        return schemas.of(core, BotComponent.FACTORY_PID).schema();
    }

    /**
     * What is wrong with the first bot the merge would write to ConfigAdmin with settings the bot declaration
     * refuses (a wrong type, a value out of range or not among the options, a missing required setting, a key that
     * is no bot setting), with the position of the first offending setting in the file where it is known. Only
     * settings that differ from what ConfigAdmin holds are checked: what ConfigAdmin already holds is not the
     * file's doing, so it neither blocks the file nor is checked twice.
     */
    static Optional<String> invalidBot(SettingsDocument merged, SettingsDocument config, SettingsSchema schema,
            SettingsJson.Positions positions) {
        for (Entry bot : merged.bots().values()) {
            Entry current = config.bots().get(bot.id());
            if (bot.same(current)) {
                continue;
            }
            Map<String, Object> held = current == null ? Map.of() : current.settings();
            List<Validation.Problem> problems = new ArrayList<>();
            for (String key : bot.settings().keySet()) {
                if (!schema.keys().contains(key) && !SettingValues.same(bot.settings().get(key), held.get(key))) {
                    problems.add(new Validation.Problem(key, "additionalProperties", bot.describe() + ": setting '"
                            + key + "' is not a bot setting; expected one of " + String.join(", ", schema.keys().stream()
                                    .filter(k -> !SettingValues.isBookkeeping(k)).toList())));
                }
            }
            Validation validation = schema.validate(bot.describe(), bot.settings());
            for (Validation.Problem problem : validation.problems()) {
                if (current == null || !SettingValues.same(bot.settings().get(problem.key()), held.get(problem.key()))) {
                    problems.add(problem);
                }
            }
            if (!problems.isEmpty()) {
                SettingsJson.Position at = positions.of(Kind.BOT, bot.id(), problems.get(0).key());
                return Optional.of((at == null ? "" : at + ": ") + problems.stream().map(Validation.Problem::message)
                        .collect(Collectors.joining("; ")));
            }
        }
        return Optional.empty();
    }

    /** The base after a sync: the merged document, except where ConfigAdmin could not be brought in line. */
    private SettingsDocument settled(SettingsDocument merged, Changes changes) {
        SettingsDocument settled = merged;
        for (Kind kind : Kind.values()) {
            Set<String> unsettled = changes.unsettled.get(kind);
            if (unsettled.isEmpty()) {
                continue;
            }
            Map<String, Entry> entries = new LinkedHashMap<>(merged.entries(kind));
            for (String id : unsettled) {
                Entry before = base.entries(kind).get(id);
                if (before != null) {
                    entries.put(id, before);
                } else {
                    entries.remove(id);
                }
            }
            settled = settled.with(kind, entries);
        }
        return changes.engineUnsettled
                ? new SettingsDocument(settled.plugins(), settled.bots(), base.engine()) : settled;
    }

    // ---- ConfigAdmin -> document

    /** A configuration as it was read, to detect a change made while we merge. */
    private record Handle(Configuration configuration, String pid, String factoryPid, long changeCount) {
        boolean changedSince() {
            try {
                return configuration.getChangeCount() != changeCount;
            } catch (IllegalStateException deleted) {
                return true;
            }
        }
    }

    private record ConfigView(SettingsDocument document, Map<Kind, Map<String, Handle>> handles, Handle engine) {}

    private ConfigView configView(SettingsDocument edited, Set<String> warnings) throws IOException {
        Map<String, String> pluginIds = new HashMap<>();
        for (Bundle bundle : pluginBundles.getTracked().keySet()) {
            PluginDescriptor.of(bundle).forEach(p -> pluginIds.putIfAbsent(p.factoryPid(), p.id()));
        }
        Configuration[] all;
        try {
            all = configAdmin.listConfigurations("(|(service.factoryPid=*)(service.pid=" + ENGINE_PID + "))");
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e); // a constant filter
        }
        Map<String, Configuration> byPid = new TreeMap<>();
        for (Configuration configuration : all == null ? new Configuration[0] : all) {
            try {
                byPid.put(configuration.getPid(), configuration);
            } catch (IllegalStateException deleted) {
                // deleted while listed: gone, as it will be in the next list
            }
        }
        Map<Kind, Map<String, Entry>> entries = new EnumMap<>(Kind.class);
        Map<Kind, Map<String, Handle>> handles = new EnumMap<>(Kind.class);
        for (Kind kind : Kind.values()) {
            entries.put(kind, new LinkedHashMap<>());
            handles.put(kind, new HashMap<>());
        }
        Map<String, Object> engine = Map.of();
        Handle engineHandle = null;
        for (Map.Entry<String, Configuration> listed : byPid.entrySet()) {
            String pid = listed.getKey();
            Configuration configuration = listed.getValue();
            long changeCount;
            Dictionary<String, Object> properties;
            String factoryPid;
            try {
                changeCount = configuration.getChangeCount();
                properties = configuration.getProperties();
                factoryPid = configuration.getFactoryPid();
            } catch (IllegalStateException deleted) {
                continue; // deleted while listed: as if it had not been listed
            }
            if (properties == null) {
                continue;
            }
            if (ENGINE_PID.equals(pid)) {
                engine = settings(properties, "the engine configuration " + ENGINE_PID, warnings);
                engineHandle = new Handle(configuration, pid, null, changeCount);
                continue;
            }
            String id = InstanceIds.of(pid, factoryPid);
            Kind kind;
            String pluginId = null;
            if (BotComponent.FACTORY_PID.equals(factoryPid)) {
                kind = Kind.BOT;
            } else {
                kind = Kind.PLUGIN;
                pluginId = pluginId(factoryPid, properties, id, pluginIds, edited);
                if (pluginId == null) {
                    continue; // not a plugin instance
                }
            }
            try {
                InstanceIds.checkId(kind.noun, id);
            } catch (IllegalArgumentException e) {
                warnings.add("configuration " + pid + " is left out of " + settingsFile.getFileName() + ": "
                        + e.getMessage());
                continue;
            }
            Map<String, Handle> handlesOfKind = handles.get(kind);
            if (handlesOfKind.containsKey(id)) {
                warnings.add("configuration " + pid + " is left out of " + settingsFile.getFileName() + ": "
                        + kind.noun + " id '" + id + "' is already used by " + handlesOfKind.get(id).pid());
                continue;
            }
            entries.get(kind).put(id, new Entry(kind, id, pluginId, SettingValues.isEnabled(properties),
                    settings(properties, kind.describe(id), warnings)));
            handlesOfKind.put(id, new Handle(configuration, pid, factoryPid, changeCount));
        }
        return new ConfigView(new SettingsDocument(entries.get(Kind.PLUGIN), entries.get(Kind.BOT), engine), handles,
                engineHandle);
    }

    /**
     * The plugin a factory configuration is an instance of, or {@code null} if it is not one: the plugin id it
     * carries, else the plugin of an installed bundle with that factory PID, else the plugin the file or the base
     * names for that instance (so an instance survives its plugin's bundle being uninstalled).
     */
    private String pluginId(String factoryPid, Dictionary<String, Object> properties, String instanceId,
            Map<String, String> installed, SettingsDocument edited) {
        if (properties.get(PluginConstants.PLUGIN_ID) instanceof String id
                && PluginConstants.factoryPid(id).equals(factoryPid)) {
            return id;
        }
        if (installed.containsKey(factoryPid)) {
            return installed.get(factoryPid);
        }
        for (SettingsDocument known : edited == null ? List.of(base) : List.of(edited, base)) {
            Entry instance = known.plugins().get(instanceId);
            if (instance != null && instance.factoryPid().equals(factoryPid)) {
                return instance.pluginId();
            }
        }
        return null;
    }

    /** A configuration's settings in canonical form, by key; values JSON cannot carry stay in ConfigAdmin only. */
    private static Map<String, Object> settings(Dictionary<String, Object> properties, String owner,
            Set<String> warnings) {
        Map<String, Object> settings = new TreeMap<>();
        for (Enumeration<String> keys = properties.keys(); keys.hasMoreElements();) {
            String key = keys.nextElement();
            if (SettingValues.isBookkeeping(key)) {
                continue;
            }
            Object value = SettingValues.fromConfig(properties.get(key));
            if (value == null) {
                warnings.add("setting '" + key + "' of " + owner + " has a type settings.json cannot hold ("
                        + properties.get(key).getClass().getSimpleName() + "); it is kept in ConfigAdmin only");
            } else {
                settings.put(key, value);
            }
        }
        return settings;
    }

    // ---- document -> ConfigAdmin

    private static final class Changes {
        /** The entries ConfigAdmin could not be brought in line with, by kind. */
        final Map<Kind, Set<String>> unsettled = new EnumMap<>(Kind.class);
        final Set<String> errors = new LinkedHashSet<>();
        boolean engineUnsettled;
        int created;
        int updated;
        int deleted;
        boolean fileWritten;

        Changes() {
            for (Kind kind : Kind.values()) {
                unsettled.put(kind, new HashSet<>());
            }
        }

        void unsettled(Entry entry) {
            unsettled.get(entry.kind()).add(entry.id());
        }

        boolean any() {
            return created + updated + deleted > 0 || fileWritten;
        }
    }

    /** Brings the configurations of one kind of entry in line with the merged document. */
    private void applyEntries(Kind kind, SettingsDocument merged, ConfigView view, Changes changes) {
        Map<String, Entry> wantedEntries = merged.entries(kind);
        Map<String, Handle> handles = view.handles().get(kind);
        Set<String> blocked = new HashSet<>();
        for (Map.Entry<String, Handle> entry : handles.entrySet()) {
            String id = entry.getKey();
            Entry wanted = wantedEntries.get(id);
            if (wanted == null || !wanted.factoryPid().equals(entry.getValue().factoryPid())) {
                Entry current = view.document().entries(kind).get(id);
                if (delete(current, entry.getValue(), changes)) {
                    changes.deleted++;
                } else {
                    blocked.add(id);
                }
            }
        }
        for (Entry wanted : wantedEntries.values()) {
            String id = wanted.id();
            Handle handle = handles.get(id);
            if (blocked.contains(id)) {
                changes.unsettled(wanted);
            } else if (handle != null && wanted.factoryPid().equals(handle.factoryPid())) {
                Entry current = view.document().entries(kind).get(id);
                if (!wanted.same(current) && update(handle, current, wanted, changes)) {
                    changes.updated++;
                }
            } else if (create(wanted, changes)) {
                changes.created++;
            }
        }
    }

    private boolean delete(Entry current, Handle handle, Changes changes) {
        if (handle.changedSince()) {
            changes.unsettled(current);
            requestSync();
            return false;
        }
        try {
            delete(handle.configuration());
            return true;
        } catch (IOException | IllegalStateException e) {
            changes.unsettled(current);
            changes.errors.add("could not delete the configuration of " + current.describe() + ": " + describe(e));
            return false;
        }
    }

    private boolean update(Handle handle, Entry seen, Entry wanted, Changes changes) {
        Dictionary<String, Object> current = handle.changedSince() ? null : handle.configuration().getProperties();
        if (current == null) {
            changes.unsettled(wanted); // changed or deleted elsewhere while we merged: merge again
            requestSync();
            return false;
        }
        Hashtable<String, Object> next = kept(current, false);
        Object enabled = current.get(PluginConstants.ENABLED);
        if (enabled != null && SettingValues.isEnabled(current) == wanted.enabled()) {
            next.put(PluginConstants.ENABLED, enabled);
        } else if (enabled != null || !wanted.enabled()) {
            next.put(PluginConstants.ENABLED, wanted.enabled());
        }
        if (wanted.pluginId() != null && (current.get(PluginConstants.PLUGIN_ID) != null
                || !wanted.pluginId().equals(seen.pluginId()))) {
            next.put(PluginConstants.PLUGIN_ID, wanted.pluginId());
        }
        putSettings(next, wanted.settings(), current);
        try {
            update(handle.configuration(), next);
            return true;
        } catch (IOException | RuntimeException e) {
            changes.unsettled(wanted);
            changes.errors.add("could not update the configuration of " + wanted.describe() + ": " + describe(e));
            return false;
        }
    }

    private boolean create(Entry wanted, Changes changes) {
        String id = wanted.id();
        String factoryPid = wanted.factoryPid();
        try {
            Configuration configuration = configAdmin.getFactoryConfiguration(factoryPid, id, "?");
            if (!factoryPid.equals(configuration.getFactoryPid()) && configuration.getProperties() == null) {
                // FileInstall 3.7.4 (FELIX-6812) answers the update event of a configuration deleted meanwhile by
                // creating an empty singleton with its PID, and ConfigAdmin hands that out for the PID from then
                // on: delete the leftover so that the entry becomes a factory configuration again
                delete(configuration);
                configuration = configAdmin.getFactoryConfiguration(factoryPid, id, "?");
            }
            if (!factoryPid.equals(configuration.getFactoryPid())) {
                changes.errors.add("could not create the configuration of " + wanted.describe()
                        + ": the configuration " + configuration.getPid()
                        + " exists and is not a factory configuration of " + factoryPid);
                changes.unsettled(wanted);
                return false;
            }
            if (configuration.getProperties() != null) {
                changes.unsettled(wanted); // created elsewhere while we merged; its event brings it in
                return false;
            }
            Hashtable<String, Object> properties = new Hashtable<>();
            if (wanted.pluginId() != null) {
                properties.put(PluginConstants.PLUGIN_ID, wanted.pluginId());
            }
            properties.put(PluginConstants.ENABLED, wanted.enabled());
            putSettings(properties, wanted.settings(), null);
            update(configuration, properties);
            return true;
        } catch (IOException | RuntimeException e) {
            changes.unsettled(wanted);
            changes.errors.add("could not create the configuration of " + wanted.describe() + ": " + describe(e));
            return false;
        }
    }

    private void applyEngine(Map<String, Object> wanted, ConfigView view, Changes changes) {
        if (SettingValues.sameSettings(wanted, view.document().engine())) {
            return;
        }
        Handle handle = view.engine();
        try {
            Configuration configuration;
            Dictionary<String, Object> current;
            if (handle == null) {
                configuration = configAdmin.getConfiguration(ENGINE_PID, "?");
                current = configuration.getProperties();
                if (current != null) {
                    changes.engineUnsettled = true; // created elsewhere while we merged
                    return;
                }
            } else {
                if (handle.changedSince()) {
                    changes.engineUnsettled = true;
                    requestSync();
                    return;
                }
                configuration = handle.configuration();
                current = configuration.getProperties();
            }
            Hashtable<String, Object> next = current == null ? new Hashtable<>() : kept(current, true);
            putSettings(next, wanted, current);
            update(configuration, next);
            if (handle == null) {
                changes.created++;
            } else {
                changes.updated++;
            }
        } catch (IOException | RuntimeException e) {
            changes.engineUnsettled = true;
            changes.errors.add("could not update the engine configuration " + ENGINE_PID + ": " + describe(e));
        }
    }

    /** What an update keeps of a configuration: bookkeeping, and values settings.json cannot hold. */
    private static Hashtable<String, Object> kept(Dictionary<String, Object> current, boolean keepEnabled) {
        Hashtable<String, Object> kept = new Hashtable<>();
        for (Enumeration<String> keys = current.keys(); keys.hasMoreElements();) {
            String key = keys.nextElement();
            Object value = current.get(key);
            if (!keepEnabled && key.equalsIgnoreCase(PluginConstants.ENABLED)) {
                continue; // an instance's flag is decided by the caller
            }
            if (SettingValues.isBookkeeping(key) || SettingValues.fromConfig(value) == null) {
                kept.put(key, value);
            }
        }
        return kept;
    }

    /** Puts settings, keeping the stored value (and its type) where it is the same by value. */
    private static void putSettings(Hashtable<String, Object> target, Map<String, Object> settings,
            Dictionary<String, Object> current) {
        settings.forEach((key, value) -> {
            Object existing = current == null ? null : current.get(key);
            if (existing != null && SettingValues.same(SettingValues.fromConfig(existing), value)) {
                target.put(key, existing);
            } else {
                target.put(key, SettingValues.toConfig(value, existing));
            }
        });
    }

    // ---- files

    private static byte[] readIfExists(Path file) throws IOException {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private SettingsDocument loadBase() {
        try {
            byte[] content = readIfExists(baseFile);
            return content == null ? SettingsDocument.EMPTY : SettingsJson.parse(content);
        } catch (IOException | SettingsJson.InvalidSettingsException e) {
            // only this class writes the base, atomically; if it is unusable, merge as if both sides were new
            log.error("the last reconciled settings {} cannot be read ({}); instances deleted on one side while "
                    + "Grambot was down will be kept", baseFile, e.getMessage());
            return SettingsDocument.EMPTY;
        }
    }

    private void reportProblem(String message) {
        if (!message.equals(problem)) {
            log.error("{}; ConfigAdmin is left as it is and the file is not rewritten until it is fixed", message);
        }
        problem = message;
    }

    private void clearProblem() {
        if (problem != null) {
            log.info("{} is valid again; reconciliation resumes", settingsFile);
            problem = null;
        }
    }

    // ---- watching the file

    /** What the fallback poll compares. */
    private record FileState(boolean exists, long size, FileTime modified, Object key) {
        static FileState of(Path file) {
            try {
                BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
                return new FileState(true, attributes.size(), attributes.lastModifiedTime(), attributes.fileKey());
            } catch (IOException e) {
                return new FileState(false, 0, null, null);
            }
        }
    }

    private void watch() {
        Path directory = settingsFile.getParent();
        Path name = settingsFile.getFileName();
        WatchKey key = null;
        boolean warned = false;
        FileState last = FileState.of(settingsFile);
        while (!closed) {
            try {
                if (key == null || !key.isValid()) {
                    try {
                        Files.createDirectories(directory);
                        key = directory.register(watchService, StandardWatchEventKinds.ENTRY_CREATE,
                                StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE);
                        warned = false;
                    } catch (IOException e) {
                        key = null;
                        if (!warned) {
                            log.warn("cannot watch {} ({}); changes to {} are seen by polling only", directory,
                                    e.toString(), name);
                            warned = true;
                        }
                    }
                }
                // without a watch, poll even if the poll is turned off
                long wait = pollMillis > 0 ? pollMillis : key == null ? 2_000 : Long.MAX_VALUE;
                WatchKey signalled = watchService.poll(wait, TimeUnit.MILLISECONDS);
                boolean touched = false;
                if (signalled != null) {
                    for (WatchEvent<?> event : signalled.pollEvents()) {
                        touched |= event.kind() == StandardWatchEventKinds.OVERFLOW
                                || name.equals(event.context());
                    }
                    signalled.reset();
                }
                FileState now = FileState.of(settingsFile);
                boolean ours = now.equals(ownFileState); // our own write: nothing to reconcile
                if ((touched || !now.equals(last)) && !ours || retry) {
                    requestSync();
                }
                last = now;
            } catch (ClosedWatchServiceException | InterruptedException e) {
                return;
            }
        }
    }
}
