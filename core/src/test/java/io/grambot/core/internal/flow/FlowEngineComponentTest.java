package io.grambot.core.internal.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.grambot.api.PluginEvent;
import io.grambot.api.action.ActionCall;
import io.grambot.api.action.ActionInfo;
import io.grambot.api.action.ActionInvoker;
import io.grambot.api.action.ActionOutcome;
import io.grambot.api.connector.Connector;
import io.grambot.api.connector.OutgoingMessage;
import io.grambot.api.flow.FlowInfo;
import io.grambot.api.flow.FlowRun;

class FlowEngineComponentTest {

    @TempDir
    Path dir;

    private final RecordingLog log = new RecordingLog();
    private final List<OutgoingMessage> sent = new CopyOnWriteArrayList<>();
    private final Connector chat = new Connector() {
        @Override
        public String id() {
            return "chat";
        }

        @Override
        public void send(OutgoingMessage message) {
            sent.add(message);
        }
    };
    private FlowEngineComponent engine;

    @AfterEach
    void stop() {
        if (engine != null) {
            engine.deactivate();
        }
    }

    static FlowEngineComponent.Config config(Map<String, Object> overrides) {
        return (FlowEngineComponent.Config) Proxy.newProxyInstance(FlowEngineComponent.Config.class.getClassLoader(),
                new Class<?>[] { FlowEngineComponent.Config.class },
                (proxy, method, args) -> overrides.getOrDefault(method.getName(), method.getDefaultValue()));
    }

    private FlowEngineComponent engine(Map<String, Object> config) {
        engine = new FlowEngineComponent(config(config), dir::resolve, id -> id.equals("chat") ? chat : null,
                id -> null, log.logger, Clock.systemUTC());
        return engine;
    }

    private FlowConfiguration flow(String id, boolean enabled, String instance, String trigger, String text) {
        String json = "{\"nodes\":[{\"id\":\"start\",\"kind\":\"trigger\",\"config\":{\"instance\":\"" + instance
                + "\",\"trigger\":\"" + trigger + "\"}},{\"id\":\"say\",\"kind\":\"send_message\",\"config\":"
                + "{\"connector\":\"chat\",\"conversationId\":\"{{start.data.room}}\",\"text\":\"" + text + "\"}}],"
                + "\"edges\":[{\"from\":\"start\",\"to\":\"say\"}]}";
        return new FlowConfiguration(id, enabled, json, log.logger);
    }

    private static PluginEvent fired(String instance, String trigger, Map<String, Object> data) {
        return new PluginEvent("e-1", "hooks", instance, "trigger.fired", Map.of("trigger", trigger, "data", data),
                Instant.now());
    }

    @Test
    void aTriggerEventStartsEveryEnabledFlowOfThatInstanceAndTrigger() throws Exception {
        engine(Map.of());
        engine.addFlow(flow("a", true, "hooks", "order", "a saw {{start.data.n}}"));
        engine.addFlow(flow("b", true, "hooks", "order", "b saw {{start.data.n}}"));
        engine.addFlow(flow("off", false, "hooks", "order", "disabled"));
        engine.addFlow(flow("elsewhere", true, "hooks2", "order", "other instance"));
        engine.addFlow(flow("refund", true, "hooks", "refund", "other trigger"));

        engine.handle(fired("hooks", "order", Map.of("room", "r1", "n", 3)));

        Wait.until("both runs ended", () -> ended("a") && ended("b"));
        assertThat(sent).extracting(OutgoingMessage::text).containsExactlyInAnyOrder("a saw 3", "b saw 3");
        assertThat(sent).extracting(OutgoingMessage::conversationId).containsOnly("r1");
        for (String id : List.of("off", "elsewhere", "refund")) {
            assertThat(engine.runs(id, 10)).as(id).isEmpty();
        }
        FlowRun run = engine.runs("a", 1).get(0);
        assertThat(engine.run(run.runId())).contains(run);
        assertThat(dir.resolve("a").resolve("runs.jsonl")).exists();
    }

    private boolean ended(String flowId) {
        return engine.runs(flowId, 1).stream().anyMatch(r -> r.status() != FlowRun.Status.RUNNING);
    }

    @Test
    void flowsAreListedWithTheirStateAndProblems() {
        engine(Map.of());
        engine.addFlow(flow("b", false, "hooks", "order", "x"));
        engine.addFlow(new FlowConfiguration("a", true, "{\"nodes\":[]}", log.logger));
        engine.addFlow(new FlowConfiguration("m", true, "{\"nodes\":[{\"id\":\"s\",\"kind\":\"trigger\"}]}", log.logger));

        assertThat(engine.flows()).containsExactly(
                new FlowInfo("a", true, List.of("definition: field 'nodes': a flow needs exactly one node of kind"
                        + " 'trigger', found none"), ""),
                new FlowInfo("b", false, List.of(), "hooks/order"),
                new FlowInfo("m", true, List.of(), "manual"));
        assertThat(log.lines).containsExactly("ERROR flow 'a' is not loaded: definition: field 'nodes': a flow needs"
                + " exactly one node of kind 'trigger', found none");
    }

