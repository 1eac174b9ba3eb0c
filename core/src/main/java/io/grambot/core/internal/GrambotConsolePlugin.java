package io.grambot.core.internal;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.reflect.Array;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.felix.webconsole.servlet.AbstractServlet;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.FieldOption;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

import io.grambot.api.ConnectionTestResult;
import io.grambot.api.action.AuditLog;
import io.grambot.api.runtime.PluginRuntime;
import io.grambot.core.internal.bot.Bot;
import io.grambot.core.internal.bot.BotSettings;
import io.grambot.core.internal.bot.ConversationStore;
import io.grambot.core.internal.console.AuditPage;
import io.grambot.core.internal.console.BotsPage;
import io.grambot.core.internal.console.BotsPage.BotView;
import io.grambot.core.internal.console.Html;
import io.grambot.core.internal.console.InstancesPage;
import io.grambot.core.internal.console.RequestGuard;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

/**
 * The Grambot page of the Felix web console ({@code /system/console/grambot}): the bots, their conversations, and
 * a Clear button per conversation; the plugin instances with a Test connection button each; the newest entries of
 * the audit log. The web console finds it as a {@link Servlet} service with a
 * {@code felix.webconsole.label}. Every request first reaches {@link #service} (so {@code doGet} can start the
 * session before the console writes its frame), then the console frames {@link #renderContent} for a GET that
 * produced no response itself.
 *
 * <p>The console is optional: the core imports the servlet API, the console's servlet package and the encoder with
 * {@code resolution:=optional}, and this delayed component is only instantiated (its class loaded) when the
 * console asks for the service, which it can only do when it and the servlet API are there.
 *
 * <p>Changes are POSTs with the session's token from a same-origin page ({@link RequestGuard}), answered with a
 * redirect to the page (post/redirect/get), which then shows what happened.
 */
@Component(service = Servlet.class, property = {
        "felix.webconsole.label=" + GrambotConsolePlugin.LABEL,
        "felix.webconsole.title=Grambot",
        "felix.webconsole.category=Grambot" })
public final class GrambotConsolePlugin extends AbstractServlet {

    static final String LABEL = "grambot";

    private static final long serialVersionUID = 1L;
    private static final String FLASH_ATTRIBUTE = "io.grambot.console.flash";
    // set on the request by the web console: the plugin's address, e.g. /system/console/grambot
    private static final String PLUGIN_ROOT_ATTRIBUTE = "felix.webconsole.pluginRoot";
    /** How long a clear may wait behind the conversation's running turn before the page says it is queued. */
    private static final Duration CLEAR_WAIT = Duration.ofSeconds(5);

    /** A state-changing request, named by the form's {@code action} field; issue 8 adds more. */
    @FunctionalInterface
    private interface Action {
        /** Does it and returns what to tell the person on the next page; throws for a bad request. */
        String run(HttpServletRequest request) throws IOException;
    }

