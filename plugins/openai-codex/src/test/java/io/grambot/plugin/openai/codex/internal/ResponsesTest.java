package io.grambot.plugin.openai.codex.internal;

import static io.grambot.plugin.openai.codex.internal.FakeOpenAi.answer;
import static io.grambot.plugin.openai.codex.internal.FakeOpenAi.drop;
import static io.grambot.plugin.openai.codex.internal.FakeOpenAi.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.io.UncheckedIOException;
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
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.grambot.api.ConnectionTestResult;
import io.grambot.api.Media;
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

/** The Responses API ({@code api=responses}) against the local fake, with an API key and with a ChatGPT sign-in. */
class ResponsesTest {

    private static final String KEY = "sk-proj-TESTKEY0123456789abcdefghijklmnop";
    private static final String TOKEN = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ0ZXN0LXVzZXIifQ.c2lnbmF0dXJlLXRlc3Q";
    private static final String ACCOUNT = "6f1c2a3b-0000-4000-8000-123456789abc";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** OpenAI's documented shape of a plain answer, with a reasoning item before the message. */
    private static final String PLAIN_ANSWER = """
            {"id":"resp_67ccd2bed1ec8190","object":"response","created_at":1741476542,"status":"completed",
             "error":null,"incomplete_details":null,"instructions":"Be brief.","max_output_tokens":null,
             "model":"gpt-4.1-mini-2025-04-14",
             "output":[{"type":"reasoning","id":"rs_67ccd2bf","summary":[]},
               {"type":"message","id":"msg_67ccd2bf17f0","status":"completed","role":"assistant",
                "content":[{"type":"output_text","text":"Hello there, ","annotations":[]},
                  {"type":"output_text","text":"how may I help?","annotations":[]}]}],
             "parallel_tool_calls":true,"previous_response_id":null,"reasoning":{"effort":null,"summary":null},
             "store":false,"temperature":1.0,"text":{"format":{"type":"text"}},"tool_choice":"auto","tools":[],
             "top_p":1.0,"truncation":"disabled",
             "usage":{"input_tokens":36,"input_tokens_details":{"cached_tokens":0},"output_tokens":87,
               "output_tokens_details":{"reasoning_tokens":0},"total_tokens":123},"user":null,"metadata":{}}""";

    /** OpenAI's documented shape of an answer that calls a function. */
    private static final String FUNCTION_CALL_ANSWER = """
            {"id":"resp_2","object":"response","status":"completed","error":null,"incomplete_details":null,
             "output":[{"type":"function_call","id":"fc_12345xyz","call_id":"call_12345xyz",
               "name":"get_current_weather","arguments":"{\\"location\\":\\"Paris, France\\"}","status":"completed"}],
             "usage":{"input_tokens":82,"output_tokens":17,"total_tokens":99}}""";

    private static final String INCOMPLETE_ANSWER = """
            {"id":"resp_3","object":"response","status":"incomplete","error":null,
             "incomplete_details":{"reason":"max_output_tokens"},
             "output":[{"type":"message","id":"msg_3","status":"incomplete","role":"assistant",
                "content":[{"type":"output_text","text":"Once upon a","annotations":[]}]},
               {"type":"function_call","id":"fc_3","call_id":"call_3","name":"echo","arguments":"{\\"te",
                "status":"incomplete"}],
             "usage":{"input_tokens":12,"output_tokens":3,"total_tokens":15}}""";

    private static final ToolDefinition WEATHER = new ToolDefinition("get_current_weather",
            "Get the current weather in a given location",
            Map.of("type", "object", "properties", Map.of("location", Map.of("type", "string")),
                    "required", List.of("location")));

    private static final ChatRequest HI = new ChatRequest(null, null, List.of(ChatMessage.user("Hi")), List.of(), 0);

    private final FakeOpenAi server;
    private final List<Duration> sleeps = new CopyOnWriteArrayList<>();
    private final List<String> logLines = new CopyOnWriteArrayList<>();

    ResponsesTest() throws IOException {
        server = new FakeOpenAi();
    }

    @AfterEach
    void stop() {
        server.close();
        assertThat(logLines).noneMatch(line -> line.contains(KEY) || line.contains(TOKEN));
    }

    /** An instance with an API key, as for api.openai.com. */
    private OpenAiCodexProvider withKey() {
        return provider("", Map.of(OpenAiConnection.API_KEY, KEY));
    }

    /** An instance with a ChatGPT sign-in, as for the Codex endpoint. */
    private OpenAiCodexProvider signedIn() {
        return provider(ACCOUNT, Map.of(OpenAiConnection.ACCESS_TOKEN, TOKEN));
    }

