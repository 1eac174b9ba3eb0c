package io.grambot.core.internal.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgi.service.log.Logger;

import io.grambot.api.PluginConstants;
import io.grambot.api.action.Trigger;
import io.grambot.api.flow.FlowEngine;
import io.grambot.api.flow.FlowInfo;
import io.grambot.api.flow.FlowRun;
import io.grambot.api.flow.FlowStep;
import io.grambot.core.internal.trigger.TriggerSubscriptions;

class FlowCommandsTest {

    private static final Instant AT = Instant.parse("2026-03-01T10:00:00Z");
    private static final Logger QUIET = (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(),
            new Class<?>[] { Logger.class }, (proxy, method, args) -> method.getReturnType() == boolean.class
                    ? false : null);

    private final List<FlowInfo> flows = new ArrayList<>();
    private final List<FlowRun> runs = new ArrayList<>();
    private final List<Map<String, Object>> started = new ArrayList<>();
    private final TriggerSubscriptions triggers = new TriggerSubscriptions((p, i, t, payload) -> { },
            Duration.ofSeconds(5), Duration.ofSeconds(5), QUIET);
    private CompletionStage<FlowRun> answer;

    private final FlowEngine engine = new FlowEngine() {
        @Override
        public List<String> validate(String definitionJson) {
            return List.of();
        }

        @Override
        public List<FlowInfo> flows() {
            return flows;
        }

        @Override
        public CompletionStage<FlowRun> start(String flowId, Map<String, Object> data) {
            started.add(data);
            return answer;
        }

        @Override
        public List<FlowRun> runs(String flowId, int limit) {
            return runs.stream().filter(r -> r.flowId().equals(flowId)).limit(limit).toList();
        }

        @Override
        public Optional<FlowRun> run(String runId) {
            return Optional.empty();
        }
    };
    private final FlowCommands commands = new FlowCommands(engine, triggers);

    @AfterEach
    void stop() {
        triggers.deactivate();
    }

    private static FlowRun run(String runId, FlowRun.Status status, String error, FlowStep... steps) {
        return new FlowRun(runId, "orders", status, AT, AT.plusMillis(42), List.of(steps), error);
    }

    @Test
    void flowsListsEachFlowWithItsProblemsAndTheTriggers() throws Exception {
        flows.add(new FlowInfo("orders", true, List.of(), "hooks/webhook"));
        flows.add(new FlowInfo("broken", false, List.of("node 'notify': field 'connector' is missing"), ""));
        triggers.addTrigger(new Trigger() {
            @Override
            public String name() {
                return "webhook";
            }

            @Override
            public String description() {
                return "";
            }

            @Override
            public Subscription subscribe(Sink sink) {
                return () -> { };
            }
        }, Map.of(PluginConstants.INSTANCE_ID, "hooks", PluginConstants.PLUGIN_ID, "webhooks", "service.id", 1L));
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!triggers.states().get(0).state().equals("SUBSCRIBED") && System.nanoTime() < deadline) {
            Thread.sleep(5); // polling interval of a bounded wait
        }

        assertThat(commands.flows()).isEqualTo("""
                orders  enabled  valid, started by hooks/webhook
                broken  disabled  INVALID
                    node 'notify': field 'connector' is missing
                triggers:
                  hooks/webhook  subscribed  fired 0
                """);
    }

    @Test
    void withoutFlowsItSaysWhatAFlowIs() {
        assertThat(commands.flows()).isEqualTo("no flows (a flow is a configuration of factory PID grambot.flow)\n"
                + "no triggers\n");
    }

    @Test
    void runsShowsTheStepsOfEachRun() {
        flows.add(new FlowInfo("orders", true, List.of(), "hooks/webhook"));
        runs.add(run("r2", FlowRun.Status.FAILED, "node 'call': action 'get' of instance 'h' failed after 1 attempt",
                new FlowStep("start", "trigger", true, Map.of("data", Map.of("n", 1)), "", AT, 0),
                new FlowStep("call", "plugin_action", false, Map.of(),
                        "node 'call': action 'get' of instance 'h' failed after 1 attempt", AT, 12)));
        runs.add(run("r1", FlowRun.Status.FAILED, "1 runs are in progress, the most the flow engine takes; this"
                + " run was refused"));

        assertThat(commands.runs("orders")).isEqualTo("""
                r2  FAILED  started 2026-03-01T10:00:00Z  took 42 ms
                    start (trigger)  ok  0 ms  {"data":{"n":1}}
                    call (plugin_action)  FAILED  12 ms  node 'call': action 'get' of instance 'h' failed after 1 attempt
                r1  FAILED  started 2026-03-01T10:00:00Z  took 42 ms
                    1 runs are in progress, the most the flow engine takes; this run was refused
                """);
        assertThat(commands.runs("orders", 1)).startsWith("r2 ").doesNotContain("r1 ");
        assertThat(commands.runs("nope")).isEqualTo("there is no flow 'nope'\n");
        flows.add(new FlowInfo("quiet", true, List.of(), "manual"));
        assertThat(commands.runs("quiet")).isEqualTo("flow 'quiet' has no runs kept\n");
    }

    @Test
    void flowstartPassesTheJsonDataAndShowsTheRun() {
        answer = CompletableFuture.completedStage(run("r3", FlowRun.Status.SUCCEEDED, "",
                new FlowStep("start", "trigger", true, Map.of("trigger", "manual"), "", AT, 0)));

        assertThat(commands.flowstart("orders", "{\"amount\": 150}")).isEqualTo("""
                r3  SUCCEEDED  started 2026-03-01T10:00:00Z  took 42 ms
                    start (trigger)  ok  0 ms  {"trigger":"manual"}
                """);
        assertThat(started).containsExactly(Map.of("amount", 150));
        assertThat(commands.flowstart("orders", "amount=150")).startsWith("the data must be a JSON object, such as"
                + " '{\"amount\": 150}' (in single quotes): Unrecognized token 'amount'");

        answer = CompletableFuture.failedStage(new IllegalArgumentException("flow 'orders' is disabled"));
        assertThat(commands.flowstart("orders")).isEqualTo("cannot start: flow 'orders' is disabled\n");
        assertThat(started).hasSize(2).last().isEqualTo(Map.of());
    }
}
