package io.grambot.itest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Filter;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogListener;
import org.osgi.service.log.LogReaderService;
import org.osgi.service.log.LoggerFactory;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.common.annotation.Property;
import org.osgi.test.common.annotation.config.WithFactoryConfiguration;
import org.osgi.test.junit5.cm.ConfigurationExtension;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.grambot.api.PluginConstants;
import io.grambot.api.PluginContext;
import io.grambot.api.runtime.PluginRuntime;
import io.grambot.api.tool.Tool;
import io.grambot.api.tool.ToolContext;

/**
 * {@code settings.json} and ConfigAdmin stay in line both ways. All itests share one framework and data directory:
 * every test works on instances named {@value #PREFIX}..., leaves other entries of the file alone, and starts by
 * removing what an earlier (failed) run may have left.
 */
@ExtendWith(BundleContextExtension.class)
@ExtendWith(ServiceExtension.class)
@ExtendWith(ConfigurationExtension.class)
class SettingsFileTest {

    private static final String PREFIX = "sft-";
    private static final String SYNC = "io.grambot.core.internal.SettingsFileSync";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Bundle echo;
    private static LogListener coreLog;

    @InjectBundleContext
    BundleContext context;

    @InjectService
    PluginRuntime runtime;

    @InjectService
    ConfigurationAdmin configAdmin;

    @BeforeAll
    static void installEcho(@InjectBundleContext BundleContext context,
            @InjectService LogReaderService logReader) throws Exception {
        try (InputStream in = Files.newInputStream(Fixtures.echoJar(context))) {
            echo = context.installBundle("itest:echo-settings", in);
        }
        echo.start();
        // the core's warnings and errors go to the test report, to tell what happened when a test fails
        coreLog = entry -> {
            if ("io.grambot.core".equals(entry.getBundle().getSymbolicName())
                    && org.osgi.service.log.LogLevel.WARN.implies(entry.getLogLevel())) { // WARN, ERROR, AUDIT
                System.out.println("core " + entry.getLogLevel() + ": " + entry.getMessage()
                        + (entry.getException() == null ? "" : " " + entry.getException()));
            }
        };
        logReader.addLogListener(coreLog);
    }

    @AfterAll
    static void uninstallEcho(@InjectService LogReaderService logReader) throws Exception {
        logReader.removeLogListener(coreLog);
        echo.uninstall();
    }

    @BeforeEach
    @AfterEach
    void removeTestInstances() throws Exception {
        for (Configuration configuration : configurations(PREFIX + "*")) {
            configuration.delete();
        }
        ObjectNode doc = tryRead();
        if (doc == null) {
            Files.deleteIfExists(settingsFile()); // missing means "no edits": it is regenerated from ConfigAdmin
        } else if (removeEntries(doc, PREFIX) | removeEngineKeys(doc, PREFIX)) { // both, hence no short circuit
            write(doc);
        }
        Eventually.until("settings.json is valid and holds no test instances", () -> {
            ObjectNode now = tryRead();
            return now != null && problem().isEmpty() && configurations(PREFIX + "*").isEmpty()
                    && !removeEntries(now.deepCopy(), PREFIX);
        });
        reconcile(); // let a sync see both removals, or the next test's re-added entry meets a stale base
    }

    @Test
    void addingChangingAndRemovingAnEntryInTheFileCreatesUpdatesAndDeletesItsConfiguration() throws Exception {
        String filter = "(" + PluginConstants.INSTANCE_ID + "=sft-file)";
        edit(doc -> putEntry(doc, "sft-file", true, Map.of("toolName", "filed", "prefix", "f> ", "limit", 5)));

        Tool tool = Eventually.service(context, Tool.class, filter);
        assertThat(tool.name()).isEqualTo("filed");
        assertThat(tool.execute(Map.of("text", "hi"), ToolContext.NONE).text()).isEqualTo("f> hi");
        PluginContext instance = Eventually.service(context, PluginContext.class, filter);
        assertThat(instance.pluginId()).isEqualTo("echo");
        assertThat(instance.settings()).containsEntry("toolName", "filed").containsEntry("limit", 5);
        Dictionary<String, Object> properties = configuration("sft-file").orElseThrow().getProperties();
        assertThat(properties.get(PluginConstants.PLUGIN_ID)).isEqualTo("echo");
        assertThat(properties.get("service.pid")).isEqualTo("echo~sft-file");

        edit(doc -> putEntry(doc, "sft-file", true, Map.of("toolName", "renamed", "limit", 6)));
        Eventually.until("the instance's tool is renamed", () -> "renamed".equals(toolName(filter)));
        properties = configuration("sft-file").orElseThrow().getProperties();
        assertThat(properties.get("prefix")).as("a key removed from the file").isNull();
        assertThat(properties.get("limit")).isEqualTo(6);

        edit(doc -> putEntry(doc, "sft-file", false, Map.of("toolName", "renamed", "limit", 6)));
        Eventually.gone(context, PluginContext.class, filter);
        Eventually.gone(context, Tool.class, filter);
        assertThat(configuration("sft-file").orElseThrow().getProperties().get("enabled")).isEqualTo(false);

        edit(doc -> removeEntry(doc, "sft-file"));
        Eventually.until("the configuration is deleted", () -> configuration("sft-file").isEmpty());
    }