    @Test
    void aBadFlowIdIsAProblemOfItsOwn() {
        FlowConfiguration flow = new FlowConfiguration("../up", true, "{\"nodes\":[{\"id\":\"s\",\"kind\":\"trigger\"}]}",
                log.logger);

        assertThat(flow.valid()).isFalse();
        assertThat(flow.info().problems()).containsExactly("flow id '../up' must start with a letter or digit and"
                + " contain only letters, digits, '.', '_' and '-' (at most 128)");
    }

    @Test
    void aManualStartRunsTheFlowWithTheDataAndRefusesMissingInvalidAndDisabledFlows() throws Exception {
        engine(Map.of());
        engine.addFlow(flow("a", true, "hooks", "order", "hello {{start.trigger}}"));
        engine.addFlow(flow("off", false, "hooks", "order", "x"));
        engine.addFlow(new FlowConfiguration("bad", true, "{", log.logger));

        FlowRun run = engine.start("a", Map.of("room", "r9")).toCompletableFuture().get(10, TimeUnit.SECONDS);

        assertThat(run.status()).isEqualTo(FlowRun.Status.SUCCEEDED);
        assertThat(sent).containsExactly(OutgoingMessage.text("r9", "hello order"));
        assertThat(refusal("nope")).isEqualTo("there is no flow 'nope'");
        assertThat(refusal("off")).isEqualTo("flow 'off' is disabled");
        assertThat(refusal("bad")).startsWith("flow 'bad' is not valid: definition: not valid JSON at line 1");
    }

    private String refusal(String flowId) {
        CompletionStage<FlowRun> start = engine.start(flowId, Map.of());
        assertThatThrownBy(() -> start.toCompletableFuture().get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(IllegalArgumentException.class);
        return start.toCompletableFuture().handle((r, e) -> e.getCause().getMessage()).join();
    }

    @Test
    void runsBeyondTheLimitInProgressAreRefusedAndRecorded() throws Exception {
        engine(Map.of("maxRunsInProgress", 1));
        CountDownLatch release = new CountDownLatch(1);
        engine.setActionInvoker(new ActionInvoker() {
            @Override
            public CompletionStage<ActionOutcome> invoke(ActionCall call) {
                return CompletableFuture.supplyAsync(() -> {
                    try {
                        release.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return new ActionOutcome(ActionOutcome.Status.SUCCEEDED, Map.of(), "", List.of(), 1, null);
                });
            }

            @Override
            public List<ActionInfo> actions() {
                return List.of();
            }
        });
        engine.addFlow(new FlowConfiguration("slow", true, "{\"nodes\":[{\"id\":\"s\",\"kind\":\"trigger\"},"
                + "{\"id\":\"a\",\"kind\":\"plugin_action\",\"config\":{\"instance\":\"i\",\"actionName\":\"wait\"}}],"
                + "\"edges\":[{\"from\":\"s\",\"to\":\"a\"}]}", log.logger));

        CompletableFuture<FlowRun> first = engine.start("slow", Map.of()).toCompletableFuture();
        FlowRun second = engine.start("slow", Map.of()).toCompletableFuture().get(10, TimeUnit.SECONDS);

        assertThat(second.status()).isEqualTo(FlowRun.Status.FAILED);
        assertThat(second.error()).isEqualTo("1 runs are in progress, the most the flow engine takes; this run was"
                + " refused");
        release.countDown();
        assertThat(first.get(10, TimeUnit.SECONDS).status()).isEqualTo(FlowRun.Status.SUCCEEDED);
        assertThat(engine.start("slow", Map.of()).toCompletableFuture().get(10, TimeUnit.SECONDS).status())
                .as("room again once the first ended").isEqualTo(FlowRun.Status.SUCCEEDED);
    }

    @Test
    void anEventWithoutATriggerNameIsLoggedAndStartsNothing() {
        engine(Map.of());
        engine.addFlow(flow("a", true, "hooks", "order", "x"));

        engine.handle(new PluginEvent("e-2", "hooks", "hooks", "trigger.fired", Map.of("data", Map.of()),
                Instant.now()));

        assertThat(engine.runs("a", 1)).isEmpty();
        assertThat(log.lines).containsExactly("WARN event e-2 of instance 'hooks' is a trigger.fired event without a"
                + " 'trigger' name; no flow runs");
    }
}
