package io.grambot.core.internal;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.felix.webconsole.servlet.AbstractServlet;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

import io.grambot.api.ConnectionTestResult;
import io.grambot.api.action.AuditLog;
import io.grambot.api.flow.FlowEngine;
import io.grambot.api.flow.FlowInfo;
import io.grambot.api.flow.FlowRun;
import io.grambot.api.runtime.EventQueueMonitor;
import io.grambot.api.runtime.InstanceStatus;
import io.grambot.api.runtime.PluginRuntime;
import io.grambot.core.internal.action.Redactor;
import io.grambot.core.internal.console.AuditPage;
import io.grambot.core.internal.console.BotsPage;
import io.grambot.core.internal.console.EventsPage;
import io.grambot.core.internal.console.FlowsPage;
import io.grambot.core.internal.console.HealthPage;
import io.grambot.core.internal.console.Html;
import io.grambot.core.internal.console.InstancesPage;
import io.grambot.core.internal.console.NewInstanceForm;
import io.grambot.core.internal.console.RequestGuard;
import io.grambot.core.internal.health.GrambotHealth;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

/**
 * The Grambot page of the Felix web console ({@code /system/console/grambot}): the health summary; the plugin
 * instances with their state, bundle and services, and buttons to test, enable, disable and delete each; a form per
 * plugin to create an instance from its settings schema; the bots with their conversations and a Clear button per
 * conversation; the event queue with its recent and failed events; the flows and their last runs; the newest entries
 * of the audit log. The web console finds it as a {@link Servlet} service with a {@code felix.webconsole.label}.
 * Every request first reaches {@link #service} (so {@code doGet} can start the session before the console writes its
 * frame), then the console frames {@link #renderContent} for a GET that produced no response itself.
 *
 * <p>The console is optional: the core imports the servlet API, the console's servlet package and the encoder with
 * {@code resolution:=optional}, and this delayed component is only instantiated (its class loaded) when the
 * console asks for the service, which it can only do when it and the servlet API are there.
 *
 * <p>Changes are POSTs with the session's token from a same-origin page ({@link RequestGuard}), answered with a
 * redirect to the page (post/redirect/get), which then shows what happened. The web console has checked the login
 * before any request reaches this servlet.
 */
@Component(service = Servlet.class, property = {
        "felix.webconsole.label=" + GrambotConsolePlugin.LABEL,
        "felix.webconsole.title=Grambot",
        "felix.webconsole.category=Grambot" })
public final class GrambotConsolePlugin extends AbstractServlet {

    static final String LABEL = "grambot";

    private static final long serialVersionUID = 1L;
    private static final String FLASH_ATTRIBUTE = "io.grambot.console.flash";
    // set on the request by the web console: the plugin's address, e.g. /system/console/grambot, and the console's
    private static final String PLUGIN_ROOT_ATTRIBUTE = "felix.webconsole.pluginRoot";
    private static final String APP_ROOT_ATTRIBUTE = "felix.webconsole.appRoot";
    /** The bundle of the Felix Health Check page; linked to when it runs. */
    static final String FELIX_HC_PAGE_BUNDLE = "org.apache.felix.healthcheck.webconsoleplugin";
    /** How long a clear may wait behind the conversation's running turn before the page says it is queued. */
    private static final Duration CLEAR_WAIT = Duration.ofSeconds(5);

    /** A state-changing request, named by the form's {@code action} field. */
    @FunctionalInterface
    private interface Action {
        /** Does it and returns what to tell the person on the next page; throws for a bad request. */
        String run(HttpServletRequest request) throws IOException;
    }

    private final transient BundleContext context;
    private final transient PluginRuntime runtime;
    private final transient AuditLog audit;
    private final transient Logger log;
    private final transient InstanceAdmin instances;
    private final transient BotDirectory bots;
    private final transient EventQueueMonitor events;
    private final transient Redactor redactor;
    private final transient GrambotHealth health;
    private final transient RequestGuard guard = new RequestGuard();
    private final transient Map<String, Action> actions = Map.of("clear", this::clear, "test", this::test,
            "enable", this::enable, "disable", this::disable, "delete", this::delete, "create", this::create);

