package io.grambot.plugin.openai.codex.internal;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.grambot.api.Secret;
import io.grambot.api.inference.ChatMessage;
import io.grambot.api.inference.ChatRequest;
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

/** Hostile Chat Completions and Responses answers, whole and streamed: each ends in a response or a PluginException. */
class OpenAiFuzzTest {

    static final String COMPLETION = "{\"id\":\"c1\",\"object\":\"chat.completion\",\"model\":\"gpt\",\"choices\":[{"
            + "\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Hi\",\"tool_calls\":[{\"id\":\"call_1\","
            + "\"type\":\"function\",\"function\":{\"name\":\"search\",\"arguments\":\"{\\\"q\\\":\\\"x\\\"}\"}}]},"
            + "\"finish_reason\":\"tool_calls\"}],\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1}}";
    static final String[] CHUNKS = {
        "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\","
                + "\"content\":\"Hi\"},\"finish_reason\":null}]}",
        "{\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"call_1\","
                + "\"type\":\"function\",\"function\":{\"name\":\"s\",\"arguments\":\"{\\\"q\"}}]}}]}",
        "{\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":1}}",
        "{\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\"}}"};
    static final String RESPONSE = "{\"id\":\"resp_1\",\"object\":\"response\",\"status\":\"completed\",\"model\":\"gpt\","
            + "\"output\":[{\"type\":\"message\",\"id\":\"m1\",\"role\":\"assistant\",\"content\":[{\"type\":\"output_text\","
            + "\"text\":\"Hi\"}]},{\"type\":\"function_call\",\"id\":\"fc1\",\"call_id\":\"call_1\",\"name\":\"search\","
            + "\"arguments\":\"{}\"}],\"usage\":{\"input_tokens\":1,\"output_tokens\":1}}";
    static final String[] RESPONSE_EVENTS = {
        "{\"type\":\"response.created\",\"response\":{\"id\":\"resp_1\",\"status\":\"in_progress\",\"output\":[]}}",
        "{\"type\":\"response.output_text.delta\",\"item_id\":\"m1\",\"output_index\":0,\"delta\":\"Hi\"}",
        "{\"type\":\"response.output_item.done\",\"output_index\":1,\"item\":{\"type\":\"function_call\",\"id\":\"fc1\","
                + "\"call_id\":\"call_1\",\"name\":\"s\",\"arguments\":\"{}\"}}",
        "{\"type\":\"response.completed\",\"response\":" + RESPONSE + "}",
        "{\"type\":\"response.failed\",\"response\":{\"status\":\"failed\",\"error\":{\"message\":\"no\"}}}",
        "{\"type\":\"error\",\"message\":\"bad\"}"};
    static final ChatRequest HELLO = new ChatRequest(null, null, List.of(ChatMessage.user("Hello")), List.of(), 0);

    static FakeServer server;
    static OpenAiCodexProvider completions;
    static OpenAiCodexProvider responses;

    @BeforeContainer
    static void start() throws Exception {
        server = new FakeServer();
        completions = provider(Api.CHAT_COMPLETIONS);
        responses = provider(Api.RESPONSES);
    }

    private static OpenAiCodexProvider provider(Api api) {
        return new OpenAiCodexProvider("fuzz", new OpenAiSettings(server.baseUrl() + "/v1", api, "gpt", "", "",
                Duration.ofSeconds(5), 1, "auto"), key -> Optional.of(Secret.of("sk-fuzz-key-0123456789")),
                HttpLog.NONE, wait -> {});
    }

    @AfterContainer
    static void stop() {
        server.close();
    }

    @Provide
    Arbitrary<FakeServer.Answer> completionAnswers() {
        return Answers.of(Hostile.json(COMPLETION), "application/json");
    }

    @Provide
    Arbitrary<FakeServer.Answer> completionStreams() {
        return Answers.of(Hostile.events(CHUNKS), "text/event-stream");
    }

    @Provide
    Arbitrary<FakeServer.Answer> responseAnswers() {
        return Answers.of(Hostile.json(RESPONSE), "application/json");
    }

    @Provide
    Arbitrary<FakeServer.Answer> responseStreams() {
        return Answers.of(Hostile.events(RESPONSE_EVENTS), "text/event-stream");
    }

    @Property
    void aHostileCompletionEndsClearly(@ForAll("completionAnswers") FakeServer.Answer answer) {
        server.answer(answer);
        Outcome.endsClearly(() -> completions.chat(HELLO));
    }

    @Property
    void aHostileCompletionStreamEndsClearly(@ForAll("completionStreams") FakeServer.Answer answer) {
        server.answer(answer);
        Outcome.endsClearly(() -> completions.chat(HELLO, delta -> {}));
    }

    @Property
    void aHostileResponseEndsClearly(@ForAll("responseAnswers") FakeServer.Answer answer) {
        server.answer(answer);
        Outcome.endsClearly(() -> responses.chat(HELLO));
    }

    @Property
    void aHostileResponseStreamEndsClearly(@ForAll("responseStreams") FakeServer.Answer answer) {
        server.answer(answer);
        Outcome.endsClearly(() -> responses.chat(HELLO, delta -> {}));
    }

    @Property
    void aHostileModelListEndsClearly(@ForAll("completionAnswers") FakeServer.Answer answer) {
        server.answer(answer);
        Outcome.endsClearly(() -> completions.models());
    }
}
