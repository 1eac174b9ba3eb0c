package io.grambot.itest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.grambot.api.PluginEventHandler;
import io.grambot.api.connector.Connector;
import io.grambot.api.connector.OutgoingMessage;
import io.grambot.api.inference.InferenceProvider;
import io.grambot.api.runtime.EventQueueMonitor;
import io.grambot.api.runtime.PluginRuntime;

/**
 * Bots in {@code settings.json}: the {@code bots} section and the {@code grambot.bot} factory configurations stay in
 * line both ways, like plugin instances. The itests share one framework and data directory: every test works on
 * entries named {@value #PREFIX}..., leaves the others alone, and starts by removing what an earlier run left.
 */
@ExtendWith(BundleContextExtension.class)
@ExtendWith(ServiceExtension.class)
class BotSettingsFileTest {

    private static final String PREFIX = "bsf-";
    private static final String BOT_PID = "grambot.bot";
    private static final String BOT_COMPONENT = "io.grambot.core.internal.BotComponent";
    private static final String SYNC = "io.grambot.core.internal.SettingsFileSync";
    private static final ObjectMapper JSON = new ObjectMapper();

    @InjectBundleContext
    BundleContext context;

    @InjectService
    PluginRuntime runtime;

    @InjectService
    ConfigurationAdmin configAdmin;

    @InjectService
    ServiceComponentRuntime scr;

    @BeforeEach
    @AfterEach
    void removeTestEntries() throws Exception {
        for (Configuration configuration : configurations("*")) {
            configuration.delete();
        }
        ObjectNode doc = tryRead();
        if (doc == null) {
            Files.deleteIfExists(settingsFile()); // missing means "no edits": it is regenerated from ConfigAdmin
        } else if (removeEntries(doc, "plugins", "instanceId") | removeEntries(doc, "bots", "botId")) {
            write(doc);
        }
        Eventually.until("settings.json is valid and holds no test entries", () -> {
            ObjectNode now = tryRead();
            return now != null && runtime.settingsFileProblem().isEmpty() && configurations("*").isEmpty()
                    && !removeEntries(now.deepCopy(), "plugins", "instanceId")
                    && !removeEntries(now.deepCopy(), "bots", "botId");
        });
        Eventually.gone(context, PluginEventHandler.class, "(service.pid=" + BOT_PID + "~" + PREFIX + "*)");
        // The removals above happened on both sides at once; until a sync has seen them, the base still holds the
        // entries, and an entry the next test adds again to the file would meet a deletion made in ConfigAdmin
        // since the base (deletion wins over an unchanged entry).
        reconcile();
    }

    @Test
    void aBotAddedInTheFileAnswersAndFollowsEditsDisablingAndRemoval() throws Exception {
        String handler = "(service.pid=" + BOT_PID + "~bsf-bot)";
        edit(doc -> {
            putInstance(doc, "bsf-chat", "testchat", Map.of());
            putInstance(doc, "bsf-model", "scripted", Map.of());
            putBot(doc, "bsf-bot", true, Map.of("connectors", List.of("bsf-chat"), "provider", "bsf-model",
                    "maxToolRounds", 3));
        });

        TestChatConnector chat = (TestChatConnector) Eventually.service(context, Connector.class,
                Instances.filter("bsf-chat"));
        Eventually.service(context, InferenceProvider.class, Instances.filter("bsf-model"));
        Eventually.service(context, PluginEventHandler.class, handler);
        Dictionary<String, Object> properties = botConfiguration("bsf-bot").orElseThrow().getProperties();
        assertThat(properties.get("service.factoryPid")).isEqualTo(BOT_PID);
        assertThat((String[]) properties.get("connectors")).containsExactly("bsf-chat");
        assertThat(properties.get("maxToolRounds")).isEqualTo(3);
        assertThat(properties.get("grambot.plugin.id")).as("a bot is no plugin instance").isNull();
        assertThat(componentState("bsf-bot")).isIn(ComponentConfigurationDTO.SATISFIED,
                ComponentConfigurationDTO.ACTIVE);

        chat = awaitAnswering();
        chat.receive("bsf-room", "m1", "hello");
        assertThat(awaitReplies(chat, "bsf-room", 1)).containsExactly("hello (1 messages)");

        // disabled: the configuration stays, the component is not active, messages are not answered
        edit(doc -> putBot(doc, "bsf-bot", false, Map.of("connectors", List.of("bsf-chat"), "provider", "bsf-model",
                "maxToolRounds", 3)));
        Eventually.gone(context, PluginEventHandler.class, handler);
        assertThat(botConfiguration("bsf-bot").orElseThrow().getProperties().get("enabled")).isEqualTo(false);
        Eventually.until("the bot's component waits, unsatisfied", () -> componentState("bsf-bot")
                == ComponentConfigurationDTO.UNSATISFIED_REFERENCE);
        assertThat(componentConfiguration("bsf-bot").orElseThrow().unsatisfiedReferences)
                .singleElement().satisfies(reference -> {
                    assertThat(reference.name).isEqualTo("registries");
                    assertThat(reference.target).isEqualTo("(grambot.bot.disabled=bsf-bot)");
                });
        // In its first replayWaitMillis the queue holds events nobody handles, waiting for handlers still starting
        // (and this test may run early): without that wait the message has no bot to go to and is dropped.
        Configuration queue = configAdmin.getConfiguration("grambot.events", "?");
        try {
            queue.update(new Hashtable<>(Map.of("replayWaitMillis", 0L)));
            EventQueueMonitor monitor = Eventually.service(context, EventQueueMonitor.class, "(replayWaitMillis=0)");
            long unhandled = monitor.status().unhandled();
            chat.receive("bsf-room", "m2", "while disabled");
            Eventually.until("the message to the disabled bot is dropped as unhandled",
                    () -> monitor.status().unhandled() > unhandled);
        } finally {
            queue.delete();
        }

        // enabled again, with a new prompt: it answers, with its history, and never saw the message sent meanwhile
        edit(doc -> putBot(doc, "bsf-bot", true, Map.of("connectors", List.of("bsf-chat"), "provider", "bsf-model",
                "maxToolRounds", 3, "systemPrompt", "Be brief.")));
        Eventually.service(context, PluginEventHandler.class, handler);
        assertThat(botConfiguration("bsf-bot").orElseThrow().getProperties().get("systemPrompt"))
                .isEqualTo("Be brief.");
        TestChatConnector before = chat;
        chat = awaitAnswering();
        chat.receive("bsf-room", "m3", "back");
        // the connector object is new if its component was activated again; the bot's history is not
        assertThat(awaitReplies(chat, "bsf-room", chat == before ? 2 : 1)).endsWith("back (3 messages)");

        edit(doc -> removeEntry(doc, "bots", "botId", "bsf-bot"));
        Eventually.until("the bot's configuration is deleted", () -> botConfiguration("bsf-bot").isEmpty());
        Eventually.gone(context, PluginEventHandler.class, handler);
    }