    private final transient DataLayout data;
    private final transient ConfigurationAdmin configAdmin;
    private final transient PluginRuntime runtime;
    private final transient AuditLog audit;
    private final transient Logger log;
    private final transient RequestGuard guard = new RequestGuard();
    private final transient Map<String, Action> actions = Map.of("clear", this::clear, "test", this::test);

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            fieldOption = FieldOption.UPDATE)
    private final transient List<Bot> bots = new CopyOnWriteArrayList<>();

    @Activate
    public GrambotConsolePlugin(BundleContext context, @Reference ConfigurationAdmin configAdmin,
            @Reference PluginRuntime runtime, @Reference AuditLog audit,
            @Reference(service = LoggerFactory.class) Logger log) {
        this.data = DataLayout.of(context);
        this.configAdmin = configAdmin;
        this.runtime = runtime;
        this.audit = audit;
        this.log = log;
    }

    /** Makes the session and its token now: the console writes its frame before {@link #renderContent}. */
    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        guard.token(request.getSession(true));
    }

    @Override
    protected URL getResource(String path) {
        return null; // no files served from the bundle (the default would serve any class path entry under /res/)
    }

    @Override
    public void renderContent(HttpServletRequest request, HttpServletResponse response) throws IOException {
        HttpSession session = request.getSession(true);
        String token = guard.token(session);
        Object flash = session.getAttribute(FLASH_ATTRIBUTE);
        session.removeAttribute(FLASH_ATTRIBUTE);
        PrintWriter out = response.getWriter();
        out.println("<div id=\"grambot\">");
        if (flash instanceof String message) {
            out.println("<p class=\"statline ui-state-highlight\" id=\"grambot-flash\">" + Html.text(message) + "</p>");
        }
        BotsPage.render(out, bots(), pluginRoot(request), token);
        InstancesPage.render(out, runtime.instances(), id -> runtime.lastConnectionTest(id).orElse(null),
                pluginRoot(request), token);
        AuditPage.render(out, audit.query(null, null, null, AuditPage.RECORDS));
        out.println("</div>");
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String refusal = guard.refusal(request);
        if (refusal != null) {
            log.warn("console: refused a {} request: {}", request.getRequestURI(), refusal);
            plain(response, HttpServletResponse.SC_FORBIDDEN, refusal);
            return;
        }
        String name = request.getParameter("action");
        Action action = name == null ? null : actions.get(name);
        if (action == null) {
            plain(response, HttpServletResponse.SC_BAD_REQUEST, "unknown action '" + name + "'; expected one of "
                    + actions.keySet());
            return;
        }
        String outcome;
        try {
            outcome = action.run(request);
        } catch (IllegalArgumentException e) {
            plain(response, HttpServletResponse.SC_BAD_REQUEST, e.getMessage());
            return;
        }
        request.getSession(true).setAttribute(FLASH_ATTRIBUTE, outcome);
        response.setStatus(HttpServletResponse.SC_SEE_OTHER);
        response.setHeader("Location", pluginRoot(request));
    }

    /** Deletes a conversation's history, in order with the conversation's turns if the bot is running. */
    private String clear(HttpServletRequest request) throws IOException {
        String botId = required(request, "bot");
        String connector = required(request, "connector");
        String key = required(request, "conversation");
        ConversationStore.check(connector, key);
        Bot bot = runningBot(botId);
        CompletableFuture<Boolean> cleared;
        if (bot != null) {
            cleared = bot.clear(connector, key);
        } else if (configuredBots().containsKey(botId)) {
            // not running (stopped, failed or disabled), so no turn can write it meanwhile
            cleared = CompletableFuture.completedFuture(store(botId).delete(connector, key));
        } else {
            throw new IllegalArgumentException("there is no bot '" + botId + "'");
        }
        String what = "conversation " + key.substring(0, 8) + "… of bot '" + botId + "' (connector '" + connector
                + "')";
        try {
            boolean existed = cleared.get(CLEAR_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            if (existed) {
                log.info("console: cleared {}", what);
            }
            return existed ? "Cleared the history of " + what + "." : "The " + what + " had no history left.";
        } catch (TimeoutException e) {
            return "The " + what + " is answering a message; its history is cleared as soon as that turn ends.";
        } catch (ExecutionException e) {
            log.error("console: could not clear {}: {}", what, e.getCause().toString());
            return "Could not clear the " + what + ": " + e.getCause().getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "Stopped waiting for the " + what + " to be cleared.";
        }
    }

    /** Runs an instance's connection test (within the runtime's time limit) and says how it went. */
    private String test(HttpServletRequest request) {
        String instanceId = required(request, "instance");
        if (runtime.instance(instanceId).isEmpty()) {
            throw new IllegalArgumentException("there is no instance '" + instanceId + "'");
        }
        ConnectionTestResult result = runtime.testConnection(instanceId);
        log.info("console: connection test of instance '{}': {}", instanceId, result.ok() ? "ok" : "failed");
        return "Test connection of '" + instanceId + "': " + (result.ok() ? "ok" : "failed") + " — "
                + result.message();
    }

    /** The configured bots (running or not), merged with the running ones, sorted by id. */
    private List<BotView> bots() {
        Map<String, Map<String, Object>> configured = configuredBots();
        Map<String, BotView> views = new LinkedHashMap<>();
        for (Bot bot : bots) {
            BotSettings settings = bot.settings();
            List<ConversationStore.Summary> conversations = List.of();
            String problem = null;
            try {
                conversations = bot.conversations();
            } catch (IOException | RuntimeException e) {
                problem = "Its conversations cannot be listed: " + e.getMessage();
            }
            views.put(settings.botId(), view(settings.botId(), settings.connectors(), settings.provider(),
                    settings.model(), true, true, conversations, problem));
        }
        configured.forEach((id, properties) -> {
            if (views.containsKey(id)) {
                return;
            }
            List<ConversationStore.Summary> conversations = List.of();
            String problem = null;
            try {
                conversations = store(InstanceIds.checkInstanceId(id)).conversations(null);
            } catch (IOException | RuntimeException e) {
                problem = "Its conversations cannot be listed: " + e.getMessage();
            }
            views.put(id, view(id, strings(properties.get("connectors")), string(properties.get("provider")),
                    string(properties.get("model")), false, !"false".equals(string(properties.get("enabled"))),
                    conversations, problem));
        });
        List<BotView> sorted = new ArrayList<>(views.values());
        sorted.sort(Comparator.comparing(BotView::id));
        return sorted;
    }

    private static BotView view(String id, List<String> connectors, String provider, String model, boolean running,
            boolean enabled, List<ConversationStore.Summary> conversations, String problem) {
        int shown = Math.min(conversations.size(), BotsPage.MAX_CONVERSATIONS);
        return new BotView(id, connectors, provider, model, running, enabled,
                List.copyOf(conversations.subList(0, shown)), conversations.size() - shown, problem);
    }

    private Bot runningBot(String botId) {
        for (Bot bot : bots) {
            if (bot.settings().botId().equals(botId)) {
                return bot;
            }
        }
        return null;
    }

    /** Bot id → configuration properties of every {@value BotComponent#FACTORY_PID} configuration. */
    private Map<String, Map<String, Object>> configuredBots() {
        Map<String, Map<String, Object>> configured = new LinkedHashMap<>();
        try {
            Configuration[] configurations = configAdmin.listConfigurations(
                    "(service.factoryPid=" + BotComponent.FACTORY_PID + ")");
            for (Configuration configuration : configurations == null ? new Configuration[0] : configurations) {
                var properties = configuration.getProperties();
                if (properties == null) {
                    continue;
                }
                Map<String, Object> values = new LinkedHashMap<>();
                for (var keys = properties.keys(); keys.hasMoreElements();) {
                    String key = keys.nextElement();
                    values.put(key, properties.get(key));
                }
                configured.put(InstanceIds.of(configuration.getPid(), BotComponent.FACTORY_PID), values);
            }
        } catch (IOException | InvalidSyntaxException | IllegalStateException e) {
            log.warn("console: the bot configurations cannot be listed: {}", e.toString());
        }
        return configured;
    }

    private ConversationStore store(String botId) {
        return new ConversationStore(data.botDirectory(InstanceIds.checkInstanceId(botId)),
                (file, content) -> AtomicFiles.write(file, content, true));
    }

    private static String pluginRoot(HttpServletRequest request) {
        Object root = request.getAttribute(PLUGIN_ROOT_ATTRIBUTE);
        return root instanceof String s && !s.isEmpty() ? s : request.getRequestURI();
    }

    private static String required(HttpServletRequest request, String name) {
        String value = request.getParameter(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("the form field '" + name + "' is missing");
        }
        return value;
    }

    private static void plain(HttpServletResponse response, int status, String message) throws IOException {
        response.setStatus(status);
        response.setContentType("text/plain; charset=utf-8");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Cache-Control", "no-store");
        response.getWriter().println(message);
    }

    private static String string(Object value) {
        return value == null ? "" : String.valueOf(value);
    }

    private static List<String> strings(Object value) {
        List<String> values = new ArrayList<>();
        if (value instanceof Collection<?> collection) {
            collection.forEach(v -> values.add(String.valueOf(v)));
        } else if (value != null && value.getClass().isArray()) {
            for (int i = 0; i < Array.getLength(value); i++) {
                values.add(String.valueOf(Array.get(value, i)));
            }
        } else if (value != null) {
            values.add(String.valueOf(value));
        }
        return values;
    }
}
