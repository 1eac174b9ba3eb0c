package io.grambot.plugin.anthropic.internal;

import static io.grambot.plugin.anthropic.internal.FakeAnthropic.answer;
import static io.grambot.plugin.anthropic.internal.FakeAnthropic.drop;
import static io.grambot.plugin.anthropic.internal.FakeAnthropic.error;
import static io.grambot.plugin.anthropic.internal.FakeAnthropic.json;
import static io.grambot.plugin.anthropic.internal.ProviderFixture.KEY;
import static io.grambot.plugin.anthropic.internal.ProviderFixture.TOKEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgi.service.log.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.grambot.api.ConnectionTestResult;
import io.grambot.api.Media;
import io.grambot.api.PluginConstants;
import io.grambot.api.PluginContext;
import io.grambot.api.PluginException;
import io.grambot.api.Secret;
import io.grambot.api.Secrets;
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
import io.grambot.http.JsonHttpClient;

/** The provider against a fake that answers as Anthropic documents its Messages, Models and error answers. */
class AnthropicProviderTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Anthropic's documented example of a plain answer. */
    private static final String PLAIN_ANSWER = """
            {"id":"msg_013Zva2CMHLNnXjNJJKqJ2EF","type":"message","role":"assistant",
             "model":"claude-sonnet-4-5-20250929","content":[{"type":"text","text":"Hi! My name is Claude."}],
             "stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":2095,"output_tokens":503}}""";

    /** Anthropic's documented example of an answer that calls a tool, with prompt-cache counts. */
    private static final String TOOL_USE_ANSWER = """
            {"id":"msg_01Aq9w938a90dw8q","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929",
             "content":[{"type":"text","text":"I'll check the current weather in San Francisco for you."},
               {"type":"tool_use","id":"toolu_01A09q90qw90lq917835lq9","name":"get_weather",
                "input":{"location":"San Francisco, CA","unit":"celsius"}}],
             "stop_reason":"tool_use","stop_sequence":null,
             "usage":{"input_tokens":472,"cache_creation_input_tokens":1024,"cache_read_input_tokens":2048,
               "output_tokens":89,"service_tier":"standard"}}""";

    /** Anthropic's answer to a wrong API key. */
    private static final FakeAnthropic.Answer INVALID_KEY = error(401, "authentication_error", "invalid x-api-key");

    private static final ToolDefinition WEATHER = new ToolDefinition("get_weather",
            "Get the current weather in a given location",
            Map.of("type", "object", "properties", Map.of("location", Map.of("type", "string",
                    "description", "The city and state, e.g. San Francisco, CA")), "required", List.of("location")));

    private static final ChatRequest HELLO = new ChatRequest(null, null, List.of(ChatMessage.user("Hello")),
            List.of(), 0);

    private final ProviderFixture fixture;
    private final FakeAnthropic server;

    AnthropicProviderTest() throws IOException {
        fixture = new ProviderFixture();
        server = fixture.server;
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    private String messagesUrl() {
        return "POST " + server.baseUrl() + "/v1/messages";
    }

    private static JsonNode parse(String text) throws IOException {
        return MAPPER.readTree(text);
    }

    private static void assertNoSecret(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            assertThat(String.valueOf(t.getMessage())).doesNotContain(KEY).doesNotContain(TOKEN);
        }
    }

    // --- requests

    @Test
    void thePluginIdMapsToTheFactoryPid() {
        assertThat(PluginConstants.factoryPid(AnthropicProvider.PLUGIN_ID)).isEqualTo(AnthropicProvider.FACTORY_PID);
        assertThat(fixture.provider().id()).isEqualTo("main");
    }

    @Test
    void aPlainCallSendsTheKeyVersionAndJson() throws Exception {
        fixture.secrets.put(AnthropicConnection.API_KEY, KEY);
        server.then(json(200, PLAIN_ANSWER));

        ChatResponse response = fixture.provider().chat(new ChatRequest(null, "Be brief.",
                List.of(ChatMessage.user("Hello, Claude")), List.of(), 0));

        assertThat(response).isEqualTo(new ChatResponse("Hi! My name is Claude.", List.of(), StopReason.END_TURN,
                new Usage(2095, 503)));
        FakeAnthropic.Received sent = fixture.only();
        assertThat(sent.method()).isEqualTo("POST");
        assertThat(sent.path()).isEqualTo("/v1/messages");
        assertThat(sent.header("x-api-key")).isEqualTo(KEY);
        assertThat(sent.header("anthropic-version")).isEqualTo("2023-06-01");
        assertThat(sent.header("Content-Type")).isEqualTo("application/json");
        assertThat(sent.header("Accept")).isEqualTo("application/json");
        assertThat(sent.header("Authorization")).isNull();
        assertThat(sent.header("anthropic-beta")).isNull();
        assertThat(sent.json()).isEqualTo(parse("""
                {"model":"claude-sonnet-4-5","max_tokens":1024,"system":"Be brief.",
                 "messages":[{"role":"user","content":[{"type":"text","text":"Hello, Claude"}]}]}"""));
    }

    @Test
    void theRequestsModelAndTokenLimitWinOverTheSettings() throws Exception {
        server.then(json(200, PLAIN_ANSWER)).then(json(200, PLAIN_ANSWER));
        AnthropicProvider provider = fixture.provider();

        provider.chat(new ChatRequest(" claude-opus-4-1 ", "  ", List.of(ChatMessage.user("Hi")), List.of(), 300));
        JsonNode own = server.last().json();
        provider.chat(new ChatRequest(" ", null, List.of(ChatMessage.user("Hi")), List.of(), 0));
        JsonNode defaults = server.last().json();

        assertThat(own.get("model").asText()).isEqualTo("claude-opus-4-1");
        assertThat(own.get("max_tokens").asInt()).isEqualTo(300);
        assertThat(own.has("system")).as("a blank system prompt is left out").isFalse();
        assertThat(defaults.get("model").asText()).isEqualTo("claude-sonnet-4-5");
        assertThat(defaults.get("max_tokens").asInt()).isEqualTo(1024);
        assertThat(defaults.has("stream")).isFalse();
        assertThat(defaults.has("tools")).isFalse();
    }

    @Test
    void anOAuthTokenIsSentAsBearerWithItsBetaInsteadOfTheKey() throws Exception {
        fixture.secrets.put(AnthropicConnection.API_KEY, KEY);
        fixture.secrets.put(AnthropicConnection.AUTH_TOKEN, TOKEN);
        server.then(json(200, PLAIN_ANSWER));

        assertThat(fixture.provider().chat(HELLO).text()).isEqualTo("Hi! My name is Claude.");

        FakeAnthropic.Received sent = fixture.only();
        assertThat(sent.header("Authorization")).isEqualTo("Bearer " + TOKEN);
        assertThat(sent.header("anthropic-beta")).isEqualTo("oauth-2025-04-20");
        assertThat(sent.header("x-api-key")).isNull();
        assertThat(sent.header("anthropic-version")).isEqualTo("2023-06-01");
    }

    @Test
    void configuredBetasAreMergedWithTheOAuthBeta() throws Exception {
        AnthropicSettings settings = fixture.settings(server.baseUrl(), "claude-sonnet-4-5",
                List.of("context-1m-2025-08-07", "oauth-2025-04-20"), 0);
        server.then(json(200, PLAIN_ANSWER)).then(json(200, PLAIN_ANSWER));

        fixture.secrets.put(AnthropicConnection.API_KEY, KEY);
        fixture.provider(settings).chat(HELLO);
        String withKey = server.last().header("anthropic-beta");
        fixture.secrets.put(AnthropicConnection.AUTH_TOKEN, TOKEN);
        fixture.provider(settings).chat(HELLO);
        String withToken = server.last().header("anthropic-beta");

        assertThat(withKey).isEqualTo("context-1m-2025-08-07,oauth-2025-04-20");
        assertThat(withToken).isEqualTo("oauth-2025-04-20,context-1m-2025-08-07");
        assertThat(server.received().get(1).headers().get("anthropic-beta")).hasSize(1);
    }

    @Test
    void secretsAreReadForEveryCallAndTidied() throws Exception {
        server.then(json(200, PLAIN_ANSWER)).then(json(200, PLAIN_ANSWER)).then(json(200, PLAIN_ANSWER));
        AnthropicProvider provider = fixture.provider();

        fixture.secrets.put(AnthropicConnection.API_KEY, " " + KEY + "\n");
        fixture.secrets.put(AnthropicConnection.AUTH_TOKEN, "  ");
        provider.chat(HELLO);
        FakeAnthropic.Received first = server.last();
        fixture.secrets.put(AnthropicConnection.AUTH_TOKEN, TOKEN);
        provider.chat(HELLO);
        FakeAnthropic.Received second = server.last();
        fixture.secrets.clear();
        provider.chat(HELLO);
        FakeAnthropic.Received third = server.last();

        assertThat(first.header("x-api-key")).as("stripped; a blank token does not count").isEqualTo(KEY);
        assertThat(first.header("Authorization")).isNull();
        assertThat(second.header("Authorization")).isEqualTo("Bearer " + TOKEN);
        assertThat(second.header("x-api-key")).isNull();
        // a proxy or gateway may add the credential itself: nothing is sent, but the version still is
        assertThat(third.header("x-api-key")).isNull();
        assertThat(third.header("Authorization")).isNull();
        assertThat(third.header("anthropic-version")).isEqualTo("2023-06-01");
    }

    @Test
    void theConversationIsSentAsAnthropicsContentBlocks() throws Exception {
        server.then(json(200, PLAIN_ANSWER));
        Media png = new Media("image/png", new byte[] {(byte) 0x89, 'P', 'N', 'G'});
        List<ChatMessage> history = List.of(
                new ChatMessage(Role.USER, List.of(new ContentPart.Text("What's the weather here and in Berlin?"),
                        new ContentPart.Image(png)), List.of(), null),
                ChatMessage.assistant("Let me check both.", List.of(
                        new ToolCall("toolu_01", "get_weather", Map.of("location", "Paris, FR")),
                        new ToolCall("toolu_02", "get_weather", Map.of("location", "Berlin, DE", "days", 2)))),
                ChatMessage.toolResult("toolu_01", "18 degrees, cloudy"),
                ChatMessage.toolResult("toolu_02", "error: the weather service timed out"),
                ChatMessage.user("Answer in German."));

        fixture.provider().chat(new ChatRequest(null, "You are a weather bot.", history, List.of(WEATHER,
                new ToolDefinition("get_time", "", null)), 0));

        assertThat(server.last().json()).isEqualTo(parse("""
                {"model":"claude-sonnet-4-5","max_tokens":1024,"system":"You are a weather bot.",
                 "messages":[
                  {"role":"user","content":[{"type":"text","text":"What's the weather here and in Berlin?"},
                    {"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw=="}}]},
                  {"role":"assistant","content":[{"type":"text","text":"Let me check both."},
                    {"type":"tool_use","id":"toolu_01","name":"get_weather","input":{"location":"Paris, FR"}},
                    {"type":"tool_use","id":"toolu_02","name":"get_weather","input":{"location":"Berlin, DE","days":2}}]},
                  {"role":"user","content":[
                    {"type":"tool_result","tool_use_id":"toolu_01","content":"18 degrees, cloudy"},
                    {"type":"tool_result","tool_use_id":"toolu_02","content":"error: the weather service timed out",
                     "is_error":true},
                    {"type":"text","text":"Answer in German."}]}],
                 "tools":[{"name":"get_weather","description":"Get the current weather in a given location",
                   "input_schema":{"type":"object","properties":{"location":{"type":"string",
                     "description":"The city and state, e.g. San Francisco, CA"}},"required":["location"]}},
                  {"name":"get_time","input_schema":{"type":"object"}}]}"""));
    }

    @Test
    void toolResultsComeFirstInTheirUserMessage() throws Exception {
        server.then(json(200, PLAIN_ANSWER));
        List<ChatMessage> history = List.of(ChatMessage.user("Look up A and B."),
                ChatMessage.assistant("", List.of(new ToolCall("toolu_a", "lookup", Map.of("q", "A")),
                        new ToolCall("toolu_b", "lookup", Map.of("q", "B")))),
                ChatMessage.toolResult("toolu_a", "A is 1"),
                ChatMessage.user("Hurry, please."), // written while the tools ran
                ChatMessage.toolResult("toolu_b", "B is 2"));

        fixture.provider().chat(new ChatRequest(null, null, history, List.of(), 0));

        JsonNode messages = server.last().json().get("messages");
        assertThat(messages).hasSize(3);
        assertThat(messages.get(1)).isEqualTo(parse("""
                {"role":"assistant","content":[{"type":"tool_use","id":"toolu_a","name":"lookup","input":{"q":"A"}},
                  {"type":"tool_use","id":"toolu_b","name":"lookup","input":{"q":"B"}}]}"""));
        assertThat(messages.get(2)).isEqualTo(parse("""
                {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_a","content":"A is 1"},
                  {"type":"tool_result","tool_use_id":"toolu_b","content":"B is 2"},
                  {"type":"text","text":"Hurry, please."}]}"""));
    }

    @Test
    void messagesOfOneRoleInARowAreMerged() throws Exception {
        server.then(json(200, PLAIN_ANSWER));
        List<ChatMessage> history = List.of(ChatMessage.user("Hi"), ChatMessage.user("Are you there?"),
                ChatMessage.assistant("Yes.", List.of()), ChatMessage.assistant("How can I help?", List.of()),
                ChatMessage.user("One"), ChatMessage.assistant("", List.of()), ChatMessage.user("Two"));

        fixture.provider().chat(new ChatRequest(null, null, history, List.of(), 0));

        assertThat(server.last().json().get("messages")).isEqualTo(parse("""
                [{"role":"user","content":[{"type":"text","text":"Hi"},{"type":"text","text":"Are you there?"}]},
                 {"role":"assistant","content":[{"type":"text","text":"Yes."},{"type":"text","text":"How can I help?"}]},
                 {"role":"user","content":[{"type":"text","text":"One"},{"type":"text","text":"Two"}]}]"""));
    }

    @Test
    void imagesAndEmptyMessagesBecomeWhatTheApiTakes() throws Exception {
        server.then(json(200, PLAIN_ANSWER));
        Media jpg = new Media("image/JPG", new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF});
        Media bmp = new Media("image/bmp", new byte[] {'B', 'M'});
        List<ChatMessage> history = List.of(
                new ChatMessage(Role.USER, List.of(new ContentPart.Text(" "), new ContentPart.Image(jpg),
                        new ContentPart.Image(bmp)), List.of(), null),
                ChatMessage.assistant("", List.of(new ToolCall("toolu_c", "chart", Map.of()))),
                new ChatMessage(Role.TOOL, List.of(new ContentPart.Text("the chart:"), new ContentPart.Image(jpg)),
                        List.of(), "toolu_c"),
                ChatMessage.assistant("Done.", List.of()),
                new ChatMessage(Role.USER, List.of(), List.of(), null),
                ChatMessage.assistant("Anything else?", List.of()),
                ChatMessage.toolResult("toolu_d", ""));

        fixture.provider().chat(new ChatRequest(null, null, history, List.of(), 0));

        assertThat(server.last().json().get("messages")).isEqualTo(parse("""
                [{"role":"user","content":[
                   {"type":"image","source":{"type":"base64","media_type":"image/jpeg","data":"/9j/"}},
                   {"type":"text","text":"[an image of type image/bmp, which the model cannot read]"}]},
                 {"role":"assistant","content":[{"type":"tool_use","id":"toolu_c","name":"chart","input":{}}]},
                 {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_c","content":[
                   {"type":"text","text":"the chart:"},
                   {"type":"image","source":{"type":"base64","media_type":"image/jpeg","data":"/9j/"}}]}]},
                 {"role":"assistant","content":[{"type":"text","text":"Done."}]},
                 {"role":"user","content":[{"type":"text","text":"[empty message]"}]},
                 {"role":"assistant","content":[{"type":"text","text":"Anything else?"}]},
                 {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_d"}]}]"""));
    }

    @Test
    void thePublicConstructorReadsTheConfigurationAndTheContextsSecrets() throws Exception {
        server.then(json(200, PLAIN_ANSWER));
        List<String> logged = new CopyOnWriteArrayList<>();
        Secrets secrets = (Secrets) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Secrets.class},
                (proxy, method, args) -> method.getName().equals("get")
                        ? Optional.ofNullable(args[0].equals(AnthropicConnection.API_KEY) ? Secret.of(KEY) : null)
                        : null);
        PluginContext context = (PluginContext) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {PluginContext.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "instanceId" -> "claude";
                    case "secrets" -> secrets;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        Logger logger = (Logger) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Logger.class},
                (proxy, method, args) -> {
                    if (args != null && args.length == 2 && args[0].equals("{}")) {
                        logged.add(method.getName() + " " + args[1]);
                    }
                    return method.getReturnType() == boolean.class ? Boolean.TRUE : null;
                });
        AnthropicProvider.Config config = AnthropicSettingsTest.config(Map.of("baseUrl", server.baseUrl(),
                "model", "claude-haiku-4-5", "maxTokens", 77, "maxRetries", 0));

        AnthropicProvider provider = new AnthropicProvider(config, context, logger);
        provider.chat(HELLO);

        assertThat(provider.id()).isEqualTo("claude");
        FakeAnthropic.Received sent = fixture.only();
        assertThat(sent.header("x-api-key")).isEqualTo(KEY);
        assertThat(sent.json().get("model").asText()).isEqualTo("claude-haiku-4-5");
        assertThat(sent.json().get("max_tokens").asInt()).isEqualTo(77);
        assertThat(logged).singleElement().asString().startsWith("debug " + messagesUrl() + " answered 200 in ");
    }

    // --- answers

    @Test
    void aToolCallIsAnsweredAndItsResultFedBack() throws Exception {
        fixture.secrets.put(AnthropicConnection.API_KEY, KEY);
        server.then(json(200, TOOL_USE_ANSWER)).then(json(200, PLAIN_ANSWER));
        AnthropicProvider provider = fixture.provider();
        List<ChatMessage> history = new ArrayList<>(List.of(ChatMessage.user("What's the weather like in San "
                + "Francisco?")));

        ChatResponse first = provider.chat(new ChatRequest(null, null, history, List.of(WEATHER), 0));

        assertThat(first.text()).isEqualTo("I'll check the current weather in San Francisco for you.");
        assertThat(first.toolCalls()).containsExactly(new ToolCall("toolu_01A09q90qw90lq917835lq9", "get_weather",
                Map.of("location", "San Francisco, CA", "unit", "celsius")));
        assertThat(first.stopReason()).isEqualTo(StopReason.TOOL_USE);
        // the prompt cache's reads and writes are input too
        assertThat(first.usage()).isEqualTo(new Usage(472 + 1024 + 2048, 89));

        history.add(ChatMessage.assistant(first.text(), first.toolCalls()));
        history.add(ChatMessage.toolResult("toolu_01A09q90qw90lq917835lq9", "15 degrees"));
        provider.chat(new ChatRequest(null, null, history, List.of(WEATHER), 0));

        JsonNode messages = server.last().json().get("messages");
        assertThat(messages.get(1)).isEqualTo(parse("""
                {"role":"assistant","content":[
                  {"type":"text","text":"I'll check the current weather in San Francisco for you."},
                  {"type":"tool_use","id":"toolu_01A09q90qw90lq917835lq9","name":"get_weather",
                   "input":{"location":"San Francisco, CA","unit":"celsius"}}]}"""));
        assertThat(messages.get(2)).isEqualTo(parse("""
                {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_01A09q90qw90lq917835lq9",
                  "content":"15 degrees"}]}"""));
    }

    @Test
    void textBlocksAreJoinedAndThinkingIsLeftOut() throws Exception {
        server.then(json(200, """
                {"id":"msg_01","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929",
                 "content":[{"type":"thinking","thinking":"Let me add them.","signature":"EqQBCgIYAhIM1gbcDa9GJwZA"},
                   {"type":"redacted_thinking","data":"EmwKAhgBEgy3va3pzix/LafPsn4a"},
                   {"type":"text","text":"The sum "},{"type":"text","text":"is 42."}],
                 "stop_reason":"max_tokens","stop_sequence":null,"usage":{"input_tokens":10,"output_tokens":20}}"""));

        ChatResponse response = fixture.provider().chat(HELLO);

        assertThat(response).isEqualTo(new ChatResponse("The sum is 42.", List.of(), StopReason.MAX_TOKENS,
                new Usage(10, 20)));
    }

    @Test
    void aToolCallWithoutInputHasNoArgumentsAndAnAnswerWithoutUsageCountsNothing() throws Exception {
        server.then(json(200, """
                {"id":"msg_02","type":"message","role":"assistant","content":[
                  {"type":"tool_use","id":"toolu_x","name":"get_time","input":null}],"stop_reason":"end_turn"}"""));

        ChatResponse response = fixture.provider().chat(HELLO);

        assertThat(response.toolCalls()).containsExactly(new ToolCall("toolu_x", "get_time", Map.of()));
        assertThat(response.stopReason()).as("it calls a tool").isEqualTo(StopReason.TOOL_USE);
        assertThat(response.usage()).isEqualTo(Usage.NONE);
    }

    @Test
    void stopReasonsMap() {
        assertThat(Messages.stopReason("end_turn", false)).isEqualTo(StopReason.END_TURN);
        assertThat(Messages.stopReason("stop_sequence", false)).isEqualTo(StopReason.END_TURN);
        assertThat(Messages.stopReason("end_turn", true)).isEqualTo(StopReason.TOOL_USE);
        assertThat(Messages.stopReason("tool_use", true)).isEqualTo(StopReason.TOOL_USE);
        assertThat(Messages.stopReason("max_tokens", false)).isEqualTo(StopReason.MAX_TOKENS);
        assertThat(Messages.stopReason("max_tokens", true)).isEqualTo(StopReason.MAX_TOKENS);
        assertThat(Messages.stopReason("model_context_window_exceeded", false)).isEqualTo(StopReason.MAX_TOKENS);
        assertThat(Messages.stopReason("refusal", false)).isEqualTo(StopReason.CONTENT_FILTER);
        assertThat(Messages.stopReason("pause_turn", false)).isEqualTo(StopReason.OTHER);
        assertThat(Messages.stopReason("something_new", false)).isEqualTo(StopReason.OTHER);
        assertThat(Messages.stopReason(null, false)).isEqualTo(StopReason.END_TURN);
        assertThat(Messages.stopReason(null, true)).isEqualTo(StopReason.TOOL_USE);
    }

    @Test
    void answersOfTheWrongShapeAreExplained() {
        server.then(json(200, "{\"id\":\"msg_03\",\"type\":\"message\",\"content\":\"Hi\"}"))
                .then(json(200, "{\"type\":\"message\",\"content\":[{\"type\":\"tool_use\",\"name\":\"get_time\","
                        + "\"input\":{}}]}"))
                .then(json(200, "{\"type\":\"message\",\"content\":[{\"type\":\"tool_use\",\"id\":\"toolu_y\","
                        + "\"name\":\"get_weather\",\"input\":\"Paris\"}]}"));
        AnthropicProvider provider = fixture.provider();

        PluginException noContent = catchThrowableOfType(PluginException.class, () -> provider.chat(HELLO));
        PluginException noId = catchThrowableOfType(PluginException.class, () -> provider.chat(HELLO));
        PluginException notAnObject = catchThrowableOfType(PluginException.class, () -> provider.chat(HELLO));

        assertThat(noContent).hasMessage("expected 'content' to be a list of blocks in the answer of " + messagesUrl()
                + ", found an object with fields [id, type, content]");
        assertThat(noId).hasMessage("expected an id and a name in tool call #1 of the answer of " + messagesUrl()
                + ", found no id and name 'get_time'");
        assertThat(notAnObject).hasMessage("the model called tool 'get_weather' with input that is not a JSON object: "
                + "\"Paris\"");
        assertThat(noContent.retryable()).isFalse();
    }

    @Test
    void anErrorWithStatus200IsNotAnAnswer() {
        server.then(json(200, "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}"));

        HttpException e = catchThrowableOfType(HttpException.class, () -> fixture.provider().chat(HELLO));

        assertThat(e).hasMessage(messagesUrl() + " answered with an error: Overloaded (overloaded_error)");
        assertThat(e.retryable()).isTrue();
        assertThat(e.providerCode()).contains("overloaded_error");
    }

    @Test
    void malformedJsonIsExplained() {
        String body = "{\"id\":\"msg_04\",\"type\":\"message\",\"content\":[{\"type\":\"text\",\"text\":\"Hal";
        server.then(json(200, body));

        HttpException e = catchThrowableOfType(HttpException.class, () -> fixture.provider().chat(HELLO));

        assertThat(e).hasMessage("expected a JSON answer from " + messagesUrl() + ", found application/json ("
                + body.getBytes(StandardCharsets.UTF_8).length + " bytes): " + body + " (Unexpected end-of-input in VALUE_STRING)");
        assertThat(e.status()).isEqualTo(200);
        assertThat(e.retryable()).isFalse();
        assertThat(fixture.sleeps).isEmpty();
    }

    // --- failures

    @Test
    void aWrongKeyIsReportedInAnthropicsWordsWithoutTheKey() {
        fixture.secrets.put(AnthropicConnection.API_KEY, KEY);
        server.then(INVALID_KEY);

        HttpException e = catchThrowableOfType(HttpException.class, () -> fixture.provider().chat(HELLO));

        assertThat(e).hasMessage(messagesUrl() + " answered 401 Unauthorized: invalid x-api-key");
        assertThat(e.status()).isEqualTo(401);
        assertThat(e.retryable()).isFalse();
        assertThat(e.providerMessage()).contains("invalid x-api-key");
        assertThat(e.providerCode()).contains("authentication_error");
        assertNoSecret(e);
        assertThat(server.received()).hasSize(1);
        assertThat(fixture.sleeps).isEmpty();
    }

    @Test
    void aRefusedOAuthTokenOrMissingCredentialSaysWhatToDo() {
        server.then(error(401, "authentication_error", "OAuth token has expired. Please obtain a new token or refresh "
                + "your existing token.")).then(error(401, "authentication_error", "x-api-key header is required"));

        fixture.secrets.put(AnthropicConnection.AUTH_TOKEN, TOKEN);
        HttpException expired = catchThrowableOfType(HttpException.class, () -> fixture.provider().chat(HELLO));
        fixture.secrets.clear();
        HttpException missing = catchThrowableOfType(HttpException.class, () -> fixture.provider().chat(HELLO));

        assertThat(expired).hasMessage(messagesUrl() + " answered 401 Unauthorized: OAuth token has expired. Please "
                + "obtain a new token or refresh your existing token. (an OAuth access token expires and is not "
                + "refreshed here: put a new one into 'authToken', or use an API key in 'apiKey' and remove "
                + "'authToken')");
        assertThat(expired.status()).isEqualTo(401);
        assertThat(expired.retryable()).isFalse();
        assertThat(expired.providerCode()).contains("authentication_error");
        assertNoSecret(expired);
        assertThat(missing).hasMessage(messagesUrl() + " answered 401 Unauthorized: x-api-key header is required "
                + "(the instance has no credential: put an API key into its secret 'apiKey')");
        assertThat(missing.providerMessage()).contains("x-api-key header is required");
    }

    @Test
    void withoutACredentialAnthropicItselfIsNotCalled() {
        fixture.secrets.put(AnthropicConnection.API_KEY, "");
        AnthropicProvider provider = fixture.provider(fixture.settings(AnthropicSettings.DEFAULT_BASE_URL,
                "claude-sonnet-4-5", List.of(), 2));
        List<String> deltas = new ArrayList<>();
        String expected = "the instance has no API key: put an Anthropic API key (from console.anthropic.com) into "
                + "its secret 'apiKey', or an OAuth access token into 'authToken'";

        PluginException chat = catchThrowableOfType(PluginException.class, () -> provider.chat(HELLO));
        PluginException stream = catchThrowableOfType(PluginException.class, () -> provider.chat(HELLO, deltas::add));
        ConnectionTestResult test = provider.testConnection();
        List<String> models = provider.models();

        assertThat(chat).isExactlyInstanceOf(PluginException.class).hasMessage(expected);
        assertThat(chat.retryable()).isFalse();
        assertThat(stream).hasMessage(expected);
        assertThat(test).isEqualTo(ConnectionTestResult.failed(expected));
        assertThat(models).containsExactly("claude-sonnet-4-5");
        assertThat(deltas).isEmpty();
        // no attempt was made: a call to an unreachable host would have been retried (a wait) and logged
        assertThat(fixture.sleeps).isEmpty();
        assertThat(fixture.logLines).containsExactly("instance 'main' cannot list the models: " + expected);
    }

    @Test
    void aRequestTheApiRefusesIsNotRepeated() {
        server.then(error(400, "invalid_request_error", "max_tokens: 300000 > 64000, which is the maximum allowed "
                + "number of output tokens for claude-sonnet-4-5-20250929"));

        HttpException e = catchThrowableOfType(HttpException.class, () -> fixture.provider()
                .chat(new ChatRequest(null, null, List.of(ChatMessage.user("Hi")), List.of(), 300000)));

        assertThat(e).hasMessage(messagesUrl() + " answered 400 Bad Request: max_tokens: 300000 > 64000, which is "
                + "the maximum allowed number of output tokens for claude-sonnet-4-5-20250929");
        assertThat(e.providerCode()).contains("invalid_request_error");
        assertThat(e.retryable()).isFalse();
        assertThat(server.received()).hasSize(1);
    }

    @Test
    void aSecretEchoedByAGatewayIsMasked() {
        fixture.secrets.put(AnthropicConnection.API_KEY, KEY);
        server.then(error(403, "permission_error", "key " + KEY + " may not use this workspace"))
                .then(json(200, "<html>bad gateway for " + KEY + "</html>"));
        AnthropicProvider provider = fixture.provider();

        HttpException refused = catchThrowableOfType(HttpException.class, () -> provider.chat(HELLO));
        HttpException garbled = catchThrowableOfType(HttpException.class, () -> provider.chat(HELLO));

        assertThat(refused).hasMessage(messagesUrl() + " answered 403 Forbidden: key ****** may not use this "
                + "workspace");
        assertThat(refused.providerMessage()).contains("key ****** may not use this workspace");
        assertThat(garbled.getMessage()).contains("): <html>bad gateway for ******</html> (Unexpected character");
        assertNoSecret(refused);
        assertNoSecret(garbled);
    }

    @Test
    void rateLimitedWaitsAsToldThenSucceeds() throws Exception {
        fixture.secrets.put(AnthropicConnection.API_KEY, KEY);
        server.then(answer(429, Map.of("Content-Type", "application/json", "retry-after", "7",
                "anthropic-ratelimit-requests-remaining", "0"), "{\"type\":\"error\",\"error\":{\"type\":"
                        + "\"rate_limit_error\",\"message\":\"Number of request tokens has exceeded your per-minute "
                        + "rate limit\"},\"request_id\":\"req_011CSHoEeqs5C35K2UUqR7Fy\"}"))
                .then(json(200, PLAIN_ANSWER));

        ChatResponse response = fixture.provider().chat(HELLO);

        assertThat(response.text()).isEqualTo("Hi! My name is Claude.");
        assertThat(fixture.sleeps).containsExactly(Duration.ofSeconds(7));
        assertThat(server.received()).hasSize(2);
        assertThat(server.received().get(1).json()).isEqualTo(server.received().get(0).json());
        assertThat(server.received().get(1).header("x-api-key")).isEqualTo(KEY);
        assertThat(fixture.logLines).anyMatch(line -> line.equals(messagesUrl() + " answered 429 Too Many Requests: "
                + "Number of request tokens has exceeded your per-minute rate limit; retrying in 7 s (attempt 2 of 3)"));
    }

    @Test
    void aRateLimitWithAWaitTooLongEndsTheCall() {
        server.then(answer(429, Map.of("Content-Type", "application/json", "retry-after", "600"),
                "{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"Rate limited\"}}"));

        HttpException e = catchThrowableOfType(HttpException.class, () -> fixture.provider().chat(HELLO));

        assertThat(e).hasMessage(messagesUrl() + " answered 429 Too Many Requests: Rate limited (it asked to wait "
                + "600 s, longer than the 60 s this client waits)");
        assertThat(e.retryable()).isTrue();
        assertThat(e.retryAfter()).contains(Duration.ofSeconds(600));
        assertThat(fixture.sleeps).isEmpty();
        assertThat(server.received()).hasSize(1);
    }

    @Test
    void aServerErrorIsRetriedThenSucceeds() throws Exception {
        server.then(error(500, "api_error", "Internal server error")).then(json(200, PLAIN_ANSWER));

        ChatResponse response = fixture.provider().chat(HELLO);

        assertThat(response.text()).isEqualTo("Hi! My name is Claude.");
        assertThat(server.received()).hasSize(2);
        assertThat(fixture.sleeps).singleElement().satisfies(wait -> assertThat(wait)
                .isLessThanOrEqualTo(Duration.ofMillis(500)));
    }

    @Test
    void overloadedIsRetriedUpToTheLimitThenReported() {
        server.then(error(529, "overloaded_error", "Overloaded")).then(error(529, "overloaded_error", "Overloaded"))
                .then(error(529, "overloaded_error", "Overloaded")).then(json(200, PLAIN_ANSWER));

        HttpException e = catchThrowableOfType(HttpException.class, () -> fixture.provider().chat(HELLO));

        assertThat(e).hasMessage(messagesUrl() + " answered 529 Overloaded: Overloaded (gave up after 3 attempts)");
        assertThat(e.status()).isEqualTo(529);
        assertThat(e.retryable()).isTrue();
        assertThat(e.providerCode()).contains("overloaded_error");
        assertThat(server.received()).as("one call and the two retries the settings allow").hasSize(3);
        assertThat(fixture.sleeps).hasSize(2);
        assertThat(fixture.sleeps.get(0)).isLessThanOrEqualTo(Duration.ofMillis(500));
        assertThat(fixture.sleeps.get(1)).isLessThanOrEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void withoutRetriesAFailureIsReportedAtOnce() {
        server.then(error(500, "api_error", "Internal server error"));

        HttpException e = catchThrowableOfType(HttpException.class, () -> fixture.provider(fixture.settings(
                server.baseUrl(), "claude-sonnet-4-5", List.of(), 0)).chat(HELLO));

        assertThat(e).hasMessage(messagesUrl() + " answered 500 Internal Server Error: Internal server error");
        assertThat(e.retryable()).isTrue();
        assertThat(server.received()).hasSize(1);
        assertThat(fixture.sleeps).isEmpty();
    }

    @Test
    void aDroppedConnectionIsRetriedAndThenReported() throws Exception {
        fixture.secrets.put(AnthropicConnection.API_KEY, KEY);
        server.then(drop()).then(json(200, PLAIN_ANSWER));

        ChatResponse response = fixture.provider().chat(HELLO);

        assertThat(response.text()).isEqualTo("Hi! My name is Claude.");
        assertThat(server.received()).hasSize(2);
        assertThat(fixture.sleeps).hasSize(1);

        server.then(drop()).then(drop()).then(drop());
        HttpException e = catchThrowableOfType(HttpException.class, () -> fixture.provider().chat(HELLO));

        assertThat(e.getMessage()).startsWith(messagesUrl() + " failed: the connection broke before a complete answer")
                .endsWith("(gave up after 3 attempts)");
        assertThat(e.retryable()).isTrue();
        assertThat(server.received()).hasSize(5);
        assertNoSecret(e);
    }

    // --- models and the connection test

    private static String model(String id, String name) {
        return "{\"type\":\"model\",\"id\":\"" + id + "\",\"display_name\":\"" + name + "\","
                + "\"created_at\":\"2025-09-29T00:00:00Z\"}";
    }

    private static FakeAnthropic.Answer models(boolean hasMore, String... models) {
        List<String> ids = new ArrayList<>();
        for (String m : models) {
            ids.add(m.replaceAll(".*\"id\":\"([^\"]+)\".*", "$1"));
        }
        return json(200, "{\"data\":[" + String.join(",", models) + "],\"has_more\":" + hasMore + ",\"first_id\":"
                + (ids.isEmpty() ? "null" : "\"" + ids.get(0) + "\"") + ",\"last_id\":"
                + (ids.isEmpty() ? "null" : "\"" + ids.get(ids.size() - 1) + "\"") + "}");
    }

    @Test
    void theConnectionTestListsEveryPageOfModels() {
        fixture.secrets.put(AnthropicConnection.API_KEY, KEY);
        server.then(models(true, model("claude-sonnet-4-5-20250929", "Claude Sonnet 4.5"),
                model("claude-opus-4-1-20250805", "Claude Opus 4.1")))
                .then(models(false, model("claude-opus-4-20250514", "Claude Opus 4")));

        ConnectionTestResult result = fixture.provider().testConnection();

        assertThat(result).isEqualTo(ConnectionTestResult.ok("reached " + server.baseUrl() + " with the API key: it "
                + "lists 3 models, among them 'claude-sonnet-4-5-20250929' for the configured model "
                + "'claude-sonnet-4-5'"));
        assertThat(server.received()).extracting(FakeAnthropic.Received::path).containsExactly(
                "/v1/models?limit=1000", "/v1/models?limit=1000&after_id=claude-opus-4-1-20250805");
        FakeAnthropic.Received sent = server.received().get(0);
        assertThat(sent.method()).isEqualTo("GET");
        assertThat(sent.header("x-api-key")).isEqualTo(KEY);
        assertThat(sent.header("anthropic-version")).isEqualTo("2023-06-01");
        assertThat(sent.body()).isEmpty();
    }

    @Test
    void theConnectionTestSaysWhetherTheModelIsListed() {
        server.then(models(false, model("claude-opus-4-1-20250805", "Claude Opus 4.1"),
                model("claude-opus-4-20250514", "Claude Opus 4")))
                .then(models(false, model("claude-opus-4-1-20250805", "Claude Opus 4.1"),
                        model("claude-opus-4-20250514", "Claude Opus 4")))
                .then(models(false, model("claude-sonnet-4-5-20250929", "Claude Sonnet 4.5")));
        fixture.secrets.put(AnthropicConnection.AUTH_TOKEN, TOKEN);

        ConnectionTestResult exact = fixture.provider(fixture.settings(server.baseUrl(), "claude-opus-4-20250514",
                List.of(), 0)).testConnection();
        ConnectionTestResult snapshot = fixture.provider(fixture.settings(server.baseUrl(), "claude-opus-4",
                List.of(), 0)).testConnection();
        ConnectionTestResult missing = fixture.provider(fixture.settings(server.baseUrl(), "claude-sonnet-4",
                List.of(), 0)).testConnection();

        assertThat(exact).isEqualTo(ConnectionTestResult.ok("reached " + server.baseUrl() + " with the OAuth token: "
                + "it lists 2 models, among them the configured model 'claude-opus-4-20250514'"));
        // the dated snapshot of an alias, not another model whose id merely starts alike (claude-opus-4-1-...)
        assertThat(snapshot).isEqualTo(ConnectionTestResult.ok("reached " + server.baseUrl() + " with the OAuth "
                + "token: it lists 2 models, among them 'claude-opus-4-20250514' for the configured model "
                + "'claude-opus-4'"));
        assertThat(missing).isEqualTo(ConnectionTestResult.ok("reached " + server.baseUrl() + " with the OAuth token: "
                + "it lists 1 models; the configured model 'claude-sonnet-4' is not among them"));
        assertThat(server.last().header("Authorization")).isEqualTo("Bearer " + TOKEN);
        assertThat(server.last().header("anthropic-beta")).isEqualTo("oauth-2025-04-20");
    }

    @Test
    void theConnectionTestFailsOnAWrongKey() {
        fixture.secrets.put(AnthropicConnection.API_KEY, KEY);
        server.then(INVALID_KEY);

        ConnectionTestResult result = fixture.provider().testConnection();

        assertThat(result).isEqualTo(ConnectionTestResult.failed("GET " + server.baseUrl() + "/v1/models?limit=1000 "
                + "answered 401 Unauthorized: invalid x-api-key"));
        assertThat(result.message()).doesNotContain(KEY);
        assertThat(server.received()).hasSize(1);
        assertThat(fixture.sleeps).isEmpty();
    }

    @Test
    void theConnectionTestReportsAnUnexpectedModelList() {
        server.then(json(200, "{\"models\":[\"claude-sonnet-4-5\"]}"));

        assertThat(fixture.provider().testConnection()).isEqualTo(ConnectionTestResult.failed("expected "
                + "{\"data\":[{\"id\":...}]} from GET " + server.baseUrl() + "/v1/models?limit=1000, found an object "
                + "with fields [models]"));
    }

    @Test
    void modelPagesEndWhenTheyStopComingAndAtABound() throws Exception {
        server.then(models(true, model("a-1", "A")))
                .then(json(200, "{\"data\":[],\"has_more\":true,\"first_id\":null,\"last_id\":\"a-1\"}"));
        AnthropicConnection connection = new AnthropicConnection(fixture.settings(), key -> Optional.empty(),
                JsonHttpClient.builder().build());
        AnthropicConnection.Credential none = connection.credential();

        assertThat(connection.modelIds(none)).containsExactly("a-1");
        assertThat(server.received()).hasSize(2);

        for (int i = 0; i < 25; i++) {
            server.then(models(true, model("m-" + i, "M")));
        }
        List<String> ids = connection.modelIds(none);

        assertThat(ids).as("a service that always has more is asked 20 times").hasSize(20).startsWith("m-0", "m-1")
                .endsWith("m-19");
        assertThat(server.received()).hasSize(22);
        assertThat(server.last().path()).isEqualTo("/v1/models?limit=1000&after_id=m-18");
    }

    @Test
    void modelsListsTheConfiguredModelFirstAndOnce() {
        server.then(models(false, model("claude-sonnet-4-5-20250929", "Claude Sonnet 4.5"),
                model("claude-opus-4-1-20250805", "Claude Opus 4.1")))
                .then(models(false, model("claude-sonnet-4-5-20250929", "Claude Sonnet 4.5"),
                        model("claude-opus-4-1-20250805", "Claude Opus 4.1")));

        List<String> alias = fixture.provider().models();
        List<String> listed = fixture.provider(fixture.settings(server.baseUrl(), "claude-opus-4-1-20250805",
                List.of(), 0)).models();

        assertThat(alias).containsExactly("claude-sonnet-4-5", "claude-sonnet-4-5-20250929",
                "claude-opus-4-1-20250805");
        assertThat(listed).containsExactly("claude-opus-4-1-20250805", "claude-sonnet-4-5-20250929");
    }

    @Test
    void modelsFallsBackToTheConfiguredModel() {
        server.then(error(404, "not_found_error", "Not found"));

        assertThat(fixture.provider().models()).containsExactly("claude-sonnet-4-5");
        assertThat(fixture.logLines).contains("instance 'main' cannot list the models: GET " + server.baseUrl()
                + "/v1/models?limit=1000 answered 404 Not Found: Not found");
    }
}
