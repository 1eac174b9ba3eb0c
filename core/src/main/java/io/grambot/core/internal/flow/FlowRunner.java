package io.grambot.core.internal.flow;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import io.grambot.api.PluginException;
import io.grambot.api.action.ActionCall;
import io.grambot.api.action.ActionInfo;
import io.grambot.api.action.ActionInvoker;
import io.grambot.api.action.ActionOutcome;
import io.grambot.api.connector.Connector;
import io.grambot.api.connector.OutgoingMessage;
import io.grambot.api.connector.PayloadValidation;
import io.grambot.api.flow.FlowRun;
import io.grambot.api.flow.FlowStep;
import io.grambot.api.inference.ChatMessage;
import io.grambot.api.inference.ChatRequest;
import io.grambot.api.inference.InferenceProvider;
import io.grambot.core.internal.flow.FlowDefinition.Edge;
import io.grambot.core.internal.flow.FlowDefinition.Node;

/**
 * One run of a flow: the nodes in {@link FlowDefinition#order() order}, each when an edge from a node that ran
 * leads to it (from a condition, an edge whose {@code when} equals the result), until none is left or a step fails.
 * The run advances on the environment's run executor and never waits there: plugin code runs on the call executor,
 * actions in the invoker, and every step is bounded by the step timeout. So a run that fails, throws or hangs ends
 * as a failed run and holds up no other.
 *
 * <p>The run's state is touched by one step at a time (each continuation is handed to the executor after the last
 * completed), so it needs no lock.
 */
public final class FlowRunner {

    private final String flowId;
    private final String runId;
    private final FlowDefinition definition;
    private final RunEnvironment env;
    private final Consumer<FlowRun> recorder;
    private final List<Node> order;
    private final Map<String, Object> outputs = new HashMap<>();
    private final Set<String> active = new HashSet<>();
    private final List<FlowStep> steps = new ArrayList<>();
    private final CompletableFuture<FlowRun> done = new CompletableFuture<>();
    private Map<String, Object> triggerOutput;
    private Instant startedAt;

    /**
     * @param recorder told the run's state when it starts, after each step and when it ends
     */
    public FlowRunner(String flowId, String runId, FlowDefinition definition, RunEnvironment env,
            Consumer<FlowRun> recorder) {
        this.flowId = flowId;
        this.runId = runId;
        this.definition = definition;
        this.env = env;
        this.recorder = recorder;
        this.order = definition.order();
    }

    /**
     * Starts the run.
     *
     * @param triggerOutput the trigger node's output: {@code {"trigger": name, "data": {...}}}
     * @return completes with the finished run, never exceptionally
     */
    public CompletableFuture<FlowRun> start(Map<String, Object> triggerOutput) {
        this.triggerOutput = triggerOutput;
        this.startedAt = env.clock().instant();
        active.add(definition.trigger().id());
        record(snapshot(FlowRun.Status.RUNNING, ""));
        execute(() -> next(0));
        return done;
    }

    // --- advancing

    private void next(int from) {
        int index = from;
        while (index < order.size() && !active.contains(order.get(index).id())) {
            index++;
        }
        if (index == order.size()) {
            finish(FlowRun.Status.SUCCEEDED, "");
            return;
        }
        Node node = order.get(index);
        Instant at = env.clock().instant();
        long began = System.nanoTime();
        CompletableFuture<Map<String, Object>> output;
        try {
            output = bounded(node, run(node));
        } catch (StepException e) {
            output = CompletableFuture.failedFuture(e);
        } catch (RuntimeException e) {
            output = CompletableFuture.failedFuture(new StepException(prefix(node) + "failed: " + describe(e)));
        }
        int position = index;
        output.whenComplete((result, failure) -> execute(() -> after(position, node, at, began, result, failure)));
    }

