package io.grambot.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.log.Logger;
import org.osgi.service.metatype.MetaTypeService;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.grambot.api.ConnectionTestResult;
import io.grambot.api.action.AuditLog;
import io.grambot.api.action.AuditRecord;
import io.grambot.api.inference.ChatMessage;
import io.grambot.api.PluginEvent;
import io.grambot.api.runtime.EventFailure;
import io.grambot.api.runtime.EventQueueMonitor;
import io.grambot.api.runtime.EventQueueStatus;
import io.grambot.api.runtime.InstanceState;
import io.grambot.api.runtime.InstanceStatus;
import io.grambot.api.runtime.PluginRuntime;
import io.grambot.core.internal.action.Redactor;
import io.grambot.core.internal.bot.ConversationStore;
import io.grambot.core.internal.health.GrambotHealth;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

/** The page without the web console around it: a configured bot that is not running, and refused requests. */
class GrambotConsolePluginTest {

    private static final String ROOT = "/system/console/grambot";

    @TempDir
    Path data;

    private final Map<String, Object> session = new HashMap<>();
    private static final InstanceStatus CLAUDE = new InstanceStatus("claude", "anthropic", "anthropic~claude",
            InstanceState.ACTIVE, "", Map.of(), Set.of("apiKey"), "io.grambot.plugin.anthropic");