    @Test
    void aBotMadeThroughConfigAdminIsWrittenToTheFileAndEditsOnBothSidesMerge() throws Exception {
        Configuration configuration = Instances.create(configAdmin, BOT_PID, "bsf-admin", Map.of(
                "connectors", new String[] { "bsf-nowhere" }, "provider", "p", "maxToolRounds", 4));
        try {
            Eventually.until("the file holds bot bsf-admin", () -> bot("bsf-admin").isPresent());
            ObjectNode entry = bot("bsf-admin").orElseThrow();
            assertThat(entry.get("enabled").asBoolean()).isTrue();
            assertThat(entry.has("pluginId")).isFalse();
            assertThat(entry.get("settings")).isEqualTo(JSON.readTree(
                    "{\"connectors\": [\"bsf-nowhere\"], \"maxToolRounds\": 4, \"provider\": \"p\"}"));
            assertThat(plugin("bsf-admin")).as("bots and instances are separate namespaces").isEmpty();
            reconcile(); // settled: no sync is about to write the file

            Dictionary<String, Object> properties = configuration.getProperties();
            properties.put("systemPrompt", "from the console");
            configuration.update(properties);
            edit(doc -> ((ObjectNode) bot(doc, "bsf-admin").orElseThrow().get("settings")).put("model", "from-file"));

            Eventually.until("both edits are in ConfigAdmin and in the file", () -> {
                Dictionary<String, Object> now = configuration.getProperties();
                return "from the console".equals(now.get("systemPrompt")) && "from-file".equals(now.get("model"))
                        && bot("bsf-admin").map(e -> "from the console".equals(e.at("/settings/systemPrompt").asText())
                                && "from-file".equals(e.at("/settings/model").asText())).orElse(false);
            });

            configuration.delete();
            Eventually.until("the entry is removed from the file", () -> bot("bsf-admin").isEmpty());
        } finally {
            botConfiguration("bsf-admin").ifPresent(BotSettingsFileTest::delete);
        }
    }

