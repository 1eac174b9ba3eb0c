package io.grambot.plugin.openai.codex.internal;

import static io.grambot.plugin.openai.codex.internal.FakeOpenAi.answer;
import static io.grambot.plugin.openai.codex.internal.FakeOpenAi.drop;
import static io.grambot.plugin.openai.codex.internal.FakeOpenAi.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.grambot.api.ConnectionTestResult;
import io.grambot.api.Media;
import io.grambot.api.PluginConstants;
import io.grambot.api.PluginException;
import io.grambot.api.Secret;
import io.grambot.api.inference.ChatMessage;
import io.grambot.api.inference.ChatRequest;
import io.grambot.api.inference.ChatResponse;
import io.grambot.api.inference.ChatResponse.StopReason;
import io.grambot.api.inference.ChatResponse.Usage;
import io.grambot.api.inference.ContentPart;
import io.grambot.api.inference.Role;
import io.grambot.api.inference.ToolCall;
import io.grambot.api.inference.ToolDefinition;
import io.grambot.http.HttpException;
import io.grambot.http.HttpLog;

class OpenAiCodexProviderTest {

    private static final String KEY = "sk-proj-TESTKEY0123456789abcdefghijklmnop";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** OpenAI's documented example of a plain answer. */
    private static final String PLAIN_ANSWER = """
            {"id":"chatcmpl-123","object":"chat.completion","created":1677652288,"model":"gpt-4.1-mini",
             "system_fingerprint":"fp_44709d6fcb",
             "choices":[{"index":0,"message":{"role":"assistant","content":"Hello there, how may I assist you today?",
               "refusal":null,"annotations":[]},"logprobs":null,"finish_reason":"stop"}],
             "usage":{"prompt_tokens":9,"completion_tokens":12,"total_tokens":21,
               "completion_tokens_details":{"reasoning_tokens":0}},"service_tier":"default"}""";

    /** OpenAI's documented example of an answer that calls a function. */
    private static final String TOOL_CALL_ANSWER = """
            {"id":"chatcmpl-abc123","object":"chat.completion","created":1699896916,"model":"gpt-4.1-mini",
             "choices":[{"index":0,"message":{"role":"assistant","content":null,"tool_calls":[{"id":"call_abc123",
               "type":"function","function":{"name":"get_current_weather",
               "arguments":"{\\n\\"location\\": \\"Boston, MA\\",\\n\\"unit\\": \\"celsius\\"\\n}"}}]},
               "logprobs":null,"finish_reason":"tool_calls"}],
             "usage":{"prompt_tokens":82,"completion_tokens":17,"total_tokens":99}}""";

    private static final ToolDefinition WEATHER = new ToolDefinition("get_current_weather",
            "Get the current weather in a given location",
            Map.of("type", "object", "properties", Map.of("location", Map.of("type", "string")),
                    "required", List.of("location")));

    private final FakeOpenAi server;
    private final List<Duration> sleeps = new CopyOnWriteArrayList<>();
    private final List<String> logLines = new CopyOnWriteArrayList<>();

    OpenAiCodexProviderTest() throws IOException {
        server = new FakeOpenAi();
    }

    @AfterEach
    void stop() {
        server.close();
        assertThat(logLines).noneMatch(line -> line.contains(KEY));
    }

    private OpenAiSettings settings(String maxTokensParameter, String organization) {
        return new OpenAiSettings(server.baseUrl() + "/", Api.CHAT_COMPLETIONS, "gpt-4.1-mini", organization, "",
                Duration.ofSeconds(10), 2, maxTokensParameter);
    }

    private OpenAiCodexProvider provider(Optional<Secret> key) {
        return provider(settings("auto", ""), key);
    }

    private OpenAiCodexProvider provider(OpenAiSettings settings, Optional<Secret> key) {
        HttpLog log = new HttpLog() {
            @Override
            public void debug(String message) {
                logLines.add(message);
            }

            @Override
            public void warn(String message) {
                logLines.add(message);
            }
        };
        return new OpenAiCodexProvider("main", settings,
                name -> name.equals(OpenAiConnection.API_KEY) ? key : Optional.empty(), log, sleeps::add);
    }