    @Test
    void configurationsCreatedChangedAndDeletedThroughConfigAdminAreWrittenToTheFile() throws Exception {
        Configuration configuration = factoryConfiguration("sft-admin");
        try {
            configuration.update(new Hashtable<>(Map.of("toolName", "admin", "count", 7,
                    "tags", new String[] { "a", "b" })));
            Eventually.until("the file holds sft-admin", () -> entry("sft-admin").isPresent());
            ObjectNode entry = entry("sft-admin").orElseThrow();
            assertThat(entry.get("pluginId").asText()).isEqualTo("echo");
            assertThat(entry.get("enabled").asBoolean()).isTrue();
            assertThat(entry.get("settings"))
                    .isEqualTo(JSON.readTree("{\"toolName\": \"admin\", \"count\": 7, \"tags\": [\"a\", \"b\"]}"));

            configuration.update(new Hashtable<>(Map.of("toolName", "admin2", "count", 7, "enabled", false)));
            Eventually.until("the file shows the change", () -> entry("sft-admin")
                    .map(e -> !e.get("enabled").asBoolean() && "admin2".equals(e.at("/settings/toolName").asText())
                            && !e.get("settings").has("tags"))
                    .orElse(false));

            configuration.delete();
            Eventually.until("the entry is removed from the file", () -> entry("sft-admin").isEmpty());
        } finally {
            configuration("sft-admin").ifPresent(SettingsFileTest::delete);
        }
    }

    @Test
    @WithFactoryConfiguration(factoryPid = "echo", name = "sft-annotated", location = "?",
            properties = @Property(key = "toolName", value = "annotated"))
    void aConfigurationMadeByTheTestAnnotationIsWrittenToTheFile() throws Exception {
        Eventually.until("the file holds sft-annotated", () -> entry("sft-annotated")
                .map(e -> "annotated".equals(e.at("/settings/toolName").asText())).orElse(false));
    }

    @Test
    void aConfigurationFileOfFileInstallIsWrittenToTheFileAndEditsReachItsCfgFile() throws Exception {
        Path cfg = Fixtures.etcDir(context).resolve("echo-sft-cfg.cfg");
        Files.createDirectories(cfg.getParent());
        Files.writeString(cfg, "toolName=fromcfg\n");
        String filter = "(" + PluginConstants.INSTANCE_ID + "=sft-cfg)";
        try {
            Eventually.until("the file holds sft-cfg", () -> entry("sft-cfg")
                    .map(e -> "fromcfg".equals(e.at("/settings/toolName").asText())).orElse(false));

            edit(doc -> putEntry(doc, "sft-cfg", true, Map.of("toolName", "edited")));

            Eventually.until("FileInstall writes the edit to the .cfg file", () -> read(cfg).contains("edited"));
            Eventually.until("the instance runs with the edit", () -> "edited".equals(toolName(filter)));
            assertThat(configuration("sft-cfg").orElseThrow().getProperties().get("felix.fileinstall.filename"))
                    .as("FileInstall's bookkeeping is kept").isNotNull();

            Files.delete(cfg);
            Eventually.until("the entry is removed from the file", () -> entry("sft-cfg").isEmpty());
        } finally {
            Files.deleteIfExists(cfg);
        }
    }

