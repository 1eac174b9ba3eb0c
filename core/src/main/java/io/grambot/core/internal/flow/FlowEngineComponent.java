package io.grambot.core.internal.flow;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import io.grambot.api.PluginConstants;
import io.grambot.api.PluginEvent;
import io.grambot.api.PluginEventHandler;
import io.grambot.api.action.ActionInvoker;
import io.grambot.api.action.Trigger;
import io.grambot.api.connector.Connector;
import io.grambot.api.flow.FlowEngine;
import io.grambot.api.flow.FlowInfo;
import io.grambot.api.flow.FlowRun;
import io.grambot.api.inference.InferenceProvider;
import io.grambot.core.internal.DataLayout;
import io.grambot.core.internal.Registries;

/**
 * The flow engine: knows the {@link FlowConfiguration flows}, starts a run of every enabled, valid flow whose
 * trigger node names the instance and trigger of a {@value Trigger#EVENT_TYPE} event (or by hand), and keeps what
 * the runs did ({@link RunHistory}). Runs are independent (see {@link FlowRunner}); at most
 * {@code maxRunsInProgress} are under way, a run beyond that is refused and recorded as failed.
 */
@Designate(ocd = FlowEngineComponent.Config.class)
@Component(configurationPid = FlowEngineComponent.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL,
        immediate = true, service = { FlowEngine.class, PluginEventHandler.class },
        property = PluginConstants.EVENT_TYPE + "=" + Trigger.EVENT_TYPE)
public final class FlowEngineComponent implements FlowEngine, PluginEventHandler {

    static final String PID = "grambot.flowengine";

    @ObjectClassDefinition(name = "Grambot flow engine", description = "How flow runs are executed and kept.")
    public @interface Config {

        @AttributeDefinition(name = "Step timeout (s)", min = "1", description = "The most one step may take;"
                + " for an action, all its attempts and the waits between them.")
        int stepTimeoutSeconds() default 120;

        @AttributeDefinition(name = "Runs in progress", min = "1", description = "How many runs may be under way"
                + " at once; a run beyond that is refused and recorded as failed.")
        int maxRunsInProgress() default 1_000;

        @AttributeDefinition(name = "Plugin calls", min = "1", description = "How many connector sends and"
                + " inference calls of flow steps may run at once.")
        int maxParallelCalls() default 64;

        @AttributeDefinition(name = "Workers", min = "1",
                description = "Threads that advance runs from step to step (they never wait for plugins).")
        int workers() default 2;

        @AttributeDefinition(name = "Runs kept", min = "1", description = "Runs per flow kept in memory for the"
                + " shell and the API; every finished run is also appended to <data>/flows/<flow>/runs.jsonl.")
        int runsKept() default 100;
    }

    private final Function<String, Connector> connectors;
    private final Function<String, InferenceProvider> providers;
    private final Logger log;
    private final RunHistory history;
    private final RunEnvironment environment;
    private final ThreadPoolExecutor runs;
    private final ThreadPoolExecutor calls;
    private final ScheduledExecutorService timer;
    private final int maxRunsInProgress;
    private final AtomicInteger inProgress = new AtomicInteger();
    private final AtomicLong sequence = new AtomicLong();
    private final Clock clock;
    private final Map<String, FlowConfiguration> flows = new ConcurrentHashMap<>();
    /** Optional: without an invoker only plugin_action steps fail. */
    private final AtomicReference<ActionInvoker> actionInvoker = new AtomicReference<>();

    @Activate
    public FlowEngineComponent(Config config, BundleContext context, @Reference Registries registries,
            @Reference(service = LoggerFactory.class) Logger log) {
        this(config, DataLayout.of(context)::flowDirectory, registries::connector, registries::provider, log,
                Clock.systemUTC());
    }

