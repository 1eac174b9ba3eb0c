package io.grambot.itest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

import io.grambot.api.PluginException;
import io.grambot.api.action.Action;
import io.grambot.api.action.AuditLog;
import io.grambot.api.action.Trigger;
import io.grambot.api.connector.Connector;
import io.grambot.api.connector.OutgoingMessage;
import io.grambot.api.flow.FlowEngine;
import io.grambot.api.flow.FlowInfo;
import io.grambot.api.flow.FlowRun;
import io.grambot.api.flow.FlowStep;

/**
 * Flows in the framework: a test plugin's trigger fires, the flow engine runs trigger → condition → plugin_action →
 * send_message through the action invoker and the connector registry, and records the run; invalid flows are
 * refused with precise messages; a failing run does not touch a concurrent one; subscriptions are closed when their
 * instance or bundle goes.
 */
@ExtendWith(BundleContextExtension.class)
@ExtendWith(ServiceExtension.class)
class FlowTest {

    @InjectBundleContext
    BundleContext context;

    @InjectService
    ConfigurationAdmin configAdmin;

    @InjectService
    FlowEngine engine;

    private final List<Configuration> configurations = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (Configuration configuration : configurations) {
            try {
                configuration.delete();
            } catch (IllegalStateException alreadyDeleted) {
                // the test deleted it itself
            }
        }
        Eventually.until("this test's flows are gone", () -> engine.flows().stream()
                .noneMatch(f -> f.flowId().endsWith("-ft")));
        Eventually.gone(context, Trigger.class, "(grambot.instance.id=*-ft)");
        Eventually.gone(context, Action.class, "(grambot.instance.id=*-ft)");
        Eventually.gone(context, Connector.class, "(grambot.instance.id=*-ft)");
    }

    private Configuration configure(String factoryPid, String name, Map<String, Object> properties) throws Exception {
        Configuration configuration = Instances.create(configAdmin, factoryPid, name, properties);
        configurations.add(configuration);
        return configuration;
    }

    private TestTrigger trigger(String instanceId, Map<String, Object> settings) throws Exception {
        configure("testtrigger", instanceId, settings);
        return (TestTrigger) Eventually.service(context, Trigger.class, Instances.filter(instanceId));
    }

    private FlowTestAction action(String instanceId, Map<String, Object> settings) throws Exception {
        configure("flowaction", instanceId, settings);
        return (FlowTestAction) Eventually.service(context, Action.class, Instances.filter(instanceId));
    }

    private TestChatConnector chat(String instanceId) throws Exception {
        configure("testchat", instanceId, Map.of());
        return (TestChatConnector) Eventually.service(context, Connector.class, Instances.filter(instanceId));
    }

    /** Saves a flow and waits until the engine has it (valid or not). */
    private FlowInfo flow(String flowId, String definition) throws Exception {
        configure(FlowEngine.FACTORY_PID, flowId, Map.of(FlowEngine.DEFINITION, definition));
        Eventually.until("the engine has flow '" + flowId + "'", () -> info(flowId).isPresent());
        return info(flowId).orElseThrow();
    }

    private Optional<FlowInfo> info(String flowId) {
        return engine.flows().stream().filter(f -> f.flowId().equals(flowId)).findFirst();
    }

    /** Waits for the flow's run number {@code count} (counting from its first) to end, and returns it. */
    private FlowRun awaitRun(String flowId, int count) throws InterruptedException {
        Eventually.until("run " + count + " of flow '" + flowId + "' ended", () -> {
            List<FlowRun> runs = engine.runs(flowId, 100);
            return runs.size() >= count && runs.get(runs.size() - count).status() != FlowRun.Status.RUNNING;
        });
        List<FlowRun> runs = engine.runs(flowId, 100);
        return runs.get(runs.size() - count);
    }

    /** trigger → amount over 100? → the action with a templated payload → a message naming what the action said. */
    private static String orderFlow(String triggerInstance, String actionInstance, String connector) {
        return """
                {"nodes":[
                  {"id":"start","kind":"trigger","config":{"instance":"%s","trigger":"webhook"}},
                  {"id":"big","kind":"condition","config":{"left":"{{start.data.amount}}","op":"gt","right":100}},
                  {"id":"call","kind":"plugin_action","config":{"instance":"%s","actionName":"record",
                    "payload":{"order":"{{start.data.id}}","amount":"{{start.data.amount}}",
                      "url":"https://example.org/orders/{{start.data.id}}"}}},
                  {"id":"notify","kind":"send_message","config":{"connector":"%s",
                    "conversationId":"{{start.data.chat}}",
                    "text":"Order {{call.output.received.order}} over 100: {{call.text}}"}}],
                 "edges":[{"from":"start","to":"big"},{"from":"big","to":"call","when":true},
                   {"from":"call","to":"notify"}]}
                """.formatted(triggerInstance, actionInstance, connector);
    }

    @Test
    void aFiredTriggerRunsConditionActionAndMessageAndTheRunIsRecorded() throws Exception {
        TestTrigger hooks = trigger("hooks-ft", Map.of());
        FlowTestAction recorder = action("recorder-ft", Map.of());
        TestChatConnector chat = chat("chat-ft");
        assertThat(flow("orders-ft", orderFlow("hooks-ft", "recorder-ft", "chat-ft")))
                .isEqualTo(new FlowInfo("orders-ft", true, List.of(), "hooks-ft/webhook"));

        hooks.awaitSubscribed().fire(Map.of("id", "A-7", "amount", 150, "chat", "room-ft"));

        FlowRun run = awaitRun("orders-ft", 1);
        assertThat(run.status()).as(run.error()).isEqualTo(FlowRun.Status.SUCCEEDED);
        assertThat(run.steps()).extracting(FlowStep::nodeId).containsExactly("start", "big", "call", "notify");
        assertThat(run.steps()).allMatch(FlowStep::ok);
        assertThat(run.steps().get(1).output()).isEqualTo(Map.of("result", true));
        // the action got the templated payload, the amount still a number, through the invoker as the run
        assertThat(recorder.calls()).singleElement().satisfies(call -> {
            assertThat(call.payload()).isEqualTo(Map.of("order", "A-7", "amount", 150,
                    "url", "https://example.org/orders/A-7"));
            assertThat(call.invokedBy()).isEqualTo("flow:orders-ft/" + run.runId());
        });
        AuditLog audit = Eventually.service(context, AuditLog.class, null);
        assertThat(audit.query("recorder-ft", "record", null, 10)).as("retries and audit apply inside flows")
                .singleElement().satisfies(record -> {
                    assertThat(record.invokedBy()).isEqualTo("flow:orders-ft/" + run.runId());
                    assertThat(record.outcome()).isEqualTo("succeeded");
                });
        assertThat(chat.awaitSent("room-ft", 1)).isPositive();
        assertThat(chat.sent()).extracting(OutgoingMessage::text).containsExactly("Order A-7 over 100: recorded 1");
        assertThat(engine.run(run.runId())).contains(run);
        Path file = Fixtures.dataDir(context).resolve("flows").resolve("orders-ft").resolve("runs.jsonl");
        Eventually.until("the run is in " + file, () -> lines(file).stream()
                .anyMatch(l -> l.contains("\"runId\":\"" + run.runId() + "\"") && l.contains("\"SUCCEEDED\"")));

        // the condition's false branch runs nothing further
        hooks.fire(Map.of("id", "A-8", "amount", 50, "chat", "room-ft"));

        FlowRun small = awaitRun("orders-ft", 2);
        assertThat(small.status()).isEqualTo(FlowRun.Status.SUCCEEDED);
        assertThat(small.steps()).extracting(FlowStep::nodeId).containsExactly("start", "big");
        assertThat(small.steps().get(1).output()).isEqualTo(Map.of("result", false));
        assertThat(recorder.calls()).hasSize(1);
        assertThat(chat.sent()).hasSize(1);
    }

    private static List<String> lines(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file) : List.of();
        } catch (java.io.IOException e) {
            return List.of(); // being appended to: read again
        }
    }

    @Test
    void anInvalidFlowIsNotLoadedAndSaysPreciselyWhy() throws Exception {
        String definition = """
                {"nodes":[
                  {"id":"start","kind":"trigger","config":{"instance":"hooks-ft","trigger":"webhook"}},
                  {"id":"notify","kind":"send_message","config":{"conversationId":"c","text":"{{ask.text}}"}}],
                 "edges":[{"from":"start","to":"notify"},{"from":"notify","to":"ask"}]}
                """;
        List<String> expected = List.of("node 'notify': field 'connector' is missing",
                "edge 'notify' → 'ask': field 'to': there is no node 'ask'",
                "node 'notify': field 'text': {{ask.text}} refers to node 'ask', which does not exist");
        FlowInfo info;
        try (LogCapture log = new LogCapture(context)) {
            info = flow("broken-ft", definition);

            Eventually.until("the problems are logged", () -> log.lines().contains(
                    "ERROR io.grambot.core flow 'broken-ft' is not loaded: " + String.join("; ", expected)));
        }
        assertThat(info.valid()).isFalse();
        assertThat(info.problems()).containsExactlyElementsOf(expected);
        assertThat(engine.validate(definition)).containsExactlyElementsOf(expected);
        assertThatThrownBy(() -> engine.start("broken-ft", Map.of()).toCompletableFuture().join())
                .hasCauseInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("flow 'broken-ft' is not valid: node 'notify': field 'connector' is missing");

        // saving a fix replaces the problems; saving broken JSON says where
        configurations.get(0).update(new java.util.Hashtable<>(Map.of(FlowEngine.DEFINITION,
                definition.replace("\"conversationId\"", "\"connector\":\"chat-ft\",\"conversationId\"")
                        .replace("{{ask.text}}", "hi").replace(",{\"from\":\"notify\",\"to\":\"ask\"}", ""))));
        Eventually.until("the fixed flow is valid", () -> info("broken-ft").map(FlowInfo::valid).orElse(false));
        configurations.get(0).update(new java.util.Hashtable<>(Map.of(FlowEngine.DEFINITION,
                "{\"nodes\": [\n  {\"id\": \"start\" \"kind\": \"trigger\"}]}")));
        Eventually.until("the broken JSON is reported", () -> info("broken-ft").map(f -> f.problems().equals(List.of(
                "definition: not valid JSON at line 2, column 18: Unexpected character ('\"' (code 34)): was"
                        + " expecting comma to separate Object entries"))).orElse(false));
    }

    @Test
    void aRunWhoseActionFailsEndsAloneWhileAConcurrentRunOfAnotherFlowSucceeds() throws Exception {
        TestTrigger hooks = trigger("shared-ft", Map.of());
        FlowTestAction failing = action("failing-ft", Map.of("behaviour", "fail-after-release"));
        action("working-ft", Map.of());
        TestChatConnector chat = chat("room-chat-ft");
        flow("fails-ft", orderFlow("shared-ft", "failing-ft", "room-chat-ft"));
        flow("works-ft", orderFlow("shared-ft", "working-ft", "room-chat-ft"));

        hooks.awaitSubscribed().fire(Map.of("id", "B-1", "amount", 500, "chat", "room-both"));

        // the failing action holds its run while the other flow's run goes all the way
        failing.awaitStarted();
        FlowRun works = awaitRun("works-ft", 1);
        assertThat(works.status()).as(works.error()).isEqualTo(FlowRun.Status.SUCCEEDED);
        assertThat(chat.awaitSent("room-both", 1)).isPositive();
        assertThat(engine.runs("fails-ft", 1)).singleElement().extracting(FlowRun::status)
                .isEqualTo(FlowRun.Status.RUNNING);

        failing.release();

        FlowRun fails = awaitRun("fails-ft", 1);
        assertThat(fails.status()).isEqualTo(FlowRun.Status.FAILED);
        assertThat(fails.steps()).extracting(FlowStep::nodeId).containsExactly("start", "big", "call");
        assertThat(fails.error()).startsWith("node 'call': action 'record' of instance 'failing-ft' failed")
                .contains("the test action broke, as configured");
        assertThat(chat.sent()).extracting(OutgoingMessage::text).containsExactly("Order B-1 over 100: recorded 1");
    }

    @Test
    void aSubscriptionIsClosedOnceWhenItsInstanceIsDeletedEvenWhenCloseThrows() throws Exception {
        TestTrigger plain = trigger("plain-ft", Map.of()).awaitSubscribed();
        TestTrigger throwing = trigger("throwing-ft", Map.of("onClose", "throw")).awaitSubscribed();

        try (LogCapture log = new LogCapture(context)) {
            for (Configuration configuration : configurations) {
                configuration.delete();
            }
            configurations.clear();
            Eventually.gone(context, Trigger.class, "(grambot.instance.id=*-ft)");
            Eventually.until("both subscriptions are closed", () -> plain.closes() >= 1 && throwing.closes() >= 1);
            Eventually.until("the throwing close is logged", () -> log.lines().contains("ERROR io.grambot.core"
                    + " trigger 'webhook' of instance 'throwing-ft': closing its subscription (it was unsubscribed)"
                    + " threw IllegalStateException: the test trigger's close broke, as configured"));
        }
        assertThat(plain.closes()).isEqualTo(1);
        assertThat(throwing.closes()).isEqualTo(1);
        assertThat(plain.subscribes()).isEqualTo(1);
        assertThatThrownBy(() -> plain.fire(Map.of("late", true))).isInstanceOf(PluginException.class)
                .hasMessage("trigger 'webhook' of instance 'plain-ft' is not subscribed (its subscription was"
                        + " closed); events it fires now are refused");

        // the core goes on subscribing other triggers
        trigger("after-ft", Map.of()).awaitSubscribed();
    }

    @Test
    void aSubscribeThatThrowsIsLoggedWithInstanceAndTrigger() throws Exception {
        try (LogCapture log = new LogCapture(context)) {
            TestTrigger refusing = trigger("refusing-ft", Map.of("onSubscribe", "throw"));

            Eventually.until("the failed subscribe is logged", () -> log.lines().contains("ERROR io.grambot.core"
                    + " trigger 'webhook' of instance 'refusing-ft' could not subscribe: subscribe threw"
                    + " PluginException: the test trigger cannot subscribe, as configured"));
            assertThat(refusing.subscribes()).isEqualTo(1);
            assertThatThrownBy(() -> refusing.fire(Map.of())).isInstanceOf(PluginException.class)
                    .hasMessageContaining("it failed to subscribe");
        }
    }

    @Test
    void aSubscriptionIsClosedWhenThePluginsBundleStops() throws Exception {
        Bundle fixture;
        try (InputStream in = Files.newInputStream(Fixtures.triggerJar(context))) {
            fixture = context.installBundle("itest:trigger-fixture", in);
        }
        Path notes = Fixtures.dataDir(context).resolve("plugins").resolve("tick-ft").resolve("trigger.log");
        try {
            fixture.start();
            configure("fixture.trigger", "tick-ft", Map.of());
            Eventually.until("subscribed", () -> lines(notes).equals(List.of("subscribed")));

            fixture.stop();
            Eventually.until("closed", () -> lines(notes).equals(List.of("subscribed", "closed")));

            fixture.start();
            Eventually.until("subscribed again", () -> lines(notes).equals(List.of("subscribed", "closed",
                    "subscribed")));
        } finally {
            fixture.uninstall();
        }
        Eventually.until("closed again", () -> lines(notes).equals(List.of("subscribed", "closed", "subscribed",
                "closed")));
    }
}
