package io.grambot.plugin.anthropic.internal;

import static io.grambot.plugin.anthropic.internal.FakeAnthropic.drop;
import static io.grambot.plugin.anthropic.internal.FakeAnthropic.error;
import static io.grambot.plugin.anthropic.internal.FakeAnthropic.event;
import static io.grambot.plugin.anthropic.internal.ProviderFixture.KEY;
import static io.grambot.plugin.anthropic.internal.ProviderFixture.TOKEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.grambot.api.PluginException;
import io.grambot.api.inference.ChatMessage;
import io.grambot.api.inference.ChatRequest;
import io.grambot.api.inference.ChatResponse;
import io.grambot.api.inference.ChatResponse.StopReason;
import io.grambot.api.inference.ChatResponse.Usage;
import io.grambot.api.inference.ToolCall;
import io.grambot.http.HttpException;

/** Streamed answers: Anthropic's typed server-sent events, delivered in pieces cut wherever the network cuts them. */
class MessagesStreamTest {

    private static final ChatRequest HELLO = new ChatRequest(null, null, List.of(ChatMessage.user("Hello")),
            List.of(), 0);

    private static final String MESSAGE_START = event("message_start", """
            {"type":"message_start","message":{"id":"msg_1nZdL29xx5MUA1yADyHTEsnR8uuvGzszyY","type":"message",\
            "role":"assistant","content":[],"model":"claude-sonnet-4-5-20250929","stop_reason":null,\
            "stop_sequence":null,"usage":{"input_tokens":25,"cache_creation_input_tokens":0,\
            "cache_read_input_tokens":100,"output_tokens":1}}}""");
    private static final String PING = event("ping", "{\"type\": \"ping\"}");
    private static final String MESSAGE_STOP = event("message_stop", "{\"type\":\"message_stop\"}");

    /** Text with umlauts and an emoji, then a tool call whose input comes in pieces, as Anthropic streams it. */
    private static final String TOOL_STREAM = String.join("",
            MESSAGE_START,
            event("content_block_start",
                    "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"),
            PING,
            // one event with CRLF line ends, as a proxy may write them
            "event: content_block_delta\r\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":"
                    + "{\"type\":\"text_delta\",\"text\":\"Grüß\"}}\r\n\r\n",
            textDelta(0, " dich! 👋 Ich sehe nach."),
            stop(0),
            event("content_block_start", "{\"type\":\"content_block_start\",\"index\":1,\"content_block\":"
                    + "{\"type\":\"tool_use\",\"id\":\"toolu_01T1x1fJ34qAmk2tNTrN7Up6\",\"name\":\"get_weather\","
                    + "\"input\":{}}}"),
            inputDelta(1, ""),
            inputDelta(1, "{\\\"location\\\":"),
            inputDelta(1, " \\\"Zür"),
            inputDelta(1, "ich\\\""),
            inputDelta(1, ", \\\"unit\\\": \\\"cel"),
            inputDelta(1, "sius\\\"}"),
            stop(1),
            messageDelta("tool_use", 89),
            MESSAGE_STOP);

    private final ProviderFixture fixture;
    private final FakeAnthropic server;

    MessagesStreamTest() throws IOException {
        fixture = new ProviderFixture();
        server = fixture.server;
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    private static String textDelta(int index, String text) {
        return event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":" + index
                + ",\"delta\":{\"type\":\"text_delta\",\"text\":\"" + text + "\"}}");
    }