    @Test
    void engineSettingsAreTheEngineConfiguration() throws Exception {
        try {
            edit(doc -> engine(doc).put(PREFIX + "language", "de"));
            Eventually.until("the engine configuration holds the file's setting",
                    () -> "de".equals(engineProperty(PREFIX + "language")));

            Configuration engine = configAdmin.getConfiguration("grambot.engine", "?");
            Dictionary<String, Object> properties = engine.getProperties();
            properties.put(PREFIX + "limit", 3);
            engine.update(properties);
            Eventually.until("the file holds the configuration's setting",
                    () -> tryRead() != null && engine(tryRead()).path(PREFIX + "limit").asInt() == 3);
        } finally {
            edit(doc -> removeEngineKeys(doc, PREFIX));
            Eventually.until("the engine configuration is cleaned", () -> engineProperty(PREFIX + "language") == null
                    && engineProperty(PREFIX + "limit") == null);
        }
    }

    @Test
    void anUnparsableFileIsReportedWithLineAndColumnChangesNothingAndIsNotOverwritten(
            @InjectService LogReaderService logReader, @InjectService LoggerFactory loggers) throws Exception {
        edit(doc -> putEntry(doc, "sft-stay", true, Map.of("toolName", "stay")));
        Eventually.until("sft-stay is configured", () -> configuration("sft-stay").isPresent());
        ObjectNode before = read();
        List<LogEntry> logged = new CopyOnWriteArrayList<>();
        LogListener listener = logged::add;
        logReader.addLogListener(listener);
        try {
            String line3 = "  {\"instanceId\": \"sft-new\", \"pluginId\": \"echo\", "
                    + "\"settings\": {\"token\": \"leak-me-4711\" \"x\": 1}}";
            String broken = "{\"plugins\": [\n"
                    + "  {\"instanceId\": \"sft-stay\", \"pluginId\": \"echo\", \"settings\": {\"toolName\": \"changed\"}},\n"
                    + line3 + "\n]}\n";
            String position = "line 3, column " + (line3.indexOf("\"x\"") + 1);
            writeText(broken);

            Eventually.until("the problem is reported", () -> problem().isPresent());
            assertThat(problem().orElseThrow()).contains("settings.json", position).doesNotContain("leak-me");

            // meanwhile ConfigAdmin changes; the broken file is neither applied nor overwritten
            Configuration stay = configuration("sft-stay").orElseThrow();
            Dictionary<String, Object> properties = stay.getProperties();
            properties.put("fromAdmin", "kept");
            stay.update(properties);
            reconcile();
            writeText(broken); // saved again unchanged: the same problem, not logged twice
            reconcile();
            assertThat(read(settingsFile())).isEqualTo(broken);
            assertThat(configuration("sft-new")).isEmpty();
            assertThat(configuration("sft-stay").orElseThrow().getProperties().get("toolName")).isEqualTo("stay");
            assertThat(problem().orElseThrow()).contains(position);
            String marker = "sft-log-marker-" + System.nanoTime();
            loggers.getLogger(SettingsFileTest.class).error(marker); // the log delivers in order: all before it came
            Eventually.until("the log caught up", () -> logged.stream().anyMatch(e -> e.getMessage().equals(marker)));
            assertThat(logged.stream().filter(e -> e.getMessage().contains(position))).hasSize(1)
                    .allMatch(e -> e.getBundle().getSymbolicName().equals("io.grambot.core"));

            // fixed: reconciliation resumes and the ConfigAdmin edit made meanwhile survives
            ObjectNode fixed = before.deepCopy();
            putEntry(fixed, "sft-stay", true, Map.of("toolName", "stay", "prefix", "fixed> "));
            putEntry(fixed, "sft-new", true, Map.of("toolName", "new", "token", "leak-me-4711"));
            write(fixed);
            Eventually.until("the new instance is configured", () -> configuration("sft-new").isPresent());
            assertThat(problem()).isEmpty();
            Eventually.until("both edits of sft-stay are in ConfigAdmin and in the file", () -> {
                Dictionary<String, Object> now = configuration("sft-stay").orElseThrow().getProperties();
                return "fixed> ".equals(now.get("prefix")) && "kept".equals(now.get("fromAdmin"))
                        && entry("sft-stay").map(e -> "kept".equals(e.at("/settings/fromAdmin").asText()))
                                .orElse(false);
            });
            assertThat(logged).extracting(LogEntry::getMessage).noneMatch(m -> m.contains("leak-me-4711"));
        } finally {
            logReader.removeLogListener(listener);
        }
    }