    private void after(int position, Node node, Instant at, long began, Map<String, Object> result,
            Throwable failure) {
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);
        if (failure != null) {
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            String error = cause instanceof StepException ? cause.getMessage()
                    : prefix(node) + "failed: " + describe(cause);
            steps.add(new FlowStep(node.id(), node.kind().jsonName(), false, Map.of(), error, at, millis));
            finish(FlowRun.Status.FAILED, error);
            return;
        }
        outputs.put(node.id(), result);
        steps.add(new FlowStep(node.id(), node.kind().jsonName(), true, Redaction.apply(result), "", at, millis));
        for (Edge edge : definition.outgoing(node.id())) {
            if (node.kind() != NodeKind.CONDITION || edge.when().equals(result.get("result"))) {
                active.add(edge.to());
            }
        }
        record(snapshot(FlowRun.Status.RUNNING, ""));
        next(position + 1);
    }

    /** Runs a piece of the run on the run executor; guarded, so that every path ends the run. */
    private void execute(Runnable task) {
        Runnable guarded = () -> {
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                finish(FlowRun.Status.FAILED, "the flow engine failed while running the flow: " + describe(e));
            }
        };
        try {
            env.runs().execute(guarded);
        } catch (RejectedExecutionException e) {
            guarded.run(); // the engine is stopping: finish here, the next call is refused and ends the run
        }
    }

    private void finish(FlowRun.Status status, String error) {
        if (done.isDone()) {
            return;
        }
        FlowRun run = snapshot(status, error);
        record(run);
        done.complete(run);
    }

    private FlowRun snapshot(FlowRun.Status status, String error) {
        return new FlowRun(runId, flowId, status, startedAt,
                status == FlowRun.Status.RUNNING ? null : env.clock().instant(), steps, error);
    }

    private void record(FlowRun run) {
        try {
            recorder.accept(run);
        } catch (RuntimeException e) {
            // the history logs its own troubles; a run never fails for its record
        }
    }

    /** Ends a step that takes longer than the step timeout; its call, if it has one, is interrupted. */
    private CompletableFuture<Map<String, Object>> bounded(Node node, CompletableFuture<Map<String, Object>> step) {
        if (step.isDone()) {
            return step;
        }
        try {
            ScheduledFuture<?> timeout = env.timer().schedule(() -> step.completeExceptionally(new StepException(
                    prefix(node) + "did not finish within " + seconds() + "; the step was abandoned")),
                    env.stepTimeout().toMillis(), TimeUnit.MILLISECONDS);
            step.whenComplete((result, failure) -> timeout.cancel(false));
        } catch (RejectedExecutionException stopping) {
            // the engine is stopping and interrupts its calls
        }
        return step;
    }

    private String seconds() {
        long millis = env.stepTimeout().toMillis();
        return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
    }

    // --- the kinds

    private CompletableFuture<Map<String, Object>> run(Node node) throws StepException {
        return switch (node.kind()) {
            case TRIGGER -> CompletableFuture.completedFuture(triggerOutput);
            case CONDITION -> CompletableFuture.completedFuture(condition(node));
            case PLUGIN_ACTION -> pluginAction(node);
            case INFERENCE -> inference(node);
            case SEND_MESSAGE -> sendMessage(node);
        };
    }

    private Map<String, Object> condition(Node node) throws StepException {
        ConditionOp op = ConditionOp.of((String) node.config().get("op")).orElseThrow();
        Object left = op.binary() ? render(node, "left") : Templates.renderLenient(node.config().get("left"),
                node.id(), "left", outputs);
        Object right = op.binary() ? render(node, "right") : null;
        try {
            return Map.of("result", op.test(left, right));
        } catch (IllegalArgumentException e) {
            throw new StepException(prefix(node) + "field 'op': " + e.getMessage());
        }
    }

    private CompletableFuture<Map<String, Object>> pluginAction(Node node) throws StepException {
        ActionInvoker invoker = env.services().actionInvoker();
        if (invoker == null) {
            throw new StepException(prefix(node) + "no action invoker is running, so actions cannot be called");
        }
        String action = text(node, "actionName", render(node, "actionName"));
        String instance = node.config().containsKey("instance") ? text(node, "instance", render(node, "instance"))
                : instanceOf(node, invoker, text(node, "pluginId", render(node, "pluginId")), action);
        Object payload = node.config().containsKey("payload") ? render(node, "payload") : Map.of();
        if (!(payload instanceof Map<?, ?> map)) {
            throw new StepException(prefix(node) + "field 'payload' must give an object, gave "
                    + Templates.describe(payload));
        }
        @SuppressWarnings("unchecked")
        ActionCall call = new ActionCall(instance, action, (Map<String, Object>) map,
                "flow:" + flowId + "/" + runId);
        return invoker.invoke(call).toCompletableFuture().thenApply(outcome -> {
            if (outcome == null) {
                throw new CompletionException(new StepException(prefix(node) + "the action invoker gave no outcome"));
            }
            if (!outcome.succeeded()) {
                throw new CompletionException(new StepException(prefix(node) + failure(call, outcome)));
            }
            Map<String, Object> output = new LinkedHashMap<>();
            output.put("output", outcome.output());
            output.put("text", outcome.text());
            return output;
        });
    }

    private static String failure(ActionCall call, ActionOutcome outcome) {
        String action = "action '" + call.action() + "' of instance '" + call.instanceId() + "' ";
        String attempts = outcome.attempts() + (outcome.attempts() == 1 ? " attempt" : " attempts");
        return switch (outcome.status()) {
            case INVALID -> action + "refused the payload: " + String.join("; ", outcome.problems());
            case NOT_FOUND -> action + "is not running" + (outcome.text().isEmpty() ? "" : ": " + outcome.text());
            case TIMED_OUT -> action + "timed out after " + attempts + suffix(outcome.text());
            default -> action + "failed after " + attempts + suffix(outcome.text());
        };
    }

    private static String suffix(String text) {
        return text.isEmpty() ? "" : ": " + text;
    }

    /** The one running instance of a plugin that offers the action. */
    private String instanceOf(Node node, ActionInvoker invoker, String pluginId, String action)
            throws StepException {
        List<String> instances = invoker.actions().stream()
                .filter(info -> pluginId.equals(info.pluginId()) && action.equals(info.name()))
                .map(ActionInfo::instanceId).distinct().sorted().toList();
        if (instances.isEmpty()) {
            throw new StepException(prefix(node) + "no running instance of plugin '" + pluginId
                    + "' offers action '" + action + "'");
        }
        if (instances.size() > 1) {
            throw new StepException(prefix(node) + "plugin '" + pluginId + "' has " + instances.size()
                    + " running instances offering action '" + action + "' (" + String.join(", ", instances)
                    + "); name one in field 'instance'");
        }
        return instances.get(0);
    }

    private CompletableFuture<Map<String, Object>> inference(Node node) throws StepException {
        String providerId = text(node, "provider", render(node, "provider"));
        InferenceProvider provider = env.services().provider(providerId);
        if (provider == null) {
            throw new StepException(prefix(node) + "there is no running inference provider '" + providerId + "'");
        }
        String model = Templates.stringify(render(node, "model"));
        String system = Templates.stringify(render(node, "system"));
        Object maxTokens = render(node, "maxTokens");
        if (maxTokens != null && !(maxTokens instanceof Integer n && n >= 0)) {
            throw new StepException(prefix(node) + "field 'maxTokens' must give a whole number of at least 0, gave "
                    + Templates.describe(maxTokens));
        }
        ChatRequest request = new ChatRequest(model.isEmpty() ? null : model, system.isEmpty() ? null : system,
                List.of(ChatMessage.user(Templates.stringify(render(node, "prompt")))), List.of(),
                maxTokens == null ? 0 : (Integer) maxTokens);
        return call(node, "inference provider '" + providerId + "'",
                () -> Map.of("text", provider.chat(request).text()));
    }

    private CompletableFuture<Map<String, Object>> sendMessage(Node node) throws StepException {
        String connectorId = text(node, "connector", render(node, "connector"));
        Connector connector = env.services().connector(connectorId);
        if (connector == null) {
            throw new StepException(prefix(node) + "there is no running connector '" + connectorId + "'");
        }
        String conversation = Templates.stringify(render(node, "conversationId"));
        if (conversation.isEmpty()) {
            throw new StepException(prefix(node) + "field 'conversationId' gave an empty conversation id");
        }
        OutgoingMessage message = OutgoingMessage.text(conversation, Templates.stringify(render(node, "text")));
        return call(node, "connector '" + connectorId + "'", () -> {
            // validated first: an invalid message is refused whole, nothing of it is sent
            PayloadValidation validation = connector.validate(message);
            if (validation == null || !validation.valid()) {
                throw new StepException(prefix(node) + "connector '" + connectorId + "' refused the message: "
                        + (validation == null ? "its validation gave no answer"
                                : String.join("; ", validation.problems())));
            }
            connector.send(message);
            return Map.of("sent", true);
        });
    }

    /** Plugin code on the call executor; a failure becomes a step error, an abandoned step interrupts it. */
    private CompletableFuture<Map<String, Object>> call(Node node, String what,
            Callable<Map<String, Object>> work) {
        CompletableFuture<Map<String, Object>> result = new CompletableFuture<>();
        AtomicReference<Future<?>> task = new AtomicReference<>();
        try {
            task.set(env.calls().submit(() -> {
                try {
                    result.complete(work.call());
                } catch (StepException e) {
                    result.completeExceptionally(e);
                } catch (Throwable e) {
                    result.completeExceptionally(new StepException(prefix(node) + what + " failed: " + describe(e)));
                }
            }));
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new StepException(prefix(node)
                    + "the flow engine has no room for more plugin calls (stopping, or too many steps waiting); "
                    + what + " was not called"));
        }
        result.whenComplete((value, failure) -> {
            if (failure != null) {
                task.get().cancel(true);
            }
        });
        return result;
    }

    // --- helpers

    private Object render(Node node, String field) throws StepException {
        return Templates.render(node.config().get(field), node.id(), field, outputs);
    }

    private static String text(Node node, String field, Object value) throws StepException {
        if (value instanceof String text && !text.isEmpty()) {
            return text;
        }
        throw new StepException(prefix(node) + "field '" + field + "' must give a non-empty text, gave "
                + Templates.describe(value));
    }

    private static String prefix(Node node) {
        return "node '" + node.id() + "': ";
    }

    private static String describe(Throwable e) {
        Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        if (cause instanceof PluginException) {
            return cause.getMessage();
        }
        return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }
}