    private static JsonNode parse(String text) throws IOException {
        return MAPPER.readTree(text);
    }

    @Test
    void thePluginIdMapsToTheFactoryPid() {
        assertThat(PluginConstants.factoryPid(OpenAiCodexProvider.PLUGIN_ID)).isEqualTo(OpenAiCodexProvider.FACTORY_PID);
        assertThat(provider(Optional.empty()).id()).isEqualTo("main");
    }

    @Test
    void plainAnswerWithoutAKeySendsNoAuthorization() throws Exception {
        server.then(json(200, PLAIN_ANSWER));

        ChatResponse response = provider(Optional.empty()).chat(new ChatRequest(null, "Be brief.",
                List.of(ChatMessage.user("Hello!")), List.of(), 0));

        assertThat(response.text()).isEqualTo("Hello there, how may I assist you today?");
        assertThat(response.stopReason()).isEqualTo(StopReason.END_TURN);
        assertThat(response.toolCalls()).isEmpty();
        assertThat(response.usage()).isEqualTo(new Usage(9, 12));
        FakeOpenAi.Received sent = server.last();
        assertThat(sent.method()).isEqualTo("POST");
        assertThat(sent.path()).isEqualTo("/v1/chat/completions");
        assertThat(sent.header("Authorization")).isNull();
        assertThat(sent.header("OpenAI-Organization")).isNull();
        assertThat(sent.header("Content-Type")).isEqualTo("application/json");
        assertThat(sent.json()).isEqualTo(parse("""
                {"model":"gpt-4.1-mini","messages":[{"role":"system","content":"Be brief."},
                 {"role":"user","content":"Hello!"}]}"""));
    }

    @Test
    void toolCallRoundSendsToolsAndFeedsTheResultBack() throws Exception {
        server.then(json(200, TOOL_CALL_ANSWER)).then(json(200, PLAIN_ANSWER));
        OpenAiCodexProvider provider = provider(settings("auto", "org-42"), Optional.of(Secret.of(KEY)));
        List<ChatMessage> history = new ArrayList<>(List.of(ChatMessage.user("What's the weather like in Boston?")));

        ChatResponse first = provider.chat(new ChatRequest("gpt-4o", null, history, List.of(WEATHER), 256));

        assertThat(first.stopReason()).isEqualTo(StopReason.TOOL_USE);
        assertThat(first.text()).isEmpty();
        assertThat(first.toolCalls()).containsExactly(new ToolCall("call_abc123", "get_current_weather",
                Map.of("location", "Boston, MA", "unit", "celsius")));
        FakeOpenAi.Received sent = server.last();
        assertThat(sent.header("Authorization")).isEqualTo("Bearer " + KEY);
        assertThat(sent.header("OpenAI-Organization")).isEqualTo("org-42");
        assertThat(sent.json()).isEqualTo(parse("""
                {"model":"gpt-4o",
                 "messages":[{"role":"user","content":"What's the weather like in Boston?"}],
                 "tools":[{"type":"function","function":{"name":"get_current_weather",
                   "description":"Get the current weather in a given location",
                   "parameters":{"type":"object","properties":{"location":{"type":"string"}},
                     "required":["location"]}}}],
                 "max_tokens":256}"""));

        history.add(ChatMessage.assistant(first.text(), first.toolCalls()));
        history.add(ChatMessage.toolResult("call_abc123", "22 degrees and sunny"));
        ChatResponse second = provider.chat(new ChatRequest(null, null, history, List.of(WEATHER), 0));

        assertThat(second.text()).isEqualTo("Hello there, how may I assist you today?");
        JsonNode messages = server.last().json().get("messages");
        JsonNode assistant = messages.get(1);
        // the arguments go back as a JSON string; its spacing is the mapper's, so it is compared parsed
        assertThat(parse(assistant.at("/tool_calls/0/function/arguments").asText()))
                .isEqualTo(parse("{\"location\":\"Boston, MA\",\"unit\":\"celsius\"}"));
        ((com.fasterxml.jackson.databind.node.ObjectNode) assistant.at("/tool_calls/0/function")).remove("arguments");
        assertThat(assistant).isEqualTo(parse("""
                {"role":"assistant","content":null,"tool_calls":[{"id":"call_abc123","type":"function",
                  "function":{"name":"get_current_weather"}}]}"""));
        assertThat(messages.get(2)).isEqualTo(parse("""
                {"role":"tool","tool_call_id":"call_abc123","content":"22 degrees and sunny"}"""));
        assertThat(server.last().json().get("model").asText()).isEqualTo("gpt-4.1-mini");
    }