    @Test
    void editsInBothPlacesWhileTheSyncIsStoppedBothSurvive(@InjectService ServiceComponentRuntime scr)
            throws Exception {
        edit(doc -> {
            putEntry(doc, "sft-down", true, Map.of("toolName", "down", "a", "1", "b", "1"));
            putEntry(doc, "sft-down-x", true, Map.of("toolName", "x"));
            putEntry(doc, "sft-down-y", true, Map.of("toolName", "y"));
        });
        Eventually.until("sft-down is configured", () -> configuration("sft-down").isPresent()
                && configuration("sft-down-x").isPresent() && configuration("sft-down-y").isPresent());
        Bundle core = Arrays.stream(context.getBundles()).filter(b -> "io.grambot.core".equals(b.getSymbolicName()))
                .findFirst().orElseThrow();
        ComponentDescriptionDTO description = scr.getComponentDescriptionDTO(core, SYNC);
        scr.disableComponent(description).getValue();
        try {
            Configuration configuration = configuration("sft-down").orElseThrow();
            Dictionary<String, Object> properties = configuration.getProperties();
            properties.put("a", "config");
            configuration.update(properties);
            factoryConfiguration("sft-down-admin")
                    .update(new Hashtable<>(Map.of("toolName", "admin")));
            Configuration x = configuration("sft-down-x").orElseThrow(); // modified here, deleted in the file
            x.update(new Hashtable<>(Map.of("toolName", "x2")));
            configuration("sft-down-y").orElseThrow().delete(); // deleted here, modified in the file
            edit(doc -> {
                putEntry(doc, "sft-down", true, Map.of("toolName", "down", "a", "1", "b", "file"));
                putEntry(doc, "sft-down-file", true, Map.of("toolName", "file"));
                putEntry(doc, "sft-down-y", true, Map.of("toolName", "y2"));
                removeEntry(doc, "sft-down-x");
            });
        } finally {
            scr.enableComponent(description).getValue();
        }

        Eventually.until("both edits are in the file", () -> entry("sft-down")
                .map(e -> "config".equals(e.at("/settings/a").asText()) && "file".equals(e.at("/settings/b").asText()))
                .orElse(false) && entry("sft-down-admin").isPresent() && entry("sft-down-file").isPresent());
        Dictionary<String, Object> merged = configuration("sft-down").orElseThrow().getProperties();
        assertThat(merged.get("a")).isEqualTo("config");
        assertThat(merged.get("b")).isEqualTo("file");
        assertThat(configuration("sft-down-file")).isPresent();
        Eventually.until("the modified instances are kept although the other side deleted them", () ->
                entry("sft-down-x").map(e -> "x2".equals(e.at("/settings/toolName").asText())).orElse(false)
                        && configuration("sft-down-y").map(c -> "y2".equals(c.getProperties().get("toolName")))
                                .orElse(false));
        assertThat(configuration("sft-down-x").orElseThrow().getProperties().get("toolName")).isEqualTo("x2");
        assertThat(entry("sft-down-y").orElseThrow().at("/settings/toolName").asText()).isEqualTo("y2");
    }

    @Test
    void editsInBothPlacesAtOnceBothSurvive() throws Exception {
        edit(doc -> putEntry(doc, "sft-both", true, Map.of("toolName", "both", "a", "1", "b", "1")));
        Eventually.until("sft-both is configured", () -> configuration("sft-both").isPresent());
        reconcile(); // settled: no sync is about to write the file

        Configuration configuration = configuration("sft-both").orElseThrow();
        Dictionary<String, Object> properties = configuration.getProperties();
        properties.put("a", "config");
        configuration.update(properties);
        edit(doc -> putEntry(doc, "sft-both", true, Map.of("toolName", "both", "a", "1", "b", "file")));

        Eventually.until("both edits are in ConfigAdmin and in the file", () -> {
            Dictionary<String, Object> now = configuration("sft-both").orElseThrow().getProperties();
            return "config".equals(now.get("a")) && "file".equals(now.get("b")) && entry("sft-both")
                    .map(e -> "config".equals(e.at("/settings/a").asText())
                            && "file".equals(e.at("/settings/b").asText()))
                    .orElse(false);
        });
    }

