package io.grambot.core.internal.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

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
import io.grambot.api.inference.ChatRequest;
import io.grambot.api.inference.ChatResponse;
import io.grambot.api.inference.InferenceProvider;

class FlowRunnerTest {

    private final ExecutorService runs = Executors.newFixedThreadPool(2);
    private final ExecutorService calls = Executors.newCachedThreadPool();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final Invoker invoker = new Invoker();
    private final Chat chat = new Chat("webchat");
    private final List<ChatRequest> prompts = new CopyOnWriteArrayList<>();
    private final List<FlowRun> recorded = new CopyOnWriteArrayList<>();
    private final Map<String, Connector> connectors = new HashMap<>(Map.of("webchat", chat));
    private Duration stepTimeout = Duration.ofSeconds(10);
    private boolean withInvoker = true;

    @AfterEach
    void stop() {
        runs.shutdownNow();
        calls.shutdownNow();
        timer.shutdownNow();
    }

    private final InferenceProvider claude = new InferenceProvider() {
        @Override
        public String id() {
            return "claude";
        }

        @Override
        public ChatResponse chat(ChatRequest request) {
            prompts.add(request);
            return new ChatResponse("summary of " + request.messages().get(0).text(), List.of(),
                    ChatResponse.StopReason.END_TURN, null);
        }
    };

    private FlowRun run(String json, Map<String, Object> data) throws Exception {
        return start(json, "run-1", data).get(10, TimeUnit.SECONDS);
    }

    private CompletableFuture<FlowRun> start(String json, String runId, Map<String, Object> data) {
        FlowValidator.Result result = FlowValidator.validate(json);
        assertThat(result.problems()).isEmpty();
        FlowServices services = new FlowServices() {
            @Override
            public ActionInvoker actionInvoker() {
                return withInvoker ? invoker : null;
            }

            @Override
            public Connector connector(String instanceId) {
                return connectors.get(instanceId);
            }

            @Override
            public InferenceProvider provider(String instanceId) {
                return instanceId.equals("claude") ? claude : null;
            }
        };
        RunEnvironment env = new RunEnvironment(services, runs, calls, timer, stepTimeout, Clock.systemUTC());
        return new FlowRunner("orders", runId, result.definition(), env, recorded::add)
                .start(Map.of("trigger", "webhook", "data", data));
    }

    private static List<String> nodes(FlowRun run) {
        return run.steps().stream().map(FlowStep::nodeId).toList();
    }

    @Test
    void theExampleRunsEveryNodeInOrderAndRecordsEachStep() throws Exception {
        invoker.answer = call -> success(Map.of("body", "created " + call.payload().get("url"), "status", 201));

        FlowRun run = run(FlowValidatorTest.EXAMPLE, Map.of("amount", 150, "id", "A-7", "chat", "room-1"));

        assertThat(run.status()).isEqualTo(FlowRun.Status.SUCCEEDED);
        assertThat(run.error()).isEmpty();
        assertThat(run.endedAt()).isNotNull();
        assertThat(nodes(run)).containsExactly("start", "big", "call", "ask", "notify");
        assertThat(run.steps()).extracting(FlowStep::kind)
                .containsExactly("trigger", "condition", "plugin_action", "inference", "send_message");
        assertThat(run.steps()).allMatch(FlowStep::ok);
        assertThat(run.steps().get(0).output()).isEqualTo(Map.of("trigger", "webhook",
                "data", Map.of("amount", 150, "id", "A-7", "chat", "room-1")));
        assertThat(run.steps().get(1).output()).isEqualTo(Map.of("result", true));
        assertThat(run.steps().get(2).output()).isEqualTo(Map.of("output",
                Map.of("body", "created https://example.org/A-7", "status", 201), "text", ""));
        assertThat(run.steps().get(3).output()).isEqualTo(Map.of("text",
                "summary of Summarise created https://example.org/A-7"));
        assertThat(run.steps().get(4).output()).isEqualTo(Map.of("sent", true));

        assertThat(invoker.calls).singleElement().isEqualTo(new ActionCall("http1", "http_request",
                Map.of("url", "https://example.org/A-7", "method", "POST"), "flow:orders/run-1"));
        assertThat(prompts).singleElement().satisfies(request -> {
            assertThat(request.systemPrompt()).isEqualTo("Be brief.");
            assertThat(request.model()).isNull(); // "" is the provider's default
        });
        assertThat(chat.sent).containsExactly(OutgoingMessage.text("room-1",
                "Done: summary of Summarise created https://example.org/A-7"));
        // the record follows the run: running after the start and each step, then the end
        assertThat(recorded).extracting(FlowRun::status).containsExactly(FlowRun.Status.RUNNING,
                FlowRun.Status.RUNNING, FlowRun.Status.RUNNING, FlowRun.Status.RUNNING, FlowRun.Status.RUNNING,
                FlowRun.Status.RUNNING, FlowRun.Status.SUCCEEDED);
        assertThat(recorded).extracting(r -> r.steps().size()).containsExactly(0, 1, 2, 3, 4, 5, 5);
    }