    @Test
    void aBadBotEntryIsReportedWithLineAndColumnAndChangesNothing() throws Exception {
        edit(doc -> putBot(doc, "bsf-keep", true, Map.of("connectors", List.of("x"), "provider", "kept")));
        Eventually.until("bsf-keep is configured", () -> botConfiguration("bsf-keep").isPresent());
        reconcile();

        // a nested object: the format itself is broken
        ObjectNode nested = read();
        putBot(nested, "bsf-keep", true, Map.of("connectors", List.of("x"), "provider", "changed"));
        putBot(nested, "bsf-bad", true, Map.of("connectors", List.of("x"), "limits", Map.of("rounds", 3)));
        String nestedText = pretty(nested);
        writeText(nestedText);
        String nestedAt = position(nestedText, "\"limits\" : {", "\"limits\" : ".length()); // at the object
        Eventually.until("the nested object is reported", () -> runtime.settingsFileProblem()
                .map(p -> p.contains(nestedAt + ": setting 'limits' of bot 'bsf-bad' is a nested object")).orElse(false));

        // a wrong type: the format is fine, the bot declaration refuses it
        ObjectNode wrong = read();
        putBot(wrong, "bsf-keep", true, Map.of("connectors", List.of("x"), "provider", "changed"));
        putBot(wrong, "bsf-bad", true, Map.of("connectors", List.of("x"), "maxToolRounds", "many"));
        putInstance(wrong, "bsf-chat", "testchat", Map.of());
        String wrongText = pretty(wrong);
        writeText(wrongText);
        String wrongAt = position(wrongText, "\"maxToolRounds\" : \"many\"", 0); // at the key
        Eventually.until("the wrong type is reported", () -> runtime.settingsFileProblem()
                .map(p -> p.contains(wrongAt + ": bot 'bsf-bad': setting 'maxToolRounds' must be an integer "
                        + "(was 'many')")).orElse(false));
        reconcile();
        assertThat(botConfiguration("bsf-bad")).isEmpty();
        assertThat(botConfiguration("bsf-keep").orElseThrow().getProperties().get("provider"))
                .as("the rest of the file is not applied either").isEqualTo("kept");
        assertThat(instanceConfigurations()).isEmpty();
        assertThat(Files.readString(settingsFile())).as("the file is not rewritten").isEqualTo(wrongText);

        // fixed: everything applies
        ((ObjectNode) bot(wrong, "bsf-bad").orElseThrow().get("settings")).put("maxToolRounds", 7);
        write(wrong);
        Eventually.until("the fixed bot is configured", () -> botConfiguration("bsf-bad").isPresent());
        assertThat(runtime.settingsFileProblem()).isEmpty();
        assertThat(botConfiguration("bsf-bad").orElseThrow().getProperties().get("maxToolRounds")).isEqualTo(7);
        Eventually.until("the other edits are applied", () -> "changed".equals(
                botConfiguration("bsf-keep").orElseThrow().getProperties().get("provider"))
                && !instanceConfigurations().isEmpty());
    }

    // ---- the bot component

    private Optional<ComponentConfigurationDTO> componentConfiguration(String botId) {
        Bundle core = Arrays.stream(context.getBundles()).filter(b -> "io.grambot.core".equals(b.getSymbolicName()))
                .findFirst().orElseThrow();
        ComponentDescriptionDTO description = scr.getComponentDescriptionDTO(core, BOT_COMPONENT);
        return scr.getComponentConfigurationDTOs(description).stream()
                .filter(c -> (BOT_PID + "~" + botId).equals(c.properties.get("service.pid"))).findFirst();
    }

    private int componentState(String botId) {
        return componentConfiguration(botId).map(c -> c.state).orElse(-1);
    }

    /**
     * Sends probes, each in a conversation of its own, until the bot answers one. The handler service being
     * registered is not enough: the test's tracker may hear of it before the event queue has bound it, and an event
     * dispatched in between has no handler and is dropped.
     */
    /**
     * Sends probes, each in a conversation of its own, until the bot answers one, and returns the connector that got
     * the answer. The handler service being registered is not enough: the test's tracker may hear of it before the
     * event queue has bound it, and an event dispatched in between has no handler and is dropped. The connector is
     * looked up for every probe: its component may be activated again while the instance settles (the core's
     * wiring updates its configuration), and the bot answers through the object the core holds now.
     */
    private TestChatConnector awaitAnswering() throws Exception {
        for (int attempt = 1;; attempt++) {
            TestChatConnector chat = (TestChatConnector) Eventually.service(context, Connector.class,
                    Instances.filter("bsf-chat"));
            String conversation = "bsf-probe-" + attempt + "-" + System.nanoTime();
            chat.receive(conversation, "probe", "probe");
            try {
                Eventually.until("an answer in " + conversation, Duration.ofSeconds(2),
                        () -> !replies(chat, conversation).isEmpty());
                return chat;
            } catch (AssertionError unanswered) {
                if (attempt == 10) {
                    throw unanswered;
                }
            }
        }
    }

    private static List<String> awaitReplies(TestChatConnector chat, String conversation, int count)
            throws InterruptedException {
        Eventually.until(count + " replies in " + conversation, () -> replies(chat, conversation).size() >= count);
        return replies(chat, conversation);
    }