    /** @param partialJson the piece as it stands in the event's JSON, that is with its quotes escaped */
    private static String inputDelta(int index, String partialJson) {
        return event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":" + index
                + ",\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"" + partialJson + "\"}}");
    }

    private static String stop(int index) {
        return event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":" + index + "}");
    }

    private static String messageDelta(String stopReason, int outputTokens) {
        return event("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"" + stopReason
                + "\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":" + outputTokens + "}}");
    }

    private static FakeAnthropic.Answer stream(String... events) {
        return FakeAnthropic.stream(List.of(String.join("", events).getBytes(StandardCharsets.UTF_8)));
    }

    private String messagesUrl() {
        return "POST " + server.baseUrl() + "/v1/messages";
    }

    private void assertTheToolStreamArrived(ChatResponse response, List<String> deltas) {
        assertThat(deltas).containsExactly("Grüß", " dich! 👋 Ich sehe nach.");
        assertThat(response).isEqualTo(new ChatResponse("Grüß dich! 👋 Ich sehe nach.",
                List.of(new ToolCall("toolu_01T1x1fJ34qAmk2tNTrN7Up6", "get_weather",
                        Map.of("location", "Zürich", "unit", "celsius"))),
                StopReason.TOOL_USE, new Usage(25 + 100, 89)));
    }

    @Test
    void textAndAToolCallArriveWhereverThePiecesAreCut() throws Exception {
        fixture.secrets.put(AnthropicConnection.API_KEY, KEY);
        byte[] bytes = TOOL_STREAM.getBytes(StandardCharsets.UTF_8);
        int inUmlaut = indexOf(bytes, "Grü", 0) + 3; // between the two bytes of 'ü'
        int inSharpS = indexOf(bytes, "Grüß", 0) + 5; // between the two bytes of 'ß'
        int inEmoji = indexOf(bytes, "👋", 0) + 2; // in the middle of its four bytes
        int inCrLf = indexOf(bytes, "\r\n\r\n", 0) + 1; // between CR and LF
        int inField = indexOf(bytes, "event: content_block_stop", 0) + 3; // "eve|nt:"
        int inPiece = indexOf(bytes, "Zür", 0) + 2; // between the two bytes of the tool input's 'ü'
        int inData = indexOf(bytes, "data: {\"type\":\"message_delta\"", 0) + 20; // inside the JSON
        int[] cuts = {0, 7, inUmlaut, inSharpS, inEmoji, inCrLf, inField, inPiece, inData, bytes.length};
        Arrays.sort(cuts);
        List<byte[]> pieces = new ArrayList<>();
        for (int i = 1; i < cuts.length; i++) {
            pieces.add(Arrays.copyOfRange(bytes, cuts[i - 1], cuts[i]));
        }
        server.then(FakeAnthropic.stream(pieces));
        List<String> deltas = new ArrayList<>();

        ChatResponse response = fixture.provider().chat(new ChatRequest(null, "Be brief.",
                List.of(ChatMessage.user("Wie ist das Wetter in Zürich?")), List.of(), 0), deltas::add);

        assertTheToolStreamArrived(response, deltas);
        FakeAnthropic.Received sent = fixture.only();
        assertThat(sent.path()).isEqualTo("/v1/messages");
        assertThat(sent.header("Accept")).isEqualTo("text/event-stream");
        assertThat(sent.header("x-api-key")).isEqualTo(KEY);
        assertThat(sent.header("anthropic-version")).isEqualTo("2023-06-01");
        assertThat(sent.json().get("stream").asBoolean()).isTrue();
        assertThat(sent.json().get("system").asText()).isEqualTo("Be brief.");
        assertThat(sent.json().get("max_tokens").asInt()).isEqualTo(1024);
    }

    @Test
    void textAndAToolCallArriveOneByteAtATime() throws Exception {
        byte[] bytes = TOOL_STREAM.getBytes(StandardCharsets.UTF_8);
        List<byte[]> pieces = new ArrayList<>();
        for (byte b : bytes) {
            pieces.add(new byte[] {b});
        }
        server.then(FakeAnthropic.stream(pieces));
        List<String> deltas = new ArrayList<>();

        ChatResponse response = fixture.provider().chat(HELLO, deltas::add);

        assertTheToolStreamArrived(response, deltas);
    }

    @Test
    void thinkingIsNotPassedOnAndAToolWithoutPiecesKeepsItsStartInput() throws Exception {
        server.then(stream(MESSAGE_START,
                event("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":"
                        + "{\"type\":\"thinking\",\"thinking\":\"\"}}"),
                event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":"
                        + "{\"type\":\"thinking_delta\",\"thinking\":\"The user wants the time.\"}}"),
                event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":"
                        + "{\"type\":\"signature_delta\",\"signature\":\"EqQBCgIYAhIM1gbcDa9GJwZA\"}}"),
                stop(0),
                event("content_block_start", "{\"type\":\"content_block_start\",\"index\":1,\"content_block\":"
                        + "{\"type\":\"text\",\"text\":\"\"}}"),
                textDelta(1, "Checking."),
                stop(1),
                event("content_block_start", "{\"type\":\"content_block_start\",\"index\":2,\"content_block\":"
                        + "{\"type\":\"tool_use\",\"id\":\"toolu_time\",\"name\":\"get_time\",\"input\":{}}}"),
                stop(2),
                event("some_future_event", "{\"type\":\"some_future_event\",\"index\":9}"),
                messageDelta("tool_use", 12),
                MESSAGE_STOP));
        List<String> deltas = new ArrayList<>();

        ChatResponse response = fixture.provider().chat(HELLO, deltas::add);

        assertThat(deltas).containsExactly("Checking.");
        assertThat(response).isEqualTo(new ChatResponse("Checking.", List.of(new ToolCall("toolu_time", "get_time",
                Map.of())), StopReason.TOOL_USE, new Usage(125, 12)));
    }

    @Test
    void aToolInputCutOffByTheTokenLimitIsDropped() throws Exception {
        server.then(stream(MESSAGE_START,
                event("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":"
                        + "{\"type\":\"tool_use\",\"id\":\"toolu_w\",\"name\":\"get_weather\",\"input\":{}}}"),
                inputDelta(0, "{\\\"location\\\": \\\"Par"),
                stop(0),
                messageDelta("max_tokens", 1024),
                MESSAGE_STOP));

        ChatResponse response = fixture.provider().chat(HELLO, delta -> {});

        assertThat(response).isEqualTo(new ChatResponse("", List.of(), StopReason.MAX_TOKENS, new Usage(125, 1024)));
    }

    @Test
    void aToolInputThatIsNotJsonIsExplained() {
        server.then(stream(MESSAGE_START,
                event("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":"
                        + "{\"type\":\"tool_use\",\"id\":\"toolu_w\",\"name\":\"get_weather\",\"input\":{}}}"),
                inputDelta(0, "{\\\"location\\\": "),
                stop(0),
                messageDelta("tool_use", 30),
                MESSAGE_STOP));

        PluginException e = catchThrowableOfType(PluginException.class,
                () -> fixture.provider().chat(HELLO, delta -> {}));

        assertThat(e).hasMessage("the model called tool 'get_weather' with input that is not a JSON object in the "
                + "stream of " + messagesUrl() + ": {\"location\": ");
    }

    @Test
    void anErrorEventEndsTheCallInAnthropicsWords() {
        server.then(stream(MESSAGE_START, textDelta(0, "Hal"),
                event("error", "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}"),
                textDelta(0, "lo")));
        List<String> deltas = new ArrayList<>();

        HttpException e = catchThrowableOfType(HttpException.class, () -> fixture.provider().chat(HELLO, deltas::add));

        assertThat(e).hasMessage(messagesUrl() + " reported an error in its event stream: Overloaded (overloaded_error)");
        assertThat(e.retryable()).isTrue();
        assertThat(e.providerMessage()).contains("Overloaded");
        assertThat(e.providerCode()).contains("overloaded_error");
        assertThat(deltas).as("nothing after the error").containsExactly("Hal");
        assertThat(server.received()).as("part of the answer was passed on: not repeated").hasSize(1);
    }

    @Test
    void anErrorEventThatIsNotRetryableSaysSo() {
        fixture.secrets.put(AnthropicConnection.API_KEY, KEY);
        server.then(stream(event("error", "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\","
                + "\"message\":\"prompt is too long: 210000 tokens > 200000 maximum\"}}")));

        HttpException e = catchThrowableOfType(HttpException.class, () -> fixture.provider().chat(HELLO, d -> {}));

        assertThat(e).hasMessage(messagesUrl() + " reported an error in its event stream: prompt is too long: 210000 "
                + "tokens > 200000 maximum (invalid_request_error)");
        assertThat(e.retryable()).isFalse();
    }

    @Test
    void aStreamThatEndsBeforeMessageStopIsAnError() {
        server.then(stream(MESSAGE_START,
                event("content_block_start",
                        "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"),
                textDelta(0, "Hal")));
        List<String> deltas = new ArrayList<>();

        HttpException e = catchThrowableOfType(HttpException.class, () -> fixture.provider().chat(HELLO, deltas::add));

        assertThat(e).hasMessage("the event stream of " + messagesUrl() + " ended before the answer was complete "
                + "(no message_stop)");
        assertThat(e.retryable()).isTrue();
        assertThat(deltas).containsExactly("Hal");
        assertThat(server.received()).hasSize(1);
    }

    @Test
    void aStreamThatDropsAfterTextFailsWithoutRepeating() {
        fixture.secrets.put(AnthropicConnection.API_KEY, KEY);
        server.then(FakeAnthropic.streamThenDrop(MESSAGE_START, PING, textDelta(0, "Hal")));
        List<String> deltas = new ArrayList<>();

        HttpException e = catchThrowableOfType(HttpException.class, () -> fixture.provider().chat(HELLO, deltas::add));

        assertThat(deltas).containsExactly("Hal");
        assertThat(e.getMessage()).startsWith("the event stream of " + messagesUrl() + " ended early after 3 events: "
                + "the connection broke").doesNotContain(KEY);
        assertThat(e.retryable()).isTrue();
        assertThat(server.received()).hasSize(1);
        assertThat(fixture.sleeps).isEmpty();
    }

    @Test
    void aConnectionDroppedBeforeTheFirstEventIsRetried() throws Exception {
        server.then(drop()).then(FakeAnthropic.stream(List.of(TOOL_STREAM.getBytes(StandardCharsets.UTF_8))));
        List<String> deltas = new ArrayList<>();

        ChatResponse response = fixture.provider().chat(HELLO, deltas::add);

        assertTheToolStreamArrived(response, deltas);
        assertThat(server.received()).hasSize(2);
        assertThat(fixture.sleeps).hasSize(1);
    }

    @Test
    void aRefusedStreamIsReportedLikeAnyCall() {
        fixture.secrets.put(AnthropicConnection.AUTH_TOKEN, TOKEN);
        server.then(error(401, "authentication_error", "Invalid bearer token"));
        List<String> deltas = new ArrayList<>();

        HttpException e = catchThrowableOfType(HttpException.class, () -> fixture.provider().chat(HELLO, deltas::add));

        assertThat(e).hasMessageStartingWith(messagesUrl() + " answered 401 Unauthorized: Invalid bearer token (an "
                + "OAuth access token expires");
        assertThat(e.status()).isEqualTo(401);
        assertThat(e.getMessage()).doesNotContain(TOKEN);
        assertThat(deltas).isEmpty();
        assertThat(server.last().header("Authorization")).isEqualTo("Bearer " + TOKEN);
    }

    @Test
    void overloadedBeforeTheStreamIsRetried() throws Exception {
        server.then(error(529, "overloaded_error", "Overloaded"))
                .then(stream(MESSAGE_START, textDelta(0, "Hi"), messageDelta("end_turn", 2), MESSAGE_STOP));
        List<String> deltas = new ArrayList<>();

        ChatResponse response = fixture.provider().chat(HELLO, deltas::add);

        assertThat(response).isEqualTo(new ChatResponse("Hi", List.of(), StopReason.END_TURN, new Usage(125, 2)));
        assertThat(deltas).containsExactly("Hi");
        assertThat(server.received()).hasSize(2);
        assertThat(fixture.sleeps).hasSize(1);
    }

    @Test
    void anEventThatIsNotJsonIsExplainedWithoutTheKey() {
        fixture.secrets.put(AnthropicConnection.API_KEY, KEY);
        server.then(stream(MESSAGE_START, "event: content_block_delta\ndata: <html>proxy error for " + KEY
                + "</html>\n\n"));

        PluginException e = catchThrowableOfType(PluginException.class, () -> fixture.provider().chat(HELLO, d -> {}));

        assertThat(e).hasMessage("expected a JSON object in every event of the stream of " + messagesUrl()
                + ", found: <html>proxy error for ******</html>");
    }

    @Test
    void aDeltaWithoutIndexIsExplained() {
        server.then(stream(MESSAGE_START, event("content_block_delta",
                "{\"type\":\"content_block_delta\",\"delta\":{\"type\":\"text_delta\",\"text\":\"Hi\"}}")));

        PluginException e = catchThrowableOfType(PluginException.class, () -> fixture.provider().chat(HELLO, d -> {}));

        assertThat(e).hasMessage("expected an 'index' in every content_block_delta event in the answer of "
                + messagesUrl() + ", found an object with fields [type, delta]");
    }

    private static int indexOf(byte[] bytes, String text, int from) {
        byte[] part = text.getBytes(StandardCharsets.UTF_8);
        outer:
        for (int i = from; i + part.length <= bytes.length; i++) {
            for (int j = 0; j < part.length; j++) {
                if (bytes[i + j] != part[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found: " + text);
    }
}