    @Test
    void theFalseBranchOfAConditionRunsNothingFurther() throws Exception {
        FlowRun run = run(FlowValidatorTest.EXAMPLE, Map.of("amount", 50, "id", "A-8", "chat", "room-1"));

        assertThat(run.status()).isEqualTo(FlowRun.Status.SUCCEEDED);
        assertThat(nodes(run)).containsExactly("start", "big");
        assertThat(run.steps().get(1).output()).isEqualTo(Map.of("result", false));
        assertThat(invoker.calls).isEmpty();
        assertThat(chat.sent).isEmpty();
    }

    @Test
    void eachBranchOfAConditionTakesItsOwnEdges() throws Exception {
        String json = """
                {"nodes":[{"id":"start","kind":"trigger"},
                  {"id":"vip","kind":"condition","config":{"left":"{{start.data.tags}}","op":"contains","right":"vip"}},
                  {"id":"yes","kind":"send_message","config":{"connector":"webchat","conversationId":1,"text":"vip"}},
                  {"id":"no","kind":"send_message","config":{"connector":"webchat","conversationId":1,"text":"plain"}}],
                 "edges":[{"from":"start","to":"vip"},{"from":"vip","to":"yes","when":true},
                  {"from":"vip","to":"no","when":false}]}
                """;

        assertThat(nodes(run(json, Map.of("tags", List.of("new"))))).containsExactly("start", "vip", "no");
        assertThat(chat.sent).extracting(OutgoingMessage::text).containsExactly("plain");
    }

    @Test
    void aFailedActionEndsTheRunAtItsStepWithTheReason() throws Exception {
        invoker.answer = call -> new ActionOutcome(ActionOutcome.Status.FAILED, Map.of(), "HTTP 500 from example.org",
                List.of(), 3, Duration.ofSeconds(2));

        FlowRun run = run(FlowValidatorTest.EXAMPLE, Map.of("amount", 150, "id", "A-9", "chat", "room-1"));

        assertThat(run.status()).isEqualTo(FlowRun.Status.FAILED);
        assertThat(nodes(run)).containsExactly("start", "big", "call");
        FlowStep call = run.steps().get(2);
        assertThat(call.ok()).isFalse();
        assertThat(call.error()).isEqualTo("node 'call': action 'http_request' of instance 'http1' failed after 3"
                + " attempts: HTTP 500 from example.org");
        assertThat(run.error()).isEqualTo(call.error());
        assertThat(chat.sent).isEmpty();
    }

    @Test
    void anInvalidPayloadIsReportedWithTheInvokersProblems() throws Exception {
        invoker.answer = call -> new ActionOutcome(ActionOutcome.Status.INVALID, Map.of(), "", List.of(
                "$.url: does not match the uri format"), 0, Duration.ZERO);

        FlowRun run = run(FlowValidatorTest.EXAMPLE, Map.of("amount", 150, "id", "A-9", "chat", "room-1"));

        assertThat(run.error()).isEqualTo("node 'call': action 'http_request' of instance 'http1' refused the"
                + " payload: $.url: does not match the uri format");
    }