    @Test
    void imagesGoAsDataUrlParts() throws Exception {
        server.then(json(200, PLAIN_ANSWER));
        Media png = new Media("image/png", new byte[] {(byte) 0x89, 'P', 'N', 'G'});
        ChatMessage message = new ChatMessage(Role.USER, List.of(new ContentPart.Text("What is this?"),
                new ContentPart.Image(png)), List.of(), null);

        provider(Optional.empty()).chat(new ChatRequest(null, null, List.of(message), List.of(), 0));

        assertThat(server.last().json().get("messages").get(0)).isEqualTo(parse("""
                {"role":"user","content":[{"type":"text","text":"What is this?"},
                  {"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw=="}}]}"""));
    }

    @Test
    void theTokenLimitFieldFollowsTheSetting() throws Exception {
        server.then(json(200, PLAIN_ANSWER));

        provider(settings("max_completion_tokens", ""), Optional.empty())
                .chat(new ChatRequest(null, null, List.of(ChatMessage.user("hi")), List.of(), 100));

        assertThat(server.last().json().get("max_completion_tokens").asInt()).isEqualTo(100);
        assertThat(server.last().json().has("max_tokens")).isFalse();
        assertThat(new OpenAiSettings("https://api.openai.com/v1", Api.CHAT_COMPLETIONS, "m", "", "",
                Duration.ofSeconds(1), 0, "auto").maxTokensParameter()).isEqualTo("max_completion_tokens");
    }