    FlowEngineComponent(Config config, Function<String, Path> flowDirectory, Function<String, Connector> connectors,
            Function<String, InferenceProvider> providers, Logger log, Clock clock) {
        this.connectors = connectors;
        this.providers = providers;
        this.log = log;
        this.clock = clock;
        this.maxRunsInProgress = config.maxRunsInProgress();
        this.history = new RunHistory(config.runsKept(), flowDirectory, log);
        // admission is bounded by maxRunsInProgress, so the queue of continuations is too
        this.runs = new ThreadPoolExecutor(config.workers(), config.workers(), 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), threads("grambot-flow-runs"));
        this.calls = new ThreadPoolExecutor(0, config.maxParallelCalls(), 60, TimeUnit.SECONDS,
                new SynchronousQueue<>(), threads("grambot-flow-calls"));
        this.timer = Executors.newSingleThreadScheduledExecutor(threads("grambot-flow-timer"));
        this.environment = new RunEnvironment(services(), runs, calls, timer,
                Duration.ofSeconds(config.stepTimeoutSeconds()), clock);
    }

    /** Dynamic and greedy: a new invoker is taken at once, and flows keep running while it is replaced. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unsetActionInvoker")
    void setActionInvoker(ActionInvoker invoker) {
        actionInvoker.set(invoker);
    }

    void unsetActionInvoker(ActionInvoker invoker) {
        actionInvoker.compareAndSet(invoker, null); // a greedy replacement binds the new one first
    }

    @Deactivate
    void deactivate() {
        // running steps are interrupted; their runs end as failed on the calling thread (see FlowRunner.execute)
        calls.shutdownNow();
        timer.shutdownNow();
        runs.shutdown();
    }

    // --- flows

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addFlow(FlowConfiguration flow) {
        flows.put(flow.flowId(), flow);
    }

    void removeFlow(FlowConfiguration flow) {
        flows.remove(flow.flowId(), flow);
    }

    // --- FlowEngine

    @Override
    public List<String> validate(String definitionJson) {
        return FlowValidator.validate(definitionJson).problems();
    }

    @Override
    public List<FlowInfo> flows() {
        return flows.values().stream().map(FlowConfiguration::info).sorted(Comparator.comparing(FlowInfo::flowId))
                .toList();
    }

    @Override
    public CompletionStage<FlowRun> start(String flowId, Map<String, Object> data) {
        FlowConfiguration flow = flows.get(flowId);
        if (flow == null) {
            return CompletableFuture.failedStage(new IllegalArgumentException("there is no flow '" + flowId + "'"));
        }
        if (!flow.valid()) {
            return CompletableFuture.failedStage(new IllegalArgumentException("flow '" + flowId
                    + "' is not valid: " + String.join("; ", flow.info().problems())));
        }
        if (!flow.enabled()) {
            return CompletableFuture.failedStage(new IllegalArgumentException("flow '" + flowId + "' is disabled"));
        }
        Map<String, Object> config = flow.definition().trigger().config();
        return launch(flow, triggerOutput(config.get("trigger") instanceof String name ? name : FlowDefinition.MANUAL,
                data));
    }

    @Override
    public List<FlowRun> runs(String flowId, int limit) {
        return history.runs(flowId, limit);
    }

    @Override
    public Optional<FlowRun> run(String runId) {
        return history.run(runId);
    }

    // --- trigger events

    /** Starts the runs and returns: the event is done once they are accepted (a run is not resumed after a stop). */
    @Override
    public void handle(PluginEvent event) {
        if (!(event.payload().get("trigger") instanceof String trigger)) {
            log.warn("event {} of instance '{}' is a {} event without a 'trigger' name; no flow runs", event.id(),
                    event.instanceId(), Trigger.EVENT_TYPE);
            return;
        }
        Object data = event.payload().get("data");
        String key = event.instanceId() + "/" + trigger;
        for (FlowConfiguration flow : flows.values()) {
            if (flow.valid() && flow.enabled() && flow.definition().triggerKey().equals(key)) {
                launch(flow, triggerOutput(trigger, data)).thenAccept(run -> log.debug(
                        "flow '{}' run {} (event {}) ended {}", run.flowId(), run.runId(), event.id(), run.status()));
            }
        }
    }

    private static Map<String, Object> triggerOutput(String trigger, Object data) {
        Map<String, Object> output = new LinkedHashMap<>();
        output.put("trigger", trigger);
        output.put("data", data instanceof Map<?, ?> ? data : data == null ? Map.of() : Map.of("value", data));
        return output;
    }

    private CompletableFuture<FlowRun> launch(FlowConfiguration flow, Map<String, Object> triggerOutput) {
        String runId = Long.toString(clock.millis(), 36) + "-" + sequence.incrementAndGet();
        if (inProgress.incrementAndGet() > maxRunsInProgress) {
            inProgress.decrementAndGet();
            String error = maxRunsInProgress + " runs are in progress, the most the flow engine takes; this run"
                    + " was refused";
            FlowRun refused = new FlowRun(runId, flow.flowId(), FlowRun.Status.FAILED, clock.instant(),
                    clock.instant(), List.of(), error);
            history.record(refused);
            log.warn("flow '{}': {}", flow.flowId(), error);
            return CompletableFuture.completedFuture(refused);
        }
        FlowRunner runner = new FlowRunner(flow.flowId(), runId, flow.definition(), environment, history::record);
        return runner.start(triggerOutput).whenComplete((run, failure) -> {
            inProgress.decrementAndGet();
            if (run != null && run.status() == FlowRun.Status.FAILED) {
                log.warn("flow '{}' run {} failed: {}", run.flowId(), run.runId(), run.error());
            }
        });
    }

    /** Where the runs look services up when a step runs. */
    private FlowServices services() {
        return new FlowServices() {
            @Override
            public ActionInvoker actionInvoker() {
                return actionInvoker.get();
            }

            @Override
            public Connector connector(String instanceId) {
                return connectors.apply(instanceId);
            }

            @Override
            public InferenceProvider provider(String instanceId) {
                return providers.apply(instanceId);
            }
        };
    }

    private static ThreadFactory threads(String name) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