    @Test
    void reconcilingAThousandInstances() throws Exception {
        int count = 1_000;
        Duration bound = Duration.ofMinutes(3);
        Filter contexts = Eventually.filter(context, PluginContext.class,
                "(" + PluginConstants.INSTANCE_ID + "=" + PREFIX + "k*)");
        Filter tools = Eventually.filter(context, Tool.class, "(" + PluginConstants.INSTANCE_ID + "=" + PREFIX + "k*)");
        ObjectNode doc = read();
        for (int i = 0; i < count; i++) {
            putEntry(doc, String.format("%sk%04d", PREFIX, i), true, Map.of("toolName", "k" + i));
        }

        long start = System.nanoTime();
        write(doc);
        Eventually.until(count + " configurations exist", bound, () -> configurations(PREFIX + "k*").size() == count);
        long configured = System.nanoTime();
        Eventually.until(count + " contexts are registered", bound, () -> Eventually.count(context, contexts) == count);
        long contextsUp = System.nanoTime();
        Eventually.until(count + " tools are registered", bound, () -> Eventually.count(context, tools) == count);
        long toolsUp = System.nanoTime();

        edit(d -> removeEntries(d, PREFIX + "k"));
        long removing = System.nanoTime();
        Eventually.until("no context is left", bound, () -> Eventually.count(context, contexts) == 0);
        long contextsDown = System.nanoTime();
        Eventually.until("no configuration is left", bound, () -> configurations(PREFIX + "k*").isEmpty());
        long configurationsDown = System.nanoTime();

        assertThat(Eventually.count(context, tools)).isZero();

        // the other way: a burst of configurations made through ConfigAdmin
        long creating = System.nanoTime();
        for (int i = 0; i < count; i++) {
            factoryConfiguration(String.format("%sc%04d", PREFIX, i))
                    .update(new Hashtable<>(Map.of("toolName", "c" + i)));
        }
        long created = System.nanoTime();
        try {
            Eventually.until("the file holds " + count + " entries", bound, () -> countEntries(PREFIX + "c") == count);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; the file holds " + countEntries(PREFIX + "c") + ", ConfigAdmin "
                    + configurations(PREFIX + "c*").size() + ", problem " + problem(), e);
        }
        long inFile = System.nanoTime();
        for (Configuration configuration : configurations(PREFIX + "c*")) {
            configuration.delete();
        }
        long deleted = System.nanoTime();
        try {
            Eventually.until("the file holds none of them", bound, () -> countEntries(PREFIX + "c") == 0);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; the file holds " + countEntries(PREFIX + "c") + ", ConfigAdmin "
                    + configurations(PREFIX + "c*").size() + ", problem " + problem(), e);
        }
        long outOfFile = System.nanoTime();

        System.out.printf("settings.json with %d new instances -> all configurations %d ms, all PluginContext "
                + "services %d ms, all Tool services %d ms; entries removed -> no PluginContext %d ms, no "
                + "configuration %d ms%n", count, millis(start, configured), millis(start, contextsUp),
                millis(start, toolsUp), millis(removing, contextsDown), millis(removing, configurationsDown));
        System.out.printf("%d configurations created through ConfigAdmin in %d ms -> all in settings.json %d ms after "
                + "the first; deleted in %d ms -> none in settings.json %d ms after the first deletion%n", count,
                millis(creating, created), millis(creating, inFile), millis(created, deleted),
                millis(created, outOfFile));
    }

    private int countEntries(String idPrefix) {
        ObjectNode doc = tryRead();
        if (doc == null) {
            return -1;
        }
        int found = 0;
        for (JsonNode entry : plugins(doc)) {
            found += entry.path("instanceId").asText().startsWith(idPrefix) ? 1 : 0;
        }
        return found;
    }

    // ---- the file

    private Path settingsFile() {
        return Fixtures.dataDir(context).resolve("settings.json");
    }

    private ObjectNode read() throws IOException {
        return (ObjectNode) JSON.readTree(settingsFile().toFile());
    }

    /** The file's content, or {@code null} while it is missing or not JSON. */
    private ObjectNode tryRead() {
        try {
            return Files.exists(settingsFile()) && JSON.readTree(settingsFile().toFile()) instanceof ObjectNode doc
                    ? doc : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "";
        }
    }

    private void edit(Consumer<ObjectNode> change) throws IOException {
        ObjectNode doc = read();
        change.accept(doc);
        write(doc);
    }

    private void write(ObjectNode doc) throws IOException {
        writeText(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(doc));
    }

    /** Saves as many editors do: a new file renamed over the old one. */
    private void writeText(String text) throws IOException {
        Path temp = settingsFile().resolveSibling("settings.json.sft-edit");
        Files.writeString(temp, text);
        Files.move(temp, settingsFile(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private Optional<ObjectNode> entry(String instanceId) {
        ObjectNode doc = tryRead();
        return doc == null ? Optional.empty() : find(doc, instanceId);
    }

    private static Optional<ObjectNode> find(ObjectNode doc, String instanceId) {
        for (JsonNode entry : plugins(doc)) {
            if (instanceId.equals(entry.path("instanceId").asText())) {
                return Optional.of((ObjectNode) entry);
            }
        }
        return Optional.empty();
    }

    private static ArrayNode plugins(ObjectNode doc) {
        return doc.get("plugins") instanceof ArrayNode plugins ? plugins : doc.putArray("plugins");
    }

    private static ObjectNode engine(ObjectNode doc) {
        return doc.get("engine") instanceof ObjectNode engine ? engine : doc.putObject("engine");
    }

    private static void putEntry(ObjectNode doc, String instanceId, boolean enabled, Map<String, Object> settings) {
        Optional<ObjectNode> existing = find(doc, instanceId);
        ObjectNode entry = existing.orElseGet(() -> plugins(doc).addObject());
        entry.put("instanceId", instanceId).put("pluginId", "echo").put("enabled", enabled);
        entry.set("settings", JSON.valueToTree(settings));
    }

    private static void removeEntry(ObjectNode doc, String instanceId) {
        plugins(doc).removeIf(e -> instanceId.equals(e.path("instanceId").asText()));
    }

    private static boolean removeEntries(ObjectNode doc, String idPrefix) {
        int before = plugins(doc).size();
        plugins(doc).removeIf(e -> e.path("instanceId").asText().startsWith(idPrefix));
        return plugins(doc).size() != before;
    }

    private static boolean removeEngineKeys(ObjectNode doc, String keyPrefix) {
        List<String> keys = engine(doc).properties().stream().map(Map.Entry::getKey)
                .filter(key -> key.startsWith(keyPrefix)).toList();
        engine(doc).remove(keys);
        return !keys.isEmpty();
    }

    // ---- ConfigAdmin and services

    private List<Configuration> configurations(String instanceIdPattern) {
        try {
            Configuration[] found = configAdmin.listConfigurations("(service.pid=echo~" + instanceIdPattern + ")");
            return found == null ? List.of() : List.of(found);
        } catch (IOException | InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private Configuration factoryConfiguration(String instanceId) throws IOException {
        return Instances.factoryConfiguration(configAdmin, "echo", instanceId);
    }

    private Optional<Configuration> configuration(String instanceId) {
        return configurations(instanceId).stream().findFirst();
    }

    private Object engineProperty(String key) {
        try {
            Configuration[] found = configAdmin.listConfigurations("(service.pid=grambot.engine)");
            return found == null ? null : found[0].getProperties().get(key);
        } catch (IOException | InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void delete(Configuration configuration) {
        try {
            configuration.delete();
        } catch (IOException | IllegalStateException e) {
            // already gone
        }
    }

    private String toolName(String filter) {
        try {
            for (ServiceReference<Tool> ref : context.getServiceReferences(Tool.class, filter)) {
                Tool tool = context.getService(ref);
                try {
                    return tool == null ? null : tool.name();
                } finally {
                    context.ungetService(ref);
                }
            }
            return null;
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException(e);
        }
    }

    // core's internals are not exported: reach the component's two public methods by reflection
    private Object call(String method) throws Exception {
        Eventually.until("the settings file sync is registered", () -> context.getServiceReference(SYNC) != null);
        ServiceReference<?> ref = context.getServiceReference(SYNC);
        Object sync = context.getService(ref);
        try {
            return sync.getClass().getMethod(method).invoke(sync);
        } catch (InvocationTargetException e) {
            throw (Exception) e.getCause();
        } finally {
            context.ungetService(ref);
        }
    }

    private Optional<String> problem() {
        return runtime.settingsFileProblem();
    }

    private void reconcile() throws Exception {
        ((Future<?>) call("reconcile")).get(Eventually.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    private static long millis(long from, long to) {
        return TimeUnit.NANOSECONDS.toMillis(to - from);
    }
}