    @Test
    void aPathMissingAtRunTimeFailsTheStepThatReadsIt() throws Exception {
        invoker.answer = call -> success(Map.of("status", 201)); // no "body"

        FlowRun run = run(FlowValidatorTest.EXAMPLE, Map.of("amount", 150, "id", "A-9", "chat", "room-1"));

        assertThat(run.status()).isEqualTo(FlowRun.Status.FAILED);
        assertThat(nodes(run)).containsExactly("start", "big", "call", "ask");
        assertThat(run.error()).isEqualTo("node 'ask': field 'prompt': nothing at 'call.output.body': 'call.output'"
                + " has no 'body'");
        assertThat(prompts).isEmpty();
    }

    @Test
    void aMessageTheConnectorRefusesIsNotSentAndSaysWhy() throws Exception {
        chat.problems = List.of("text is longer than 10 characters");

        FlowRun run = run(notify("a rather long message"), Map.of());

        assertThat(run.status()).isEqualTo(FlowRun.Status.FAILED);
        assertThat(run.error()).isEqualTo("node 'notify': connector 'webchat' refused the message: text is longer"
                + " than 10 characters");
        assertThat(chat.sent).isEmpty();
    }

    @Test
    void aConnectorThatIsNotRunningIsAStepError() throws Exception {
        connectors.clear();

        assertThat(run(notify("hi"), Map.of()).error()).isEqualTo("node 'notify': there is no running connector"
                + " 'webchat'");
    }