    /** Optional: without the flow engine the flows section says so. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private transient volatile FlowEngine flows;

    @Activate
    public GrambotConsolePlugin(BundleContext context, @Reference PluginRuntime runtime, @Reference AuditLog audit,
            @Reference(service = LoggerFactory.class) Logger log, @Reference InstanceAdmin instances,
            @Reference BotDirectory bots, @Reference EventQueueMonitor events, @Reference Redactor redactor,
            @Reference GrambotHealth health) {
        this.context = context;
        this.runtime = runtime;
        this.audit = audit;
        this.log = log;
        this.instances = instances;
        this.bots = bots;
        this.events = events;
        this.redactor = redactor;
        this.health = health;
    }

    /** For tests without DS: the flow engine. */
    void setFlows(FlowEngine flows) {
        this.flows = flows;
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
        String root = pluginRoot(request);
        PrintWriter out = response.getWriter();
        out.println("<div id=\"grambot\">");
        out.println("<style>#grambot .grambot-inline{display:inline;margin-right:.3em}"
                + "#grambot td.grambot-actions{white-space:nowrap}"
                + "#grambot .grambot-state-active,#grambot .grambot-health-ok{color:#2a7a2a;font-weight:bold}"
                + "#grambot .grambot-state-failed,#grambot .grambot-health-critical{color:#b00020;font-weight:bold}"
                + "#grambot .grambot-state-loading,#grambot .grambot-state-disabled,#grambot .grambot-health-warn"
                + "{color:#8a6d00;font-weight:bold}#grambot ul.grambot-findings{margin:0;padding-left:1.2em}"
                + "#grambot details.grambot-new{margin:.3em 0}#grambot details.grambot-new summary{cursor:pointer}"
                + "#grambot nav a{margin-right:1em}</style>");
        out.println("<nav class=\"statline\"><a href=\"#health\">Health</a><a href=\"#instances\">Instances</a>"
                + "<a href=\"#new-instance\">New instance</a><a href=\"#bots\">Bots</a><a href=\"#events\">Event "
                + "queue</a><a href=\"#flows\">Flows</a><a href=\"#audit\">Audit log</a></nav>");
        if (flash instanceof String message) {
            out.println("<p class=\"statline ui-state-highlight\" id=\"grambot-flash\">" + Html.text(message) + "</p>");
        }
        runtime.settingsFileProblem().ifPresent(problem -> out.println("<p class=\"ui-state-error\">settings.json "
                + "is not used while it is broken: " + Html.text(problem) + "</p>"));
        HealthPage.render(out, health.all(), felixHealthPage(request));
        List<InstanceStatus> all = runtime.instances();
        String appRoot = appRoot(request);
        InstancesPage.render(out, all, id -> runtime.lastConnectionTest(id).orElse(null), instances::services,
                pid -> appRoot + "/configMgr/" + pid, root, token);
        NewInstanceForm.render(out, runtime.plugins(), id -> runtime.settingsSchema(id).orElse(null), root, token);
        BotsPage.render(out, bots.bots(true), id -> all.stream().filter(i -> i.instanceId().equals(id)).findFirst()
                .map(i -> i.state().name()).orElse("no such instance"), root, token);
        EventsPage.render(out, events.status(), events.recentEvents(), events.failures(), redactor::payload,
                redactor::text, Instant.now());
        FlowEngine engine = flows;
        List<FlowInfo> flowInfos = engine == null ? null : engine.flows();
        FlowsPage.render(out, flowInfos, id -> {
            List<FlowRun> runs = engine.runs(id, 1);
            return runs.isEmpty() ? null : runs.get(0);
        });
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
                    + new java.util.TreeSet<>(actions.keySet()));
            return;
        }
        String outcome;
        try {
            outcome = action.run(request);
        } catch (IllegalArgumentException e) {
            if ("create".equals(name)) {
                // the form is gone after a redirect: say what was wrong on the page, keep nothing of the input
                outcome = "Not created: " + e.getMessage();
            } else {
                plain(response, HttpServletResponse.SC_BAD_REQUEST, e.getMessage());
                return;
            }
        }
        request.getSession(true).setAttribute(FLASH_ATTRIBUTE, outcome);
        response.setStatus(HttpServletResponse.SC_SEE_OTHER);
        response.setHeader("Location", pluginRoot(request) + anchor(name, request));
    }

    /** Where the page continues after an action: the section it was done in. */
    private static String anchor(String action, HttpServletRequest request) {
        return switch (action) {
            case "clear" -> "#bot-" + java.net.URLEncoder.encode(request.getParameter("bot"),
                    java.nio.charset.StandardCharsets.UTF_8);
            case "create", "test", "enable", "disable", "delete" -> "#instances";
            default -> "";
        };
    }

    private String enable(HttpServletRequest request) throws IOException {
        return instances.setEnabled(required(request, "instance"), true);
    }

    private String disable(HttpServletRequest request) throws IOException {
        return instances.setEnabled(required(request, "instance"), false);
    }

    private String delete(HttpServletRequest request) throws IOException {
        return instances.delete(required(request, "instance"));
    }

    /** Creates an instance of a plugin from its form. */
    private String create(HttpServletRequest request) throws IOException {
        String pluginId = required(request, "plugin");
        String instanceId = required(request, "instance").strip();
        Map<String, Object> schema = runtime.settingsSchema(pluginId).orElse(null);
        if (schema == null && runtime.plugins().stream().noneMatch(p -> p.id().equals(pluginId))) {
            throw new IllegalArgumentException("there is no plugin '" + pluginId + "' installed");
        }
        return instances.create(pluginId, instanceId, NewInstanceForm.values(schema, request::getParameter));
    }

    /** Deletes a conversation's history, in order with the conversation's turns if the bot is running. */
    private String clear(HttpServletRequest request) throws IOException {
        String botId = required(request, "bot");
        String connector = required(request, "connector");
        String key = required(request, "conversation");
        CompletableFuture<Boolean> cleared = bots.clear(botId, connector, key);
        String what = "conversation " + key.substring(0, Math.min(8, key.length())) + "… of bot '" + botId
                + "' (connector '" + connector + "')";
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

    /** The Felix Health Check page's address when its bundle runs, else {@code null}. */
    private String felixHealthPage(HttpServletRequest request) {
        try {
            Bundle[] bundles = context.getBundles();
            for (Bundle bundle : bundles == null ? new Bundle[0] : bundles) {
                if (FELIX_HC_PAGE_BUNDLE.equals(bundle.getSymbolicName()) && bundle.getState() == Bundle.ACTIVE) {
                    return appRoot(request) + "/healthcheck";
                }
            }
        } catch (IllegalStateException stopping) {
            // the core is stopping
        }
        return null;
    }

    private static String pluginRoot(HttpServletRequest request) {
        Object root = request.getAttribute(PLUGIN_ROOT_ATTRIBUTE);
        return root instanceof String s && !s.isEmpty() ? s : request.getRequestURI();
    }

    private static String appRoot(HttpServletRequest request) {
        Object root = request.getAttribute(APP_ROOT_ATTRIBUTE);
        if (root instanceof String s && !s.isEmpty()) {
            return s;
        }
        String plugin = pluginRoot(request);
        return Optional.of(plugin.lastIndexOf('/')).filter(i -> i > 0).map(i -> plugin.substring(0, i)).orElse("");
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
}