    private GrambotConsolePlugin page;
    private Path history;
    private final List<String> tested = new ArrayList<>();
    private final List<AuditRecord> records = new ArrayList<>();
    private int queriedLimit;
    private final List<PluginEvent> recent = new ArrayList<>();
    private final Map<String, Object> claudeProperties = new HashMap<>(Map.of("model", "claude-x",
            "service.pid", "anthropic~claude"));
    private final List<EventFailure> failures = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        Configuration idle = proxy(Configuration.class, (method, args) -> switch (method.getName()) {
        case "getPid" -> "grambot.bot~idle";
        case "getProperties" -> new Hashtable<>(Map.of("connectors", new String[] { "webchat" }, "provider",
                "local", "service.factoryPid", "grambot.bot"));
        default -> null;
        });
        Configuration off = proxy(Configuration.class, (method, args) -> switch (method.getName()) {
        case "getPid" -> "grambot.bot~off";
        case "getProperties" -> new Hashtable<>(Map.of("connectors", new String[] { "webchat" }, "enabled", false));
        default -> null;
        });
        Configuration claude = proxy(Configuration.class, (method, args) -> switch (method.getName()) {
        case "getPid" -> "anthropic~claude";
        case "getProperties" -> new Hashtable<>(claudeProperties);
        case "update" -> {
            claudeProperties.clear();
            var update = (java.util.Dictionary<?, ?>) args[0];
            for (var keys = update.keys(); keys.hasMoreElements();) {
                Object key = keys.nextElement();
                claudeProperties.put((String) key, update.get(key));
            }
            yield null;
        }
        case "delete" -> {
            claudeProperties.clear();
            claudeProperties.put("deleted", true);
            yield null;
        }
        default -> null;
        });
        ConfigurationAdmin configAdmin = proxy(ConfigurationAdmin.class, (method, args) -> !method.getName()
                .equals("listConfigurations") ? null : String.valueOf(args[0]).contains("anthropic~claude")
                        ? new Configuration[] { claude } : new Configuration[] { idle, off });
        BundleContext context = proxy(BundleContext.class, (method, args) -> method.getName().equals("getProperty")
                && DataLayout.DATA_PROPERTY.equals(args[0]) ? data.toString() : null);
        PluginRuntime runtime = proxy(PluginRuntime.class, (method, args) -> switch (method.getName()) {
        case "instances" -> List.of(CLAUDE);
        case "instance" -> "claude".equals(args[0]) ? Optional.of(CLAUDE) : Optional.empty();
        case "testConnection" -> {
            tested.add((String) args[0]);
            yield ConnectionTestResult.failed("GET /v1/models answered 401: invalid x-api-key <b>(authentication)</b>");
        }
        case "lastConnectionTest" -> tested.isEmpty() ? Optional.empty()
                : Optional.of(ConnectionTestResult.failed("last time: <i>401</i>"));
        case "plugins" -> List.of();
        case "settingsSchema", "settingsFileProblem" -> Optional.empty();
        default -> null;
        });
        EventQueueMonitor events = proxy(EventQueueMonitor.class, (method, args) -> switch (method.getName()) {
        case "status" -> new EventQueueStatus(true, 3, 10, 40, 0, 37, 1, 0, 2, 0, 0, 4, 1);
        case "recentEvents" -> recent;
        case "failures" -> failures;
        default -> null;
        });
        AuditLog audit = proxy(AuditLog.class, (method, args) -> {
            if (method.getName().equals("query")) {
                queriedLimit = (int) args[3];
                return records;
            }
            return null;
        });
        Logger logger = proxy(Logger.class, (method, args) -> null);
        Redactor redactor = new Redactor(() -> Set.of("sk-stored-secret-4711"));
        InstanceAdmin admin = new InstanceAdmin(context, configAdmin, runtime,
                new SettingsSchemas(proxy(MetaTypeService.class, (method, args) -> null), logger),
                new SecretStore(data.resolve("secrets.json"), new ObjectMapper()), logger);
        page = new GrambotConsolePlugin(context, runtime, audit, logger, admin,
                new BotDirectory(new DataLayout(data), configAdmin, logger), events, redactor,
                new GrambotHealth(runtime, events, new DataLayout(data)));
        new ConversationStore(data.resolve("bots/idle"), (file, content) -> AtomicFiles.write(file, content, false))
                .append("webchat", "room-1", List.of(), List.of(ChatMessage.user("hi")), 50);
        history = data.resolve("bots/idle/webchat/" + ConversationStore.key("room-1") + ".json");
    }

    @Test
    void aStoppedBotIsListedAndItsConversationClearedFromDisk() throws Exception {
        String before = get();
        assertThat(before).contains("2 bots, 0 running.", "\">idle</a>", "<td>webchat (no such instance)</td><td>local (no such instance)</td>",
                "<td>not running</td>",
                "<code>room-1</code>", "\">off</a>", "<td>disabled</td>");

        Response cleared = post(Map.of("action", "clear", "token", token(before), "bot", "idle", "connector",
                "webchat", "conversation", ConversationStore.key("room-1")));

        assertThat(cleared.status).isEqualTo(303);
        assertThat(cleared.headers).containsEntry("Location", ROOT + "#bot-idle");
        assertThat(history).doesNotExist();
        String after = get();
        assertThat(after).contains("Cleared the history of conversation", "No history kept.");
        assertThat(get()).doesNotContain("Cleared the history"); // said once
    }

    @Test
    void theAuditLogShowsTheNewestHundredRecordsEscapedWithTheirPayloadCutShort() throws Exception {
        records.add(new AuditRecord(Instant.parse("2026-03-01T10:15:30.250Z"), "inv-1", "bot:<helper>", "webhooks",
                "hooks", "post", 2, "retrying", 1234, "503 <script>alert(1)</script>",
                new java.util.TreeMap<>(Map.of("text", "x".repeat(400), "apiKey", "********"))));

        String shown = get();

        assertThat(queriedLimit).isEqualTo(100);
        assertThat(shown).contains("<h2 id=\"audit\"", "2026-03-01 10:15:30.250 UTC", "bot:&lt;helper&gt;",
                "<td>hooks</td><td>post</td><td>2</td><td>retrying</td><td>1234 ms</td>",
                "503 &lt;script&gt;alert(1)&lt;/script&gt;")
                .doesNotContain("<script>", "x".repeat(200));
        assertThat(shown).containsPattern(
                "<code>\\{&#34;apiKey&#34;:&#34;\\*{8}&#34;,&#34;text&#34;:&#34;x{150,}…</code>");
    }

    @Test
    void theTestConnectionButtonRunsTheInstancesTestAndThePageShowsTheResult() throws Exception {
        String before = get();
        assertThat(before).contains(">claude</a></td><td>anthropic</td><td class=\"grambot-state\">"
                + "<span class=\"grambot-state-active\">ACTIVE</span></td>", "not run since the start",
                "name=\"action\" value=\"test\"", "name=\"instance\" value=\"claude\"", "Test connection");

        Response tested = post(Map.of("action", "test", "token", token(before), "instance", "claude"));

        assertThat(tested.status).isEqualTo(303);
        assertThat(this.tested).containsExactly("claude");
        assertThat(get()).contains("Test connection of &#39;claude&#39;: failed — GET /v1/models answered 401: "
                + "invalid x-api-key &lt;b&gt;(authentication)&lt;/b&gt;", "failed: last time: &lt;i&gt;401&lt;/i&gt;");
        assertThat(post(Map.of("action", "test", "token", token(before), "instance", "nobody")).body.toString())
                .contains("there is no instance 'nobody'");
        assertThat(post(Map.of("action", "test", "instance", "claude")).status).isEqualTo(403);
        assertThat(this.tested).containsExactly("claude");
    }

    @Test
    void badRequestsAreRefusedAndChangeNothing() throws Exception {
        String token = token(get());
        Map<String, String> clear = Map.of("action", "clear", "token", token, "bot", "idle", "connector", "webchat",
                "conversation", ConversationStore.key("room-1"));

        assertThat(post(without(clear, "token")).status).isEqualTo(403);
        assertThat(post(with(clear, "bot", "nobody")).body.toString()).contains("there is no bot 'nobody'");
        assertThat(post(with(clear, "conversation", "../../secrets")).status).isEqualTo(400);
        assertThat(post(with(clear, "connector", "..")).status).isEqualTo(400);
        assertThat(post(with(clear, "action", "format-disk")).body.toString()).contains("unknown action 'format-disk'");
        assertThat(post(without(clear, "conversation")).body.toString()).contains("'conversation' is missing");
        assertThat(history).exists();
    }

    @Test
    void disableAndEnableWriteTheInstancesConfigurationAndDeleteRemovesIt() throws Exception {
        String token = token(get());
        assertThat(get()).contains("name=\"action\" value=\"disable\"", "name=\"action\" value=\"delete\"",
                "href=\"/system/console/configMgr/anthropic~claude\"");

        Response disabled = post(Map.of("action", "disable", "token", token, "instance", "claude"));

        assertThat(disabled.status).isEqualTo(303);
        assertThat(disabled.headers).containsEntry("Location", ROOT + "#instances");
        assertThat(claudeProperties).containsEntry("enabled", false).containsEntry("model", "claude-x");
        assertThat(get()).contains("Disabled instance &#39;claude&#39;; its settings, secrets and data directory "
                + "are kept.");
        assertThat(post(Map.of("action", "enable", "token", token, "instance", "claude")).status).isEqualTo(303);
        assertThat(claudeProperties).containsEntry("enabled", true);
        assertThat(post(Map.of("action", "enable", "token", token, "instance", "nobody")).body.toString())
                .contains("there is no instance 'nobody'");
        assertThat(post(Map.of("action", "delete", "instance", "claude")).status).as("no token").isEqualTo(403);
        assertThat(claudeProperties).doesNotContainKey("deleted");
        assertThat(post(Map.of("action", "delete", "token", token, "instance", "claude")).status).isEqualTo(303);
        assertThat(claudeProperties).containsEntry("deleted", true);
    }

    @Test
    void theEventQueueSectionShowsCountersAndRecentEventsNewestFirstRedactedAndEscaped() throws Exception {
        recent.add(new PluginEvent("ev-1", "webchat", "webchat", "message.received", Map.of("text", "first"),
                Instant.parse("2026-03-01T10:00:00Z")));
        recent.add(new PluginEvent("ev-2", "webhooks", "hooks", "trigger.fired", new java.util.TreeMap<>(Map.of(
                "apiKey", "plain-key", "html", "<b>now</b>", "note", "uses sk-stored-secret-4711", "zz", "y".repeat(400))),
                Instant.parse("2026-03-01T10:00:02Z")));
        failures.add(new EventFailure(recent.get(1), "io.grambot.Handler", "boom with sk-stored-secret-4711", false,
                Instant.parse("2026-03-01T10:00:03Z")));

        String shown = get();

        assertThat(shown).contains("Depth <b>3</b> of 10 (30.0 %; 1 in flight), journaled, 4 handlers",
                "<td>40</td><td>0</td><td>37</td><td>1</td><td>0</td><td>2</td><td>0</td><td>0</td>");
        assertThat(shown.indexOf("<code>ev-2</code>")).isLessThan(shown.indexOf("<code>ev-1</code>"));
        assertThat(shown).contains("<td>trigger.fired</td><td>hooks</td><td>webhooks</td>",
                "{&#34;apiKey&#34;:&#34;********&#34;,&#34;html&#34;:&#34;&lt;b&gt;now&lt;/b&gt;&#34;,"
                        + "&#34;note&#34;:&#34;********&#34;,&#34;zz&#34;:&#34;yyy",
                "<td>io.grambot.Handler</td><td>boom with ********</td>")
                .doesNotContain("plain-key", "sk-stored-secret-4711", "<b>now</b>", "y".repeat(200));
    }

    @Test
    void theHealthSummaryShowsEachCheckWithItsStatus() throws Exception {
        String shown = get();

        assertThat(shown).contains("<h2 id=\"health\"", "data-check=\"Grambot instances\" data-status=\"OK\"",
                "1 of 1 enabled instances are active", "data-check=\"Grambot event queue\" data-status=\"OK\"",
                "3 of 10 events pending (30 %)", "data-check=\"Grambot data directory\" data-status=\"OK\"",
                "data-check=\"Grambot connections\" data-status=\"OK\"", "not tested since the start")
                .contains("Overall: <b class=\"grambot-health-ok\">OK</b>");
        post(Map.of("action", "test", "token", token(shown), "instance", "claude"));
        assertThat(get()).contains("data-check=\"Grambot connections\" data-status=\"CRITICAL\"",
                "instance &#39;claude&#39; (anthropic): the last connection test failed: last time:");
    }

    private String get() throws Exception {
        HttpServletRequest request = request("GET", Map.of());
        Response response = new Response();
        page.doGet(request, response.proxy());
        page.renderContent(request, response.proxy());
        return response.body.toString();
    }

    private Response post(Map<String, String> form) throws Exception {
        Response response = new Response();
        page.doPost(request("POST", form), response.proxy());
        return response;
    }

    private HttpServletRequest request(String method, Map<String, String> parameters) {
        HttpSession httpSession = proxy(HttpSession.class, (m, args) -> switch (m.getName()) {
        case "getAttribute" -> session.get((String) args[0]);
        case "setAttribute" -> session.put((String) args[0], args[1]);
        case "removeAttribute" -> session.remove((String) args[0]);
        default -> null;
        });
        Map<String, String> headers = Map.of("Host", "127.0.0.1:8080", "Origin", "http://127.0.0.1:8080");
        return proxy(HttpServletRequest.class, (m, args) -> switch (m.getName()) {
        case "getMethod" -> method;
        case "getHeader" -> headers.get((String) args[0]);
        case "getParameter" -> parameters.get((String) args[0]);
        case "getSession" -> httpSession;
        case "getAttribute" -> "felix.webconsole.pluginRoot".equals(args[0]) ? ROOT : null;
        case "getRequestURI" -> ROOT;
        default -> null;
        });
    }

    private static final class Response {
        int status = 200;
        final Map<String, String> headers = new HashMap<>();
        final StringWriter body = new StringWriter();
        private final PrintWriter writer = new PrintWriter(body, true);

        HttpServletResponse proxy() {
            return GrambotConsolePluginTest.proxy(HttpServletResponse.class, (m, args) -> {
                switch (m.getName()) {
                case "setStatus" -> status = (int) args[0];
                case "setHeader" -> headers.put((String) args[0], (String) args[1]);
                case "getWriter" -> {
                    return writer;
                }
                default -> {
                }
                }
                return null;
            });
        }
    }

    private static String token(String page) {
        Matcher matcher = Pattern.compile("name=\"token\" value=\"([^\"]+)\"").matcher(page);
        assertThat(matcher.find()).as("a form with a token").isTrue();
        return matcher.group(1);
    }

    private static Map<String, String> with(Map<String, String> form, String key, String value) {
        Map<String, String> changed = new HashMap<>(form);
        changed.put(key, value);
        return changed;
    }

    private static Map<String, String> without(Map<String, String> form, String key) {
        Map<String, String> changed = new HashMap<>(form);
        changed.remove(key);
        return changed;
    }

    interface Answer {
        Object answer(Method method, Object[] args) throws Exception;
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, Answer answer) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] { type }, (p, method, args) -> {
            if (method.getName().equals("hashCode")) {
                return System.identityHashCode(p);
            }
            if (method.getName().equals("equals")) {
                return p == args[0];
            }
            Object value = answer.answer(method, args);
            return value == null && method.getReturnType() == boolean.class ? false : value;
        });
    }
}