    private OpenAiCodexProvider provider(String accountId, Map<String, String> secrets) {
        return provider(Api.RESPONSES, accountId, secrets);
    }

    private OpenAiCodexProvider provider(Api api, String accountId, Map<String, String> secrets) {
        OpenAiSettings settings = new OpenAiSettings(server.baseUrl(), api, "gpt-4.1-mini", "", accountId,
                Duration.ofSeconds(10), 2, "auto");
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
        return new OpenAiCodexProvider("main", settings, name -> Optional.ofNullable(secrets.get(name)).map(Secret::of),
                log, sleeps::add);
    }

    private static JsonNode parse(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One server-sent event: its type from the JSON's {@code type}, its data the JSON on one line. */
    private static String event(String json) {
        JsonNode node = parse(json);
        return "event: " + node.get("type").asText() + "\ndata: " + node + "\n\n";
    }

    private static FakeOpenAi.Answer stream(String... events) {
        return FakeOpenAi.stream(List.of(String.join("", events).getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aPlainTurnSendsInstructionsAndInputAndStoresNothing() throws Exception {
        server.then(json(200, PLAIN_ANSWER));

        ChatResponse response = withKey().chat(new ChatRequest(null, "Be brief.", List.of(ChatMessage.user("Hello!")),
                List.of(), 0));

        assertThat(response.text()).isEqualTo("Hello there, how may I help?");
        assertThat(response.stopReason()).isEqualTo(StopReason.END_TURN);
        assertThat(response.toolCalls()).isEmpty();
        assertThat(response.usage()).isEqualTo(new Usage(36, 87));
        FakeOpenAi.Received sent = server.last();
        assertThat(sent.method()).isEqualTo("POST");
        assertThat(sent.path()).isEqualTo("/v1/responses");
        assertThat(sent.header("Authorization")).isEqualTo("Bearer " + KEY);
        assertThat(sent.header("ChatGPT-Account-Id")).isNull();
        assertThat(sent.header("OpenAI-Beta")).isNull();
        assertThat(sent.header("Content-Type")).isEqualTo("application/json");
        assertThat(sent.header("Accept")).isEqualTo("application/json");
        assertThat(sent.json()).isEqualTo(parse("""
                {"model":"gpt-4.1-mini","instructions":"Be brief.",
                 "input":[{"type":"message","role":"user","content":[{"type":"input_text","text":"Hello!"}]}],
                 "store":false}"""));
    }

    @Test
    void withoutAKeyNoAuthorizationIsSentAndWithoutASystemPromptNoInstructions() throws Exception {
        server.then(json(200, PLAIN_ANSWER));

        provider("", Map.of()).chat(HI);

        assertThat(server.last().header("Authorization")).isNull();
        assertThat(server.last().json().has("instructions")).isFalse();
    }

    @Test
    void imagesGoAsInputImageDataUrls() throws Exception {
        server.then(json(200, PLAIN_ANSWER));
        Media png = new Media("image/png", new byte[] {(byte) 0x89, 'P', 'N', 'G'});
        ChatMessage message = new ChatMessage(Role.USER, List.of(new ContentPart.Text("What is this?"),
                new ContentPart.Image(png)), List.of(), null);

        withKey().chat(new ChatRequest(null, null, List.of(message), List.of(), 0));

        assertThat(server.last().json().get("input")).isEqualTo(parse("""
                [{"type":"message","role":"user","content":[{"type":"input_text","text":"What is this?"},
                  {"type":"input_image","image_url":"data:image/png;base64,iVBORw=="}]}]"""));
    }

    @Test
    void aFunctionCallRoundSendsToolsAndFeedsTheOutputBack() throws Exception {
        server.then(json(200, FUNCTION_CALL_ANSWER)).then(json(200, PLAIN_ANSWER));
        OpenAiCodexProvider provider = withKey();
        List<ChatMessage> history = new ArrayList<>(List.of(ChatMessage.user("What's the weather like in Paris?")));

        ChatResponse first = provider.chat(new ChatRequest("gpt-4o", null, history, List.of(WEATHER), 256));

        assertThat(first.stopReason()).isEqualTo(StopReason.TOOL_USE);
        assertThat(first.text()).isEmpty();
        assertThat(first.toolCalls()).containsExactly(new ToolCall("call_12345xyz", "get_current_weather",
                Map.of("location", "Paris, France")));
        assertThat(first.usage()).isEqualTo(new Usage(82, 17));
        assertThat(server.last().json()).isEqualTo(parse("""
                {"model":"gpt-4o",
                 "input":[{"type":"message","role":"user",
                   "content":[{"type":"input_text","text":"What's the weather like in Paris?"}]}],
                 "tools":[{"type":"function","name":"get_current_weather",
                   "description":"Get the current weather in a given location",
                   "parameters":{"type":"object","properties":{"location":{"type":"string"}},"required":["location"]},
                   "strict":false}],
                 "max_output_tokens":256,"store":false}"""));

        // the assistant's turn as the bot keeps it: here with a few words before the call
        history.add(ChatMessage.assistant("Let me look.", first.toolCalls()));
        history.add(ChatMessage.toolResult("call_12345xyz", "22 degrees and sunny"));
        ChatResponse second = provider.chat(new ChatRequest(null, null, history, List.of(WEATHER), 0));

        assertThat(second.text()).isEqualTo("Hello there, how may I help?");
        JsonNode input = server.last().json().get("input");
        assertThat(input).hasSize(4);
        assertThat(input.get(1)).isEqualTo(parse("""
                {"type":"message","role":"assistant","content":[{"type":"output_text","text":"Let me look."}]}"""));
        // the arguments go back as JSON text; its spacing is the mapper's, so it is compared parsed
        assertThat(parse(input.get(2).get("arguments").asText())).isEqualTo(parse("{\"location\":\"Paris, France\"}"));
        ((ObjectNode) input.get(2)).remove("arguments");
        assertThat(input.get(2)).isEqualTo(parse("""
                {"type":"function_call","call_id":"call_12345xyz","name":"get_current_weather"}"""));
        assertThat(input.get(3)).isEqualTo(parse("""
                {"type":"function_call_output","call_id":"call_12345xyz","output":"22 degrees and sunny"}"""));
        assertThat(server.last().json().get("model").asText()).isEqualTo("gpt-4.1-mini");
        assertThat(server.last().json().has("max_output_tokens")).isFalse();
    }

    @Test
    void anAssistantTurnThatOnlyCalledToolsSendsNoMessageItem() throws Exception {
        server.then(json(200, PLAIN_ANSWER));
        ToolCall call = new ToolCall("call_1", "get_time", Map.of());

        withKey().chat(new ChatRequest(null, null, List.of(ChatMessage.user("Time?"),
                ChatMessage.assistant("", List.of(call)), ChatMessage.toolResult("call_1", "12:00")), List.of(), 0));

        assertThat(server.last().json().get("input")).isEqualTo(parse("""
                [{"type":"message","role":"user","content":[{"type":"input_text","text":"Time?"}]},
                 {"type":"function_call","call_id":"call_1","name":"get_time","arguments":"{}"},
                 {"type":"function_call_output","call_id":"call_1","output":"12:00"}]"""));
    }

    /** Events as OpenAI streams them: reasoning, a message in two deltas, a function call in pieces, then the whole. */
    private static final String STREAM = String.join("",
            event("""
                    {"type":"response.created","sequence_number":0,"response":{"id":"resp_1","object":"response",
                     "status":"in_progress","output":[],"usage":null}}"""),
            event("""
                    {"type":"response.output_item.added","sequence_number":1,"output_index":0,
                     "item":{"type":"reasoning","id":"rs_1","summary":[]}}"""),
            event("""
                    {"type":"response.output_item.done","sequence_number":2,"output_index":0,
                     "item":{"type":"reasoning","id":"rs_1","summary":[]}}"""),
            event("""
                    {"type":"response.output_item.added","sequence_number":3,"output_index":1,
                     "item":{"type":"message","id":"msg_1","status":"in_progress","role":"assistant","content":[]}}"""),
            ": keep-alive\n\n",
            event("""
                    {"type":"response.content_part.added","sequence_number":4,"item_id":"msg_1","output_index":1,
                     "content_index":0,"part":{"type":"output_text","text":"","annotations":[]}}"""),
            event("""
                    {"type":"response.output_text.delta","sequence_number":5,"item_id":"msg_1","output_index":1,
                     "content_index":0,"delta":"Grüß"}""").replace("\n", "\r\n"),
            event("""
                    {"type":"response.output_text.delta","sequence_number":6,"item_id":"msg_1","output_index":1,
                     "content_index":0,"delta":" dich! 👋"}"""),
            event("""
                    {"type":"response.output_text.done","sequence_number":7,"item_id":"msg_1","output_index":1,
                     "content_index":0,"text":"Grüß dich! 👋"}"""),
            event("""
                    {"type":"response.output_item.done","sequence_number":8,"output_index":1,
                     "item":{"type":"message","id":"msg_1","status":"completed","role":"assistant",
                       "content":[{"type":"output_text","text":"Grüß dich! 👋","annotations":[]}]}}"""),
            event("""
                    {"type":"response.output_item.added","sequence_number":9,"output_index":2,
                     "item":{"type":"function_call","id":"fc_1","call_id":"call_1","name":"get_current_weather",
                       "arguments":"","status":"in_progress"}}"""),
            event("""
                    {"type":"response.function_call_arguments.delta","sequence_number":10,"item_id":"fc_1",
                     "output_index":2,"delta":"{\\"locat"}"""),
            event("""
                    {"type":"response.function_call_arguments.delta","sequence_number":11,"item_id":"fc_1",
                     "output_index":2,"delta":"ion\\": \\"Paris\\"}"}"""),
            event("""
                    {"type":"response.function_call_arguments.done","sequence_number":12,"item_id":"fc_1",
                     "output_index":2,"arguments":"{\\"location\\": \\"Paris\\"}"}"""),
            event("""
                    {"type":"response.output_item.done","sequence_number":13,"output_index":2,
                     "item":{"type":"function_call","id":"fc_1","call_id":"call_1","name":"get_current_weather",
                       "arguments":"{\\"location\\": \\"Paris\\"}","status":"completed"}}"""),
            event("""
                    {"type":"response.completed","sequence_number":14,"response":{"id":"resp_1","object":"response",
                     "status":"completed","error":null,"incomplete_details":null,
                     "output":[{"type":"reasoning","id":"rs_1","summary":[]},
                       {"type":"message","id":"msg_1","status":"completed","role":"assistant",
                        "content":[{"type":"output_text","text":"Grüß dich! 👋","annotations":[]}]},
                       {"type":"function_call","id":"fc_1","call_id":"call_1","name":"get_current_weather",
                        "arguments":"{\\"location\\": \\"Paris\\"}","status":"completed"}],
                     "usage":{"input_tokens":31,"output_tokens":24,"total_tokens":55}}}"""));

    @Test
    void streamsTextAndFunctionCallsSplitAtAwkwardPlaces() throws Exception {
        byte[] bytes = STREAM.getBytes(StandardCharsets.UTF_8);
        int inUmlaut = indexOf(bytes, "Grü".getBytes(StandardCharsets.UTF_8)) + 3; // between the bytes of 'ü'
        int inEmoji = indexOf(bytes, "\uD83D\uDC4B".getBytes(StandardCharsets.UTF_8)) + 2;
        int inCrLf = indexOf(bytes, "\r\n".getBytes(StandardCharsets.UTF_8)) + 1; // between CR and LF
        int inLine = indexOf(bytes, "\"locat".getBytes(StandardCharsets.UTF_8)) + 2; // in the middle of a data line
        int inField = indexOf(bytes, "event: response.completed".getBytes(StandardCharsets.UTF_8)) + 3; // "eve|nt:"
        server.then(FakeOpenAi.stream(pieces(bytes, 17, inUmlaut, inCrLf, inEmoji, inLine, inField)));
        List<String> deltas = new ArrayList<>();

        ChatResponse response = withKey().chat(new ChatRequest(null, null, List.of(ChatMessage.user("Hi")),
                List.of(WEATHER), 0), deltas::add);

        assertThat(String.join("", deltas)).isEqualTo("Grüß dich! 👋");
        assertThat(deltas).doesNotContain("");
        assertThat(response.text()).isEqualTo("Grüß dich! 👋");
        assertThat(response.toolCalls()).containsExactly(
                new ToolCall("call_1", "get_current_weather", Map.of("location", "Paris")));
        assertThat(response.stopReason()).isEqualTo(StopReason.TOOL_USE);
        assertThat(response.usage()).isEqualTo(new Usage(31, 24)); // only the final event has it
        assertThat(server.last().json().get("stream").asBoolean()).isTrue();
        assertThat(server.last().json().get("store").asBoolean()).isFalse();
        assertThat(server.last().header("Accept")).isEqualTo("text/event-stream");
    }

    @Test
    void theFinalResponseIsTheSourceOfTruth() throws Exception {
        // the deltas said one thing, the completed response another: the completed one is the answer
        server.then(stream(
                event("""
                        {"type":"response.output_text.delta","output_index":0,"content_index":0,"delta":"Draft"}"""),
                event("""
                        {"type":"response.completed","response":{"status":"completed","error":null,
                         "output":[{"type":"message","role":"assistant",
                           "content":[{"type":"output_text","text":"Final"}]}],
                         "usage":{"input_tokens":3,"output_tokens":1}}}""")));

        ChatResponse response = withKey().chat(HI, delta -> {});

        assertThat(response.text()).isEqualTo("Final");
    }

    @Test
    void aSignInSendsTheTokenAndAccountAndAlwaysStreams() throws Exception {
        // the Codex endpoint may leave the final output empty: the answer is put together from the events
        server.then(stream(
                event("""
                        {"type":"response.created","response":{"id":"resp_c","status":"in_progress","output":[]}}"""),
                event("""
                        {"type":"response.output_item.added","output_index":0,
                         "item":{"type":"message","id":"msg_c","role":"assistant","content":[]}}"""),
                event("""
                        {"type":"response.output_text.delta","item_id":"msg_c","output_index":0,"content_index":0,
                         "delta":"Checking."}"""),
                event("""
                        {"type":"response.output_item.done","output_index":0,
                         "item":{"type":"message","id":"msg_c","role":"assistant","status":"completed",
                           "content":[{"type":"output_text","text":"Checking."}]}}"""),
                event("""
                        {"type":"response.output_item.added","output_index":1,
                         "item":{"type":"function_call","id":"fc_c","call_id":"call_c","name":"get_current_weather",
                           "arguments":""}}"""),
                event("""
                        {"type":"response.function_call_arguments.delta","item_id":"fc_c","delta":"{\\"location\\""}"""),
                event("""
                        {"type":"response.function_call_arguments.delta","item_id":"fc_c","delta":":\\"Oslo\\"}"}"""),
                event("""
                        {"type":"response.completed","response":{"id":"resp_c","status":"completed","error":null,
                         "output":[],"usage":{"input_tokens":40,"output_tokens":9,"total_tokens":49}}}""")));

        ChatResponse response = signedIn().chat(new ChatRequest("gpt-5", null,
                List.of(ChatMessage.user("Weather in Oslo?")), List.of(WEATHER), 100));

        assertThat(response.text()).isEqualTo("Checking.");
        assertThat(response.toolCalls()).containsExactly(
                new ToolCall("call_c", "get_current_weather", Map.of("location", "Oslo")));
        assertThat(response.stopReason()).isEqualTo(StopReason.TOOL_USE);
        assertThat(response.usage()).isEqualTo(new Usage(40, 9));
        FakeOpenAi.Received sent = server.last();
        assertThat(sent.path()).isEqualTo("/v1/responses");
        assertThat(sent.header("Authorization")).isEqualTo("Bearer " + TOKEN);
        assertThat(sent.header("ChatGPT-Account-Id")).isEqualTo(ACCOUNT);
        assertThat(sent.header("OpenAI-Beta")).isEqualTo("responses=experimental");
        assertThat(sent.header("Accept")).isEqualTo("text/event-stream");
        // the endpoint needs instructions and a stream, and takes no max_output_tokens
        assertThat(sent.json()).isEqualTo(parse("""
                {"model":"gpt-5","instructions":"You are a helpful assistant.",
                 "input":[{"type":"message","role":"user","content":[{"type":"input_text","text":"Weather in Oslo?"}]}],
                 "tools":[{"type":"function","name":"get_current_weather",
                   "description":"Get the current weather in a given location",
                   "parameters":{"type":"object","properties":{"location":{"type":"string"}},"required":["location"]},
                   "strict":false}],
                 "store":false,"stream":true}"""));
    }

    @Test
    void aSignInNeedsItsAccountTheResponsesApiAndNoSecondCredential() throws Exception {
        assertThatThrownBy(() -> provider("", Map.of(OpenAiConnection.ACCESS_TOKEN, TOKEN)).chat(HI))
                .isInstanceOf(PluginException.class).hasMessage("a ChatGPT sign-in (accessToken) needs the account id "
                        + "too: set accountId (tokens.account_id in ~/.codex/auth.json)");
        assertThatThrownBy(() -> provider(Api.CHAT_COMPLETIONS, ACCOUNT, Map.of(OpenAiConnection.ACCESS_TOKEN, TOKEN))
                .chat(HI)).hasMessage("a ChatGPT sign-in (accessToken) works with the Responses API only: set "
                        + "api=responses and baseUrl=https://chatgpt.com/backend-api/codex, or use an API key (apiKey) "
                        + "instead");
        assertThatThrownBy(() -> provider(ACCOUNT, Map.of(OpenAiConnection.ACCESS_TOKEN, TOKEN,
                OpenAiConnection.API_KEY, KEY)).chat(HI)).hasMessage("the instance has both an API key (apiKey) and "
                        + "a ChatGPT access token (accessToken): keep the API key for api.openai.com or a compatible "
                        + "server, or the access token for a ChatGPT sign-in, and remove the other");
        assertThat(server.received()).isEmpty();
    }

    @Test
    void aFailedResponseSurfacesItsError() throws Exception {
        server.then(stream(
                event("""
                        {"type":"response.output_text.delta","output_index":0,"content_index":0,"delta":"Hal"}"""),
                event("""
                        {"type":"response.failed","response":{"id":"resp_f","status":"failed",
                         "error":{"code":"server_error","message":"The model failed to generate a response."},
                         "output":[]}}""")));
        List<String> deltas = new ArrayList<>();

        HttpException e = catchThrowableOfType(HttpException.class, () -> withKey().chat(HI, deltas::add));

        assertThat(e).hasMessage("POST " + server.baseUrl() + "/responses answered with an error: The model failed to "
                + "generate a response.");
        assertThat(e.retryable()).isTrue();
        assertThat(e.providerCode()).contains("server_error");
        assertThat(deltas).containsExactly("Hal");
        assertThat(server.received()).hasSize(1);
    }

    @Test
    void anErrorEventSurfaces() throws Exception {
        server.then(stream(event("""
                {"type":"error","code":"invalid_prompt","message":"Invalid prompt: your prompt was flagged.",
                 "param":null,"sequence_number":1}""")));

        HttpException e = catchThrowableOfType(HttpException.class, () -> withKey().chat(HI, delta -> {}));

        assertThat(e).hasMessage("POST " + server.baseUrl() + "/responses answered with an error: Invalid prompt: "
                + "your prompt was flagged.");
        assertThat(e.retryable()).isFalse();
    }

    @Test
    void aNonStreamedFailedResponseIsNotAnAnswer() throws Exception {
        server.then(json(200, """
                {"id":"resp_f","object":"response","status":"failed",
                 "error":{"code":"rate_limit_exceeded","message":"Rate limit reached"},"output":[]}"""));

        HttpException e = catchThrowableOfType(HttpException.class, () -> withKey().chat(HI));

        assertThat(e).hasMessage("POST " + server.baseUrl() + "/responses answered with an error: Rate limit reached");
        assertThat(e.retryable()).isTrue();
    }

    @Test
    void anAnswerCutOffByTheTokenLimitSaysSo() throws Exception {
        server.then(json(200, INCOMPLETE_ANSWER)).then(stream(
                event("""
                        {"type":"response.output_text.delta","output_index":0,"content_index":0,
                         "delta":"Once upon a"}"""),
                "event: response.incomplete\ndata: {\"type\":\"response.incomplete\",\"response\":"
                        + parse(INCOMPLETE_ANSWER) + "}\n\n"));

        ChatResponse whole = withKey().chat(new ChatRequest(null, null, List.of(ChatMessage.user("A story")),
                List.of(), 3));
        ChatResponse streamed = withKey().chat(new ChatRequest(null, null, List.of(ChatMessage.user("A story")),
                List.of(), 3), delta -> {});

        for (ChatResponse response : List.of(whole, streamed)) {
            assertThat(response.text()).isEqualTo("Once upon a");
            assertThat(response.stopReason()).isEqualTo(StopReason.MAX_TOKENS);
            assertThat(response.toolCalls()).as("a call cut off mid-arguments is dropped").isEmpty();
            assertThat(response.usage()).isEqualTo(new Usage(12, 3));
        }
        assertThat(server.received().get(0).json().get("max_output_tokens").asInt()).isEqualTo(3);
    }

    @Test
    void statusesMapToStopReasons() throws Exception {
        assertThat(Responses.stopReason("completed", null, false)).isEqualTo(StopReason.END_TURN);
        assertThat(Responses.stopReason(null, null, false)).isEqualTo(StopReason.END_TURN);
        assertThat(Responses.stopReason("completed", null, true)).isEqualTo(StopReason.TOOL_USE);
        assertThat(Responses.stopReason("incomplete", "max_output_tokens", true)).isEqualTo(StopReason.MAX_TOKENS);
        assertThat(Responses.stopReason("incomplete", "content_filter", false)).isEqualTo(StopReason.CONTENT_FILTER);
        assertThat(Responses.stopReason("incomplete", "something_new", false)).isEqualTo(StopReason.OTHER);
        assertThat(Responses.stopReason("cancelled", null, false)).isEqualTo(StopReason.OTHER);
    }

    @Test
    void unauthorizedSurfacesOpenAisMessageWithoutTheKey() throws Exception {
        server.then(json(401, "{\"error\":{\"message\":\"Incorrect API key provided: " + KEY + ". You can find your "
                + "API key at https://platform.openai.com/account/api-keys.\",\"type\":\"invalid_request_error\","
                + "\"param\":null,\"code\":\"invalid_api_key\"}}"));

        HttpException e = catchThrowableOfType(HttpException.class, () -> withKey().chat(HI));

        assertThat(e).hasMessage("POST " + server.baseUrl() + "/responses answered 401 Unauthorized: Incorrect API "
                + "key provided: ******. You can find your API key at https://platform.openai.com/account/api-keys.");
        assertThat(e.status()).isEqualTo(401);
        assertThat(e.retryable()).isFalse();
        assertThat(e.providerCode()).contains("invalid_api_key");
        assertThat(server.received()).hasSize(1);
        assertThat(sleeps).isEmpty();
    }

    @Test
    void aRefusedSignInSaysTheTokenMayHaveExpiredWithoutShowingIt() throws Exception {
        server.then(json(401, "{\"error\":{\"message\":\"Provided authentication token is expired: " + TOKEN
                + "\",\"type\":\"invalid_request_error\",\"code\":\"token_expired\"}}"));

        HttpException e = catchThrowableOfType(HttpException.class, () -> signedIn().chat(HI));

        assertThat(e).hasMessage("POST " + server.baseUrl() + "/responses answered 401 Unauthorized: Provided "
                + "authentication token is expired: ****** (a ChatGPT access token expires: sign in again, for example "
                + "with 'codex login', and put the new tokens.access_token of ~/.codex/auth.json into accessToken)");
        assertThat(e.status()).isEqualTo(401);
        assertThat(e.providerCode()).contains("token_expired");
        assertThat(e.providerMessage()).hasValueSatisfying(message -> assertThat(message).doesNotContain(TOKEN));
    }

    @Test
    void rateLimitedWaitsAsToldThenSucceeds() throws Exception {
        server.then(answer(429, Map.of("Content-Type", "application/json", "Retry-After", "2"),
                "{\"error\":{\"message\":\"Rate limit reached for gpt-4.1-mini\",\"type\":\"requests\","
                        + "\"code\":\"rate_limit_exceeded\"}}"))
                .then(json(200, PLAIN_ANSWER));

        ChatResponse response = withKey().chat(HI);

        assertThat(response.text()).isEqualTo("Hello there, how may I help?");
        assertThat(sleeps).containsExactly(Duration.ofSeconds(2));
        assertThat(server.received()).hasSize(2);
        assertThat(server.received().get(1).json()).isEqualTo(server.received().get(0).json());
    }

    @Test
    void malformedJsonIsExplained() throws Exception {
        server.then(json(200, "{\"id\":\"resp_1\",\"output\":[{\"type\":"));

        HttpException e = catchThrowableOfType(HttpException.class, () -> withKey().chat(HI));

        assertThat(e).hasMessage("expected a JSON answer from POST " + server.baseUrl() + "/responses, found "
                + "application/json (33 bytes): {\"id\":\"resp_1\",\"output\":[{\"type\":"
                + " (Unexpected end-of-input within/between Object entries)");
        assertThat(e.retryable()).isFalse();
    }

    @Test
    void anAnswerWithoutOutputIsExplained() throws Exception {
        server.then(json(200, "{\"id\":\"resp_1\",\"object\":\"response\",\"status\":\"completed\"}"));

        assertThatThrownBy(() -> withKey().chat(HI)).isInstanceOf(PluginException.class)
                .hasMessage("expected 'output' to be a list of items in the answer of POST " + server.baseUrl()
                        + "/responses, found an object with fields [id, object, status]");
    }

    @Test
    void functionArgumentsThatAreNotJsonAreExplained() throws Exception {
        server.then(json(200, """
                {"status":"completed","output":[{"type":"function_call","call_id":"c1","name":"echo",
                  "arguments":"{text: hi"}]}"""));

        assertThatThrownBy(() -> withKey().chat(HI))
                .hasMessage("the model called tool 'echo' with arguments that are not a JSON object: {text: hi");
    }

    @Test
    void aStreamEventThatIsNotJsonIsExplained() throws Exception {
        server.then(stream("event: response.output_text.delta\ndata: {\"delta\":\n\n"));

        assertThatThrownBy(() -> withKey().chat(HI, delta -> {})).isInstanceOf(PluginException.class)
                .hasMessage("expected a JSON object in every event of the stream of POST " + server.baseUrl()
                        + "/responses, found: {\"delta\":");
    }

    @Test
    void aDroppedConnectionIsRetriedAndADroppedStreamReported() throws Exception {
        server.then(drop()).then(json(200, PLAIN_ANSWER));

        assertThat(withKey().chat(HI).text()).isEqualTo("Hello there, how may I help?");
        assertThat(server.received()).hasSize(2);

        server.then(FakeOpenAi.streamThenDrop(event("""
                {"type":"response.output_text.delta","output_index":0,"content_index":0,"delta":"Hal"}""")));
        List<String> deltas = new ArrayList<>();
        HttpException e = catchThrowableOfType(HttpException.class, () -> withKey().chat(HI, deltas::add));

        assertThat(deltas).containsExactly("Hal");
        assertThat(e.getMessage()).startsWith("the event stream of POST " + server.baseUrl() + "/responses ended "
                + "early after 1 events: the connection broke");
        assertThat(e.retryable()).isTrue();
        assertThat(server.received()).hasSize(3);
    }

    @Test
    void aStreamThatEndsWithoutTheFinalEventIsAnError() throws Exception {
        server.then(stream(event("""
                {"type":"response.output_text.delta","output_index":0,"content_index":0,"delta":"Hal"}""")));

        HttpException e = catchThrowableOfType(HttpException.class, () -> withKey().chat(HI, delta -> {}));

        assertThat(e).hasMessage("the event stream of POST " + server.baseUrl() + "/responses ended before the answer "
                + "was complete (no response.completed)");
        assertThat(e.retryable()).isTrue();
    }

    @Test
    void theConnectionTestListsTheModelsWithAKey() throws Exception {
        server.then(json(200, "{\"object\":\"list\",\"data\":[{\"id\":\"gpt-4.1-mini\"},{\"id\":\"gpt-5\"}]}"));

        assertThat(withKey().testConnection()).isEqualTo(ConnectionTestResult.ok("reached " + server.baseUrl()
                + ": it lists 2 models, among them the configured model 'gpt-4.1-mini'"));
        assertThat(server.last().method()).isEqualTo("GET");
        assertThat(server.last().path()).isEqualTo("/v1/models");
        assertThat(server.last().header("Authorization")).isEqualTo("Bearer " + KEY);
    }

    @Test
    void theConnectionTestOfASignInAsksForOneWord() throws Exception {
        server.then(stream(event("""
                {"type":"response.completed","response":{"status":"completed","error":null,
                 "output":[{"type":"message","role":"assistant","content":[{"type":"output_text","text":"OK"}]}],
                 "usage":{"input_tokens":20,"output_tokens":2}}}""")));

        ConnectionTestResult result = signedIn().testConnection();

        assertThat(result).isEqualTo(ConnectionTestResult.ok("reached " + server.baseUrl() + " with the ChatGPT "
                + "sign-in of account '" + ACCOUNT + "': the configured model 'gpt-4.1-mini' answers"));
        FakeOpenAi.Received sent = server.last();
        assertThat(sent.method()).isEqualTo("POST");
        assertThat(sent.path()).isEqualTo("/v1/responses");
        assertThat(sent.header("Authorization")).isEqualTo("Bearer " + TOKEN);
        assertThat(sent.header("ChatGPT-Account-Id")).isEqualTo(ACCOUNT);
        assertThat(sent.json()).isEqualTo(parse("""
                {"model":"gpt-4.1-mini","instructions":"Answer with the single word OK.",
                 "input":[{"type":"message","role":"user","content":[{"type":"input_text","text":"ping"}]}],
                 "store":false,"stream":true}"""));
    }

    @Test
    void theConnectionTestOfARefusedSignInFailsWithoutTheToken() throws Exception {
        server.then(json(401, "{\"error\":{\"message\":\"Invalid token " + TOKEN + "\",\"code\":\"invalid_token\"}}"));

        ConnectionTestResult result = signedIn().testConnection();

        assertThat(result.ok()).isFalse();
        assertThat(result.message()).startsWith("POST " + server.baseUrl() + "/responses answered 401 Unauthorized: "
                + "Invalid token ****** (a ChatGPT access token expires").doesNotContain(TOKEN);
    }

    @Test
    void aSignInOffersTheConfiguredModelWithoutAsking() throws Exception {
        assertThat(signedIn().models()).containsExactly("gpt-4.1-mini");
        assertThat(server.received()).isEmpty();
    }

    private static List<byte[]> pieces(byte[] bytes, int... cuts) {
        int[] all = Arrays.copyOf(cuts, cuts.length + 2);
        all[cuts.length] = 0;
        all[cuts.length + 1] = bytes.length;
        Arrays.sort(all);
        List<byte[]> pieces = new ArrayList<>();
        for (int i = 1; i < all.length; i++) {
            pieces.add(Arrays.copyOfRange(bytes, all[i - 1], all[i]));
        }
        return pieces;
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
