package io.grambot.core.internal.shell;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.grambot.api.ConnectionTestResult;
import io.grambot.api.action.ActionCall;
import io.grambot.api.action.ActionInfo;
import io.grambot.api.action.ActionOutcome;
import io.grambot.api.action.AuditLog;
import io.grambot.api.action.AuditRecord;
import io.grambot.api.runtime.PluginRuntime;
import io.grambot.core.internal.action.CoreActionInvoker;
import io.grambot.core.internal.action.Redactor;

/**
 * The {@code grambot:} commands of the Gogo shell. Gogo finds them as a service with {@code osgi.command.scope}
 * and {@code osgi.command.function} (no compile-time tie to Gogo beyond the optional {@link Descriptor} texts);
 * each command returns the text it prints. The management commands (instances, enable, disable, events, bots,
 * health) are {@link ManagementCommands}, a service of the same scope: function names stay unique across the two.
 */
@Component(service = Object.class, property = {
        "osgi.command.scope=grambot",
        "osgi.command.function=actions",
        "osgi.command.function=invoke",
        "osgi.command.function=audit",
        "osgi.command.function=test" })
public final class GrambotCommands {

    /** How the shell signs its invocations in the audit log. */
    static final String INVOKED_BY = "shell";
    static final int DEFAULT_AUDIT_LIMIT = 20;
    /** The most {@code invoke} waits, whatever the action's policy allows. */
    static final Duration LONGEST_WAIT = Duration.ofMinutes(10);

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);
    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {};
    private static final int SHOWN_JSON = 160;

    private final CoreActionInvoker invoker;
    private final AuditLog audit;
    private final PluginRuntime runtime;
    private final Redactor redactor;
    private final ObjectMapper json = new ObjectMapper();

    @Activate
    public GrambotCommands(@Reference CoreActionInvoker invoker, @Reference AuditLog audit,
            @Reference PluginRuntime runtime, @Reference Redactor redactor) {
        this.invoker = invoker;
        this.audit = audit;
        this.runtime = runtime;
        this.redactor = redactor;
    }

    @Descriptor("lists the actions running instances offer: instance/action, plugin, whether bots may offer it as "
            + "a tool, what it does and its input schema")
    public String actions() {
        List<ActionInfo> actions = invoker.actions();
        StringBuilder out = new StringBuilder();
        if (actions.isEmpty()) {
            out.append("No running instance offers actions.\n");
        }
        for (ActionInfo action : actions) {
            out.append(action.instanceId()).append('/').append(action.name()).append("  (plugin ")
                    .append(action.pluginId().isEmpty() ? "?" : action.pluginId()).append(", ")
                    .append(action.offeredAsTool() ? "may be a bot's tool" : "not for bots").append(")\n    ")
                    .append(action.description()).append("\n    input: ").append(shortJson(action.inputSchema()))
                    .append('\n');
        }
        for (String conflict : invoker.conflicts()) {
            out.append("refused: ").append(conflict).append('\n');
        }
        return out.toString();
    }

    @Descriptor("invokes an action with a JSON payload and waits for its outcome (as long as its timeouts and "
            + "retries may take); example: grambot:invoke hooks post '{\"text\": \"hello\"}'")
    public String invoke(@Descriptor("the instance that offers the action") String instanceId,
            @Descriptor("the action's name") String action,
            @Descriptor("the payload: a JSON object, in single quotes") String payload) {
        Map<String, Object> parsed;
        try {
            parsed = payload == null || payload.isBlank() ? Map.of() : json.readValue(payload, OBJECT);
        } catch (JsonProcessingException e) {
            return "The payload is not a JSON object: " + e.getOriginalMessage()
                    + "\nQuote it in single quotes: grambot:invoke " + instanceId + " " + action + " '{\"key\": 1}'";
        }
        if (parsed == null) {
            return "The payload is not a JSON object: it is null";
        }
        Duration wait = invoker.longest(instanceId, action).map(d -> d.plusSeconds(5)).orElse(Duration.ofSeconds(5));
        if (wait.compareTo(LONGEST_WAIT) > 0) {
            wait = LONGEST_WAIT;
        }
        try {
            ActionOutcome outcome = invoker.invoke(new ActionCall(instanceId, action, parsed, INVOKED_BY))
                    .toCompletableFuture().get(wait.toMillis(), TimeUnit.MILLISECONDS);
            // an action may quote what it was given or answered (a URL with a key in it): no stored secret is shown
            return redactor.masked(describe(outcome));
        } catch (TimeoutException e) {
            return "Still running after " + wait.toSeconds() + " s; its attempts are recorded as they end: "
                    + "grambot:audit " + instanceId + " " + action;
        } catch (ExecutionException e) {
            return "The invocation failed: " + e.getCause(); // the invoker never fails a stage; just in case
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "Stopped waiting; the invocation goes on: grambot:audit " + instanceId + " " + action;
        }
    }

    @Descriptor("invokes an action with an empty payload and waits for its outcome")
    public String invoke(@Descriptor("the instance that offers the action") String instanceId,
            @Descriptor("the action's name") String action) {
        return invoke(instanceId, action, "{}");
    }

    @Descriptor("shows the newest " + DEFAULT_AUDIT_LIMIT + " audit records of action attempts")
    public String audit() {
        return audit(null, null, DEFAULT_AUDIT_LIMIT);
    }

    @Descriptor("shows the newest " + DEFAULT_AUDIT_LIMIT + " audit records of an instance's actions")
    public String audit(@Descriptor("the instance; - for any") String instanceId) {
        return audit(instanceId, null, DEFAULT_AUDIT_LIMIT);
    }

    @Descriptor("shows the newest " + DEFAULT_AUDIT_LIMIT + " audit records of an action")
    public String audit(@Descriptor("the instance; - for any") String instanceId,
            @Descriptor("the action; - for any") String action) {
        return audit(instanceId, action, DEFAULT_AUDIT_LIMIT);
    }

    @Descriptor("shows the newest audit records of action attempts, newest first; example: grambot:audit - - 100")
    public String audit(@Descriptor("the instance; - for any") String instanceId,
            @Descriptor("the action; - for any") String action,
            @Descriptor("how many records at most") int limit) {
        List<AuditRecord> records = audit.query(any(instanceId), any(action), null, limit);
        if (records.isEmpty()) {
            return "No audit records" + (any(instanceId) == null && any(action) == null ? "" : " match") + ".\n";
        }
        StringBuilder out = new StringBuilder();
        for (AuditRecord record : records) {
            out.append(TIME.format(record.time())).append("  ").append(record.invokedBy()).append("  ")
                    .append(record.instanceId()).append('/').append(record.action()).append("  #")
                    .append(record.attempt()).append(' ').append(record.outcome()).append("  ")
                    .append(record.durationMillis()).append(" ms");
            if (!record.error().isEmpty()) {
                out.append("  ").append(record.error());
            }
            out.append("\n    payload ").append(shortJson(record.payload())).append('\n');
        }
        return out.toString();
    }

    @Descriptor("runs an instance's connection test (credentials and endpoint, no side effects) and shows the result")
    public String test(@Descriptor("the instance") String instanceId) {
        ConnectionTestResult result = runtime.testConnection(instanceId);
        return redactor.masked((result.ok() ? "ok: " : "failed: ") + result.message());
    }

    private String describe(ActionOutcome outcome) {
        StringBuilder out = new StringBuilder().append(outcome.status()).append(" after ").append(outcome.attempts())
                .append(outcome.attempts() == 1 ? " attempt" : " attempts").append(" (")
                .append(outcome.duration().toMillis()).append(" ms)");
        if (!outcome.text().isEmpty()) {
            out.append(": ").append(outcome.text());
        }
        out.append('\n');
        for (String problem : outcome.problems()) {
            out.append("  - ").append(problem).append('\n');
        }
        if (!outcome.output().isEmpty()) {
            out.append(json(outcome.output())).append('\n');
        }
        return out.toString();
    }

    private String shortJson(Object value) {
        String text = json(value);
        return text.length() <= SHOWN_JSON ? text : text.substring(0, SHOWN_JSON) + "…";
    }

    private String json(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            return String.valueOf(value);
        }
    }

    private static String any(String filter) {
        return filter == null || filter.isBlank() || filter.equals("-") || filter.equals("*") ? null : filter;
    }
}
