package io.grambot.core.internal.shell;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.grambot.api.flow.FlowEngine;
import io.grambot.api.flow.FlowInfo;
import io.grambot.api.flow.FlowRun;
import io.grambot.api.flow.FlowStep;
import io.grambot.core.internal.trigger.TriggerState;
import io.grambot.core.internal.trigger.TriggerSubscriptions;

/**
 * The flow commands of the Gogo shell: {@code grambot:flows}, {@code grambot:runs <flow> [limit]} and
 * {@code grambot:flowstart <flow> ['{"json":"data"}']}. Gogo finds them by the command properties and calls the
 * public methods by name, so the core needs no Gogo API; each returns the text to print.
 */
@Component(service = Object.class, property = {
        "osgi.command.scope=grambot",
        "osgi.command.function=flows",
        "osgi.command.function=runs",
        "osgi.command.function=flowstart" })
public final class FlowCommands {

    /** How long {@code flowstart} waits for the run before it says where to look. */
    static final Duration START_WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final FlowEngine engine;
    private final TriggerSubscriptions triggers;

    @Activate
    public FlowCommands(@Reference FlowEngine engine, @Reference TriggerSubscriptions triggers) {
        this.engine = engine;
        this.triggers = triggers;
    }

    /** Every flow with its state and what starts it, then every trigger subscription and recent problems. */
    public String flows() {
        StringBuilder out = new StringBuilder();
        List<FlowInfo> flows = engine.flows();
        if (flows.isEmpty()) {
            out.append("no flows (a flow is a configuration of factory PID ").append(FlowEngine.FACTORY_PID)
                    .append(")\n");
        }
        for (FlowInfo flow : flows) {
            out.append(flow.flowId()).append("  ").append(flow.enabled() ? "enabled" : "disabled").append("  ")
                    .append(flow.valid() ? "valid, started by " + flow.trigger() : "INVALID").append('\n');
            flow.problems().forEach(problem -> out.append("    ").append(problem).append('\n'));
        }
        List<TriggerState> states = triggers.states();
        out.append(states.isEmpty() ? "no triggers\n" : "triggers:\n");
        for (TriggerState state : states) {
            out.append("  ").append(state.instanceId()).append('/').append(state.trigger()).append("  ")
                    .append(state.state().toLowerCase(java.util.Locale.ROOT)).append("  fired ").append(state.fired())
                    .append(state.reason().isEmpty() ? "" : "  " + state.reason()).append('\n');
        }
        List<String> problems = triggers.problems();
        if (!problems.isEmpty()) {
            out.append("recent trigger problems:\n");
            problems.forEach(problem -> out.append("  ").append(problem).append('\n'));
        }
        return out.toString();
    }

    /** The latest ten runs of a flow, newest first, with their steps. */
    public String runs(String flowId) {
        return runs(flowId, 10);
    }

    public String runs(String flowId, int limit) {
        List<FlowRun> runs = engine.runs(flowId, limit);
        if (runs.isEmpty()) {
            return engine.flows().stream().anyMatch(f -> f.flowId().equals(flowId))
                    ? "flow '" + flowId + "' has no runs kept\n" : "there is no flow '" + flowId + "'\n";
        }
        StringBuilder out = new StringBuilder();
        runs.forEach(run -> describe(run, out));
        return out.toString();
    }

    /** Starts a run by hand with no data. */
    public String flowstart(String flowId) {
        return flowstart(flowId, "{}");
    }

    /** Starts a run by hand with this JSON object as the trigger's data, and shows it when it ends. */
    public String flowstart(String flowId, String dataJson) {
        Map<String, Object> data;
        try {
            data = JSON.readValue(dataJson, JSON.getTypeFactory().constructMapType(Map.class, String.class,
                    Object.class));
        } catch (JsonProcessingException e) {
            return "the data must be a JSON object, such as '{\"amount\": 150}' (in single quotes): "
                    + e.getOriginalMessage() + "\n";
        }
        try {
            FlowRun run = engine.start(flowId, data).toCompletableFuture().get(START_WAIT.toSeconds(),
                    TimeUnit.SECONDS);
            StringBuilder out = new StringBuilder();
            describe(run, out);
            return out.toString();
        } catch (ExecutionException e) {
            return "cannot start: " + (e.getCause() == null ? e : e.getCause()).getMessage() + "\n";
        } catch (TimeoutException e) {
            return "the run is still going after " + START_WAIT.toSeconds() + " s; see: runs " + flowId + "\n";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted\n";
        }
    }

    private static void describe(FlowRun run, StringBuilder out) {
        out.append(run.runId()).append("  ").append(run.status()).append("  started ").append(run.startedAt());
        if (run.endedAt() != null) {
            out.append("  took ").append(Duration.between(run.startedAt(), run.endedAt()).toMillis()).append(" ms");
        }
        out.append('\n');
        for (FlowStep step : run.steps()) {
            out.append("    ").append(step.nodeId()).append(" (").append(step.kind()).append(")  ")
                    .append(step.ok() ? "ok" : "FAILED").append("  ").append(step.durationMillis()).append(" ms  ");
            out.append(step.ok() ? json(step.output()) : step.error()).append('\n');
        }
        if (!run.error().isEmpty() && run.steps().stream().allMatch(FlowStep::ok)) {
            out.append("    ").append(run.error()).append('\n');
        }
    }

    private static String json(Map<String, Object> output) {
        try {
            String text = JSON.writeValueAsString(output);
            return text.length() > 300 ? text.substring(0, 300) + "…" : text;
        } catch (JsonProcessingException e) {
            return String.valueOf(output);
        }
    }
}
