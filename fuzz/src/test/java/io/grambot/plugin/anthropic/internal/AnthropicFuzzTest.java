package io.grambot.plugin.anthropic.internal;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.grambot.api.Secret;
import io.grambot.api.inference.ChatMessage;
import io.grambot.api.inference.ChatRequest;
import io.grambot.api.inference.StreamListener;
import io.grambot.fuzz.Answers;
import io.grambot.fuzz.FakeServer;
import io.grambot.fuzz.Hostile;
import io.grambot.fuzz.Outcome;
import io.grambot.http.HttpLog;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/** Hostile Messages API answers, whole and streamed: each ends in a response or a PluginException. */
class AnthropicFuzzTest {

    static final String MESSAGE = "{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude\","
            + "\"content\":[{\"type\":\"text\",\"text\":\"Hello\"},{\"type\":\"tool_use\",\"id\":\"tu_1\","
            + "\"name\":\"search\",\"input\":{\"q\":\"x\"}}],\"stop_reason\":\"tool_use\","
            + "\"usage\":{\"input_tokens\":1,\"output_tokens\":2}}";
    static final String[] EVENTS = {
        "{\"type\":\"message_start\",\"message\":{\"id\":\"m\",\"type\":\"message\",\"role\":\"assistant\","
                + "\"content\":[],\"model\":\"c\",\"usage\":{\"input_tokens\":1,\"output_tokens\":0}}}",
        "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}",
        "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hi\"}}",
        "{\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"tool_use\",\"id\":\"t\","
                + "\"name\":\"s\",\"input\":{}}}",
        "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\","
                + "\"partial_json\":\"{\\\"q\\\":1\"}}",
        "{\"type\":\"content_block_stop\",\"index\":0}",
        "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},\"usage\":{\"output_tokens\":2}}",
        "{\"type\":\"message_stop\"}",
        "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"busy\"}}"};
    static final ChatRequest HELLO = new ChatRequest(null, null, List.of(ChatMessage.user("Hello")), List.of(), 0);

    static FakeServer server;
    static AnthropicProvider provider;

    @BeforeContainer
    static void start() throws Exception {
        server = new FakeServer();
        provider = new AnthropicProvider("fuzz", new AnthropicSettings(server.baseUrl(), "claude", "2023-06-01",
                List.of(), 1024, Duration.ofSeconds(5), 1), key -> Optional.of(Secret.of("sk-ant-fuzz-key")),
                HttpLog.NONE, wait -> {});
    }

    @AfterContainer
    static void stop() {
        server.close();
    }

    @Provide
    Arbitrary<FakeServer.Answer> messages() {
        return Answers.of(Hostile.json(MESSAGE), "application/json");
    }

    @Provide
    Arbitrary<FakeServer.Answer> streams() {
        return Answers.of(Hostile.events(EVENTS), "text/event-stream");
    }

    @Property
    void aHostileAnswerEndsInAResponseOrAPluginException(@ForAll("messages") FakeServer.Answer answer) {
        server.answer(answer);
        Outcome.endsClearly(() -> provider.chat(HELLO));
    }

    @Property
    void aHostileStreamEndsInAResponseOrAPluginException(@ForAll("streams") FakeServer.Answer answer) {
        server.answer(answer);
        Outcome.endsClearly(() -> provider.chat(HELLO, new StreamListener() {
            @Override
            public void onText(String text) {}
        }));
    }
}