    @Test
    void aHangingStepIsAbandonedAfterTheStepTimeoutWhileAnotherRunGoesOn() throws Exception {
        stepTimeout = Duration.ofSeconds(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        Chat stuck = new Chat("stuck") {
            @Override
            public void send(OutgoingMessage message) {
                try {
                    new CountDownLatch(1).await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    interrupted.countDown();
                }
            }
        };
        connectors.put("stuck", stuck);

        CompletableFuture<FlowRun> hanging = start(notify("hi").replace("\"webchat\"", "\"stuck\""), "run-1", Map.of());
        FlowRun other = start(notify("meanwhile"), "run-2", Map.of()).get(10, TimeUnit.SECONDS);

        assertThat(other.status()).isEqualTo(FlowRun.Status.SUCCEEDED);
        assertThat(hanging).isNotDone(); // the other run finished while this one hung
        FlowRun hung = hanging.get(10, TimeUnit.SECONDS);
        assertThat(hung.status()).isEqualTo(FlowRun.Status.FAILED);
        assertThat(hung.error()).isEqualTo("node 'notify': did not finish within 1 s; the step was abandoned");
        assertThat(interrupted.await(10, TimeUnit.SECONDS)).as("the abandoned call is interrupted").isTrue();
        assertThat(chat.sent).extracting(OutgoingMessage::text).containsExactly("meanwhile");
    }

    @Test
    void aStepThatThrowsFailsItsRunOnly() throws Exception {
        connectors.put("broken", new Chat("broken") {
            @Override
            public void send(OutgoingMessage message) {
                throw new IllegalStateException("socket closed");
            }
        });

        FlowRun broken = run(notify("x").replace("\"webchat\"", "\"broken\""), Map.of());

        assertThat(broken.error()).isEqualTo("node 'notify': connector 'broken' failed: IllegalStateException:"
                + " socket closed");
        assertThat(run(notify("fine"), Map.of()).status()).isEqualTo(FlowRun.Status.SUCCEEDED);
    }

    @Test
    void aPluginIdNamesTheOnlyRunningInstanceThatOffersTheAction() throws Exception {
        String json = """
                {"nodes":[{"id":"start","kind":"trigger"},
                  {"id":"call","kind":"plugin_action","config":{"pluginId":"http","actionName":"get","payload":{}}}],
                 "edges":[{"from":"start","to":"call"}]}
                """;
        invoker.answer = call -> success(Map.of());
        invoker.offered.add(new ActionInfo("http", "http1", "get", "", Map.of()));
        invoker.offered.add(new ActionInfo("http", "http1", "post", "", Map.of()));
        invoker.offered.add(new ActionInfo("other", "other1", "get", "", Map.of()));

        assertThat(run(json, Map.of()).status()).isEqualTo(FlowRun.Status.SUCCEEDED);
        assertThat(invoker.calls).extracting(ActionCall::instanceId).containsExactly("http1");

        invoker.offered.add(new ActionInfo("http", "http2", "get", "", Map.of()));
        assertThat(run(json, Map.of()).error()).isEqualTo("node 'call': plugin 'http' has 2 running instances"
                + " offering action 'get' (http1, http2); name one in field 'instance'");
        invoker.offered.clear();
        assertThat(run(json, Map.of()).error()).isEqualTo("node 'call': no running instance of plugin 'http'"
                + " offers action 'get'");
    }

    @Test
    void withoutAnActionInvokerActionStepsFail() throws Exception {
        withInvoker = false;

        assertThat(run(FlowValidatorTest.EXAMPLE, Map.of("amount", 150, "id", "A", "chat", "c")).error())
                .isEqualTo("node 'call': no action invoker is running, so actions cannot be called");
    }

    @Test
    void recordedOutputsAreRedactedWhileLaterNodesSeeTheRealValues() throws Exception {
        String json = """
                {"nodes":[{"id":"start","kind":"trigger"},
                  {"id":"call","kind":"plugin_action","config":{"instance":"auth","actionName":"login"}},
                  {"id":"notify","kind":"send_message","config":{"connector":"webchat","conversationId":"c",
                    "text":"{{call.output.session_token}}"}}],
                 "edges":[{"from":"start","to":"call"},{"from":"call","to":"notify"}]}
                """;
        invoker.answer = call -> success(Map.of("session_token", "tok-123456", "log", "x".repeat(5_000)));

        FlowRun run = run(json, Map.of());

        assertThat(chat.sent).extracting(OutgoingMessage::text).containsExactly("tok-123456");
        @SuppressWarnings("unchecked")
        Map<String, Object> output = (Map<String, Object>) run.steps().get(1).output().get("output");
        assertThat(output.get("session_token")).isEqualTo("********");
        assertThat((String) output.get("log")).hasSize(Redaction.MAX_TEXT + "… (cut, 5000 characters)".length())
                .endsWith("… (cut, 5000 characters)");
        assertThat(run.toString()).doesNotContain("tok-123456");
    }

    private static String notify(String text) {
        return "{\"nodes\":[{\"id\":\"start\",\"kind\":\"trigger\"},{\"id\":\"notify\",\"kind\":\"send_message\","
                + "\"config\":{\"connector\":\"webchat\",\"conversationId\":\"c\",\"text\":\"" + text + "\"}}],"
                + "\"edges\":[{\"from\":\"start\",\"to\":\"notify\"}]}";
    }

    private static ActionOutcome success(Map<String, Object> output) {
        return new ActionOutcome(ActionOutcome.Status.SUCCEEDED, output, "", List.of(), 1, Duration.ZERO);
    }

    private static final class Invoker implements ActionInvoker {
        final List<ActionCall> calls = new CopyOnWriteArrayList<>();
        final List<ActionInfo> offered = new ArrayList<>();
        Function<ActionCall, ActionOutcome> answer = call -> success(Map.of());

        @Override
        public CompletionStage<ActionOutcome> invoke(ActionCall call) {
            calls.add(call);
            return CompletableFuture.supplyAsync(() -> answer.apply(call));
        }

        @Override
        public List<ActionInfo> actions() {
            return List.copyOf(offered);
        }
    }

    private static class Chat implements Connector {
        final String id;
        final List<OutgoingMessage> sent = new CopyOnWriteArrayList<>();
        List<String> problems = List.of();

        Chat(String id) {
            this.id = id;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public PayloadValidation validate(OutgoingMessage message) {
            return new PayloadValidation(problems);
        }

        @Override
        public void send(OutgoingMessage message) throws PluginException {
            sent.add(message);
        }
    }
}