    private static List<String> replies(TestChatConnector chat, String conversation) {
        return chat.sent().stream().filter(m -> m.conversationId().equals(conversation))
                .map(OutgoingMessage::text).toList();
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

    private void edit(Consumer<ObjectNode> change) throws IOException {
        ObjectNode doc = read();
        change.accept(doc);
        write(doc);
    }

    private void write(ObjectNode doc) throws IOException {
        writeText(pretty(doc));
    }

    private static String pretty(ObjectNode doc) throws IOException {
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(doc);
    }

    /** Saves as many editors do: a new file renamed over the old one. */
    private void writeText(String text) throws IOException {
        Path temp = settingsFile().resolveSibling("settings.json.bsf-edit");
        Files.writeString(temp, text);
        Files.move(temp, settingsFile(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** "line L, column C" {@code offset} characters into the only occurrence of {@code text}, counted from 1. */
    private static String position(String content, String text, int offset) {
        int found = content.indexOf(text);
        assertThat(found).as(text + " occurs once").isNotNegative().isEqualTo(content.lastIndexOf(text));
        int at = found + offset;
        String before = content.substring(0, at);
        long line = before.chars().filter(c -> c == '\n').count() + 1;
        int column = at - before.lastIndexOf('\n');
        return "line " + line + ", column " + column;
    }

    private Optional<ObjectNode> bot(String botId) {
        ObjectNode doc = tryRead();
        return doc == null ? Optional.empty() : bot(doc, botId);
    }

    private Optional<ObjectNode> plugin(String instanceId) {
        ObjectNode doc = tryRead();
        return doc == null ? Optional.empty() : find(doc, "plugins", "instanceId", instanceId);
    }

    private static Optional<ObjectNode> bot(ObjectNode doc, String botId) {
        return find(doc, "bots", "botId", botId);
    }

    private static Optional<ObjectNode> find(ObjectNode doc, String section, String idField, String id) {
        for (JsonNode entry : array(doc, section)) {
            if (id.equals(entry.path(idField).asText())) {
                return Optional.of((ObjectNode) entry);
            }
        }
        return Optional.empty();
    }

    private static ArrayNode array(ObjectNode doc, String section) {
        return doc.get(section) instanceof ArrayNode array ? array : doc.putArray(section);
    }

    private static void putBot(ObjectNode doc, String botId, boolean enabled, Map<String, Object> settings) {
        ObjectNode entry = bot(doc, botId).orElseGet(() -> array(doc, "bots").addObject());
        entry.put("botId", botId).put("enabled", enabled);
        entry.set("settings", JSON.valueToTree(new LinkedHashMap<>(settings)));
    }

    private static void putInstance(ObjectNode doc, String instanceId, String pluginId, Map<String, Object> settings) {
        ObjectNode entry = find(doc, "plugins", "instanceId", instanceId)
                .orElseGet(() -> array(doc, "plugins").addObject());
        entry.put("instanceId", instanceId).put("pluginId", pluginId).put("enabled", true);
        entry.set("settings", JSON.valueToTree(settings));
    }

    private static void removeEntry(ObjectNode doc, String section, String idField, String id) {
        array(doc, section).removeIf(e -> id.equals(e.path(idField).asText()));
    }

    private static boolean removeEntries(ObjectNode doc, String section, String idField) {
        int before = array(doc, section).size();
        array(doc, section).removeIf(e -> e.path(idField).asText().startsWith(PREFIX));
        return array(doc, section).size() != before;
    }

    // ---- ConfigAdmin

    /** The test's bot and instance configurations whose id matches the pattern. */
    private List<Configuration> configurations(String idPattern) {
        return list("(|(service.pid=" + BOT_PID + "~" + PREFIX + idPattern + ")(service.pid=testchat~" + PREFIX
                + idPattern + ")(service.pid=scripted~" + PREFIX + idPattern + "))");
    }

    private List<Configuration> instanceConfigurations() {
        return list("(|(service.pid=testchat~" + PREFIX + "*)(service.pid=scripted~" + PREFIX + "*))");
    }

    private Optional<Configuration> botConfiguration(String botId) {
        return list("(service.pid=" + BOT_PID + "~" + botId + ")").stream().findFirst();
    }

    private List<Configuration> list(String filter) {
        try {
            Configuration[] found = configAdmin.listConfigurations(filter);
            return found == null ? List.of() : List.of(found);
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

    // core's internals are not exported: reach the sync's reconcile() by reflection
    private void reconcile() throws Exception {
        Eventually.until("the settings file sync is registered", () -> context.getServiceReference(SYNC) != null);
        ServiceReference<?> ref = context.getServiceReference(SYNC);
        Object sync = context.getService(ref);
        try {
            ((Future<?>) sync.getClass().getMethod("reconcile").invoke(sync))
                    .get(Eventually.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (InvocationTargetException e) {
            throw (Exception) e.getCause();
        } finally {
            context.ungetService(ref);
        }
    }
}