    /** Chunks as OpenAI streams them: text deltas, two tool calls in pieces by index, usage last, then [DONE]. */
    private static final String STREAM = String.join("",
            "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4.1-mini\","
                    + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null},"
                    + "\"finish_reason\":null}],\"usage\":null}\n\n",
            ": keep-alive\n\n",
            "data: {\"id\":\"chatcmpl-1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Grüß\"},"
                    + "\"finish_reason\":null}],\"usage\":null}\r\n\r\n",
            "data: {\"id\":\"chatcmpl-1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\" dich! 👋\"},"
                    + "\"finish_reason\":null}],\"usage\":null}\n\n",
            "data: {\"id\":\"chatcmpl-1\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,"
                    + "\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"get_current_weather\","
                    + "\"arguments\":\"\"}}]},\"finish_reason\":null}]}\n\n",
            "data: {\"id\":\"chatcmpl-1\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,"
                    + "\"function\":{\"arguments\":\"{\\\"locat\"}}]},\"finish_reason\":null}]}\n\n",
            "data: {\"id\":\"chatcmpl-1\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":1,"
                    + "\"id\":\"call_2\",\"type\":\"function\",\"function\":{\"name\":\"get_time\","
                    + "\"arguments\":\"{}\"}}]},\"finish_reason\":null}]}\n\n",
            "data: {\"id\":\"chatcmpl-1\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,"
                    + "\"function\":{\"arguments\":\"ion\\\": \\\"Paris\\\"}\"}}]},\"finish_reason\":null}]}\n\n",
            "data: {\"id\":\"chatcmpl-1\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}],"
                    + "\"usage\":null}\n\n",
            "data: {\"id\":\"chatcmpl-1\",\"choices\":[],\"usage\":{\"prompt_tokens\":31,\"completion_tokens\":24,"
                    + "\"total_tokens\":55}}\n\n",
            "data: [DONE]\n\n");

    @Test
    void streamsTextAndJoinsToolCallPiecesSplitAtAwkwardPlaces() throws Exception {
        byte[] bytes = STREAM.getBytes(StandardCharsets.UTF_8);
        int inUmlaut = indexOf(bytes, "Grü".getBytes(StandardCharsets.UTF_8)) + 3; // between the bytes of 'ü'
        int inEmoji = indexOf(bytes, "\uD83D\uDC4B".getBytes(StandardCharsets.UTF_8)) + 2;
        int inCrLf = indexOf(bytes, "\r\n\r\n".getBytes(StandardCharsets.UTF_8)) + 1; // between CR and LF
        int inField = indexOf(bytes, "data: [DONE]".getBytes(StandardCharsets.UTF_8)) + 3; // "dat|a:"
        int[] cuts = {0, 17, inUmlaut, inCrLf, inEmoji, inField, bytes.length};
        Arrays.sort(cuts);
        List<byte[]> pieces = new ArrayList<>();
        for (int i = 1; i < cuts.length; i++) {
            pieces.add(Arrays.copyOfRange(bytes, cuts[i - 1], cuts[i]));
        }
        server.then(FakeOpenAi.stream(pieces));
        List<String> deltas = new ArrayList<>();

        ChatResponse response = provider(Optional.empty()).chat(new ChatRequest(null, null,
                List.of(ChatMessage.user("Hi")), List.of(WEATHER), 0), deltas::add);

        assertThat(String.join("", deltas)).isEqualTo("Grüß dich! 👋");
        assertThat(deltas).doesNotContain("");
        assertThat(response.text()).isEqualTo("Grüß dich! 👋");
        assertThat(response.toolCalls()).containsExactly(
                new ToolCall("call_1", "get_current_weather", Map.of("location", "Paris")),
                new ToolCall("call_2", "get_time", Map.of()));
        assertThat(response.stopReason()).isEqualTo(StopReason.TOOL_USE);
        assertThat(response.usage()).isEqualTo(new Usage(31, 24));
        JsonNode sent = server.last().json();
        assertThat(sent.get("stream").asBoolean()).isTrue();
        assertThat(sent.get("stream_options")).isEqualTo(parse("{\"include_usage\":true}"));
        assertThat(server.last().header("Accept")).isEqualTo("text/event-stream");
    }

    @Test
    void aStreamThatEndsWithoutFinishOrDoneIsAnError() {
        server.then(FakeOpenAi.stream(List.of(("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hal\"},"
                + "\"finish_reason\":null}]}\n\n").getBytes(StandardCharsets.UTF_8))));

        HttpException e = catchThrowableOfType(HttpException.class, () -> provider(Optional.empty())
                .chat(new ChatRequest(null, null, List.of(ChatMessage.user("Hi")), List.of(), 0), delta -> {}));

        assertThat(e).hasMessage("the event stream of POST " + server.baseUrl() + "/chat/completions ended before "
                + "the answer was complete (no finish_reason and no [DONE])");
        assertThat(e.retryable()).isTrue();
    }

    @Test
    void aStreamThatDropsAfterTextFailsWithoutRepeating() {
        server.then(FakeOpenAi.streamThenDrop("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hal\"}}]}\n\n"));
        List<String> deltas = new ArrayList<>();

        HttpException e = catchThrowableOfType(HttpException.class, () -> provider(Optional.empty())
                .chat(new ChatRequest(null, null, List.of(ChatMessage.user("Hi")), List.of(), 0), deltas::add));

        assertThat(deltas).containsExactly("Hal");
        assertThat(e.getMessage()).startsWith("the event stream of POST " + server.baseUrl() + "/chat/completions "
                + "ended early after 1 events: the connection broke");
        assertThat(e.retryable()).isTrue();
        assertThat(server.received()).hasSize(1);
    }

    @Test
    void anErrorInsideTheStreamSurfaces() {
        server.then(FakeOpenAi.stream(List.of(("data: {\"error\":{\"message\":\"The server had an error while "
                + "processing your request.\",\"type\":\"server_error\"}}\n\n").getBytes(StandardCharsets.UTF_8))));

        HttpException e = catchThrowableOfType(HttpException.class, () -> provider(Optional.empty())
                .chat(new ChatRequest(null, null, List.of(ChatMessage.user("Hi")), List.of(), 0), delta -> {}));

        assertThat(e).hasMessage("POST " + server.baseUrl() + "/chat/completions answered with an error: The server "
                + "had an error while processing your request.");
        assertThat(e.retryable()).isTrue();
    }

    @Test
    void unauthorizedSurfacesTheProvidersMessageWithoutTheKey() {
        server.then(json(401, "{\"error\":{\"message\":\"Incorrect API key provided: " + KEY + ". You can find your "
                + "API key at https://platform.openai.com/account/api-keys.\",\"type\":\"invalid_request_error\","
                + "\"param\":null,\"code\":\"invalid_api_key\"}}"));

        HttpException e = catchThrowableOfType(HttpException.class, () -> provider(Optional.of(Secret.of(KEY)))
                .chat(new ChatRequest(null, null, List.of(ChatMessage.user("Hi")), List.of(), 0)));

        assertThat(e).hasMessage("POST " + server.baseUrl() + "/chat/completions answered 401 Unauthorized: "
                + "Incorrect API key provided: ******. You can find your API key at "
                + "https://platform.openai.com/account/api-keys.");
        assertThat(e.status()).isEqualTo(401);
        assertThat(e.retryable()).isFalse();
        assertThat(e.providerCode()).contains("invalid_api_key");
        assertThat(server.received()).hasSize(1);
        assertThat(sleeps).isEmpty();
    }

    @Test
    void rateLimitedWaitsAsToldThenSucceeds() throws Exception {
        server.then(answer(429, Map.of("Content-Type", "application/json", "Retry-After", "2"),
                "{\"error\":{\"message\":\"Rate limit reached for gpt-4.1-mini\",\"type\":\"requests\","
                        + "\"code\":\"rate_limit_exceeded\"}}"))
                .then(json(200, PLAIN_ANSWER));

        ChatResponse response = provider(Optional.of(Secret.of(KEY)))
                .chat(new ChatRequest(null, null, List.of(ChatMessage.user("Hi")), List.of(), 0));

        assertThat(response.text()).startsWith("Hello there");
        assertThat(sleeps).containsExactly(Duration.ofSeconds(2));
        assertThat(server.received()).hasSize(2);
        assertThat(server.received().get(1).json()).isEqualTo(server.received().get(0).json());
    }

    @Test
    void serverErrorIsRetriedThenSucceeds() throws Exception {
        server.then(json(500, "{\"error\":{\"message\":\"The server had an error\",\"type\":\"server_error\"}}"))
                .then(json(200, PLAIN_ANSWER));

        ChatResponse response = provider(Optional.empty())
                .chat(new ChatRequest(null, null, List.of(ChatMessage.user("Hi")), List.of(), 0));

        assertThat(response.text()).startsWith("Hello there");
        assertThat(server.received()).hasSize(2);
        assertThat(sleeps).hasSize(1);
        assertThat(sleeps.get(0)).isLessThanOrEqualTo(Duration.ofMillis(500));
    }

    @Test
    void aDroppedConnectionIsRetriedAndThenReported() throws Exception {
        server.then(drop()).then(json(200, PLAIN_ANSWER));

        ChatResponse response = provider(Optional.empty())
                .chat(new ChatRequest(null, null, List.of(ChatMessage.user("Hi")), List.of(), 0));

        assertThat(response.text()).startsWith("Hello there");
        assertThat(server.received()).hasSize(2);

        server.then(drop()).then(drop()).then(drop());
        HttpException e = catchThrowableOfType(HttpException.class, () -> provider(Optional.empty())
                .chat(new ChatRequest(null, null, List.of(ChatMessage.user("Hi")), List.of(), 0)));

        assertThat(e.getMessage()).startsWith("POST " + server.baseUrl() + "/chat/completions failed: the connection "
                + "broke before a complete answer").endsWith("(gave up after 3 attempts)");
        assertThat(e.retryable()).isTrue();
    }

    @Test
    void malformedJsonIsExplained() {
        server.then(json(200, "{\"id\":\"chatcmpl-1\",\"choices\":[{\"message\":"));

        PluginException e = catchThrowableOfType(PluginException.class, () -> provider(Optional.empty())
                .chat(new ChatRequest(null, null, List.of(ChatMessage.user("Hi")), List.of(), 0)));

        assertThat(e).hasMessage("expected a JSON answer from POST " + server.baseUrl() + "/chat/completions, found "
                + "application/json (41 bytes): {\"id\":\"chatcmpl-1\",\"choices\":[{\"message\":"
                + " (Unexpected end-of-input within/between Object entries)");
        assertThat(e.retryable()).isFalse();
    }

    @Test
    void anAnswerWithoutChoicesIsExplained() {
        server.then(json(200, "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"choices\":[]}"))
                .then(json(200, "{\"choices\":[{\"index\":0,\"text\":\"legacy completion\"}]}"));
        OpenAiCodexProvider provider = provider(Optional.empty());
        ChatRequest request = new ChatRequest(null, null, List.of(ChatMessage.user("Hi")), List.of(), 0);

        assertThatThrownBy(() -> provider.chat(request)).isInstanceOf(PluginException.class)
                .hasMessage("expected 'choices' with at least one choice in the answer of POST " + server.baseUrl()
                        + "/chat/completions, found an object with fields [id, object, choices]");
        assertThatThrownBy(() -> provider.chat(request)).isInstanceOf(PluginException.class)
                .hasMessage("expected 'choices[0].message' to be an object in the answer of POST " + server.baseUrl()
                        + "/chat/completions, found an object with fields [index, text]");
    }

    @Test
    void anErrorWithStatus200IsNotAnAnswer() {
        server.then(json(200, "{\"error\":{\"message\":\"model 'llama9' not found\",\"type\":\"not_found\"}}"));

        assertThatThrownBy(() -> provider(Optional.empty())
                .chat(new ChatRequest(null, null, List.of(ChatMessage.user("Hi")), List.of(), 0)))
                .isInstanceOf(HttpException.class).hasMessage("POST " + server.baseUrl()
                        + "/chat/completions answered with an error: model 'llama9' not found");
    }

    @Test
    void toolArgumentsThatAreNotJsonAreExplained() {
        server.then(json(200, "{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":null,"
                + "\"tool_calls\":[{\"id\":\"c1\",\"type\":\"function\",\"function\":{\"name\":\"echo\","
                + "\"arguments\":\"{text: hi\"}}]},\"finish_reason\":\"tool_calls\"}]}"));

        assertThatThrownBy(() -> provider(Optional.empty())
                .chat(new ChatRequest(null, null, List.of(ChatMessage.user("Hi")), List.of(), 0)))
                .hasMessage("the model called tool 'echo' with arguments that are not a JSON object: {text: hi");
    }

    @Test
    void compatibleServersQuirksAreAccepted() throws Exception {
        // no tool call id, arguments as an object, "stop" although it calls a tool (seen from local servers)
        server.then(json(200, "{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"\","
                + "\"tool_calls\":[{\"function\":{\"name\":\"echo\",\"arguments\":{\"text\":\"hi\"}}}]},"
                + "\"finish_reason\":\"stop\"}]}"));

        ChatResponse response = provider(Optional.empty())
                .chat(new ChatRequest(null, null, List.of(ChatMessage.user("Hi")), List.of(), 0));

        assertThat(response.toolCalls()).containsExactly(new ToolCall("call_0", "echo", Map.of("text", "hi")));
        assertThat(response.stopReason()).isEqualTo(StopReason.TOOL_USE);
        assertThat(response.usage()).isEqualTo(Usage.NONE);
    }

    @Test
    void finishReasonsMapToStopReasons() {
        assertThat(ChatCompletions.stopReason("stop", false)).isEqualTo(StopReason.END_TURN);
        assertThat(ChatCompletions.stopReason("length", false)).isEqualTo(StopReason.MAX_TOKENS);
        assertThat(ChatCompletions.stopReason("content_filter", false)).isEqualTo(StopReason.CONTENT_FILTER);
        assertThat(ChatCompletions.stopReason("tool_calls", true)).isEqualTo(StopReason.TOOL_USE);
        assertThat(ChatCompletions.stopReason("something_new", false)).isEqualTo(StopReason.OTHER);
    }

    @Test
    void modelsListsTheConfiguredModelFirst() {
        server.then(json(200, """
                {"object":"list","data":[{"id":"gpt-4o","object":"model","created":1686935002,"owned_by":"openai"},
                 {"id":"gpt-4.1-mini","object":"model","created":1686935002,"owned_by":"openai"}]}"""));

        assertThat(provider(Optional.of(Secret.of(KEY))).models()).containsExactly("gpt-4.1-mini", "gpt-4o");
        assertThat(server.last().method()).isEqualTo("GET");
        assertThat(server.last().path()).isEqualTo("/v1/models");
        assertThat(server.last().header("Authorization")).isEqualTo("Bearer " + KEY);
    }

    @Test
    void modelsFallsBackToTheConfiguredModel() {
        server.then(json(404, "{\"error\":\"not found\"}"));

        assertThat(provider(Optional.empty()).models()).containsExactly("gpt-4.1-mini");
        assertThat(logLines).anyMatch(line -> line.startsWith("instance 'main' cannot list the models: GET "
                + server.baseUrl() + "/models answered 404 Not Found: not found"));
    }

    @Test
    void connectionTestListsTheModels() {
        server.then(json(200, "{\"object\":\"list\",\"data\":[{\"id\":\"llama3.2\"},{\"id\":\"qwen3\"}]}"))
                .then(json(200, "{\"object\":\"list\",\"data\":[{\"id\":\"gpt-4.1-mini\"}]}"));

        ConnectionTestResult missing = provider(Optional.empty()).testConnection();
        ConnectionTestResult found = provider(Optional.empty()).testConnection();

        assertThat(missing).isEqualTo(ConnectionTestResult.ok("reached " + server.baseUrl() + ": it lists 2 models; "
                + "the configured model 'gpt-4.1-mini' is not among them"));
        assertThat(found).isEqualTo(ConnectionTestResult.ok("reached " + server.baseUrl() + ": it lists 1 models, "
                + "among them the configured model 'gpt-4.1-mini'"));
    }

    @Test
    void connectionTestReportsABadKeyWithoutIt() {
        server.then(json(401, "{\"error\":{\"message\":\"Incorrect API key provided: " + KEY + "\","
                + "\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}"));

        ConnectionTestResult result = provider(Optional.of(Secret.of(KEY))).testConnection();

        assertThat(result.ok()).isFalse();
        assertThat(result.message()).isEqualTo("GET " + server.baseUrl() + "/models answered 401 Unauthorized: "
                + "Incorrect API key provided: ******");
    }

    @Test
    void connectionTestReportsAnUnexpectedModelList() {
        server.then(json(200, "{\"models\":[\"a\"]}"));

        assertThat(provider(Optional.empty()).testConnection()).isEqualTo(ConnectionTestResult.failed(
                "expected {\"data\":[{\"id\":...}]} from GET " + server.baseUrl() + "/models, found an object with "
                        + "fields [models]"));
    }

    @Test
    void settingsAreChecked() {
        assertThatThrownBy(() -> new OpenAiSettings("ftp://x/v1", Api.CHAT_COMPLETIONS, "m", "", "",
                Duration.ofSeconds(1), 0, "auto")).hasMessage("setting 'baseUrl' must be an http or https URL without query, such as "
                        + "'https://api.openai.com/v1' or 'http://127.0.0.1:11434/v1', was 'ftp://x/v1'");
        assertThatThrownBy(() -> new OpenAiSettings("http://h/v1", Api.CHAT_COMPLETIONS, " ", "", "",
                Duration.ofSeconds(1), 0, "auto")).hasMessageStartingWith("setting 'model' must name a model");
        assertThatThrownBy(() -> Api.of("realtime"))
                .hasMessage("setting 'api' must be one of 'chat-completions', 'responses', was 'realtime'");
        assertThat(Api.of("responses")).isEqualTo(Api.RESPONSES);
        assertThat(new OpenAiSettings("http://127.0.0.1:11434/v1//", Api.CHAT_COMPLETIONS, "llama3.2", null, null,
                Duration.ofSeconds(1), 0, null).endpoint("chat/completions"))
                .hasToString("http://127.0.0.1:11434/v1/chat/completions");
    }

    private static int indexOf(byte[] bytes, byte[] part) {
        outer:
        for (int i = 0; i + part.length <= bytes.length; i++) {
            for (int j = 0; j < part.length; j++) {
                if (bytes[i + j] != part[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }
}
