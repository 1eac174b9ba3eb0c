package io.grambot.http;

import static io.grambot.http.FakeServer.answer;
import static io.grambot.http.FakeServer.drop;
import static io.grambot.http.FakeServer.events;
import static io.grambot.http.FakeServer.eventsThenDrop;
import static io.grambot.http.FakeServer.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.grambot.api.PluginException;
import io.grambot.api.Secret;

class JsonHttpClientTest {

    private static final String KEY = "sk-test-0123456789abcdef";

    private final FakeServer server;
    private final List<Duration> sleeps = new CopyOnWriteArrayList<>();
    private final List<String> logLines = new CopyOnWriteArrayList<>();
    private final Clock clock = Clock.fixed(Instant.parse("2026-03-01T12:00:00Z"), ZoneOffset.UTC);

    JsonHttpClientTest() throws IOException {
        server = new FakeServer();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private JsonHttpClient.Builder client() {
        return JsonHttpClient.builder().retry(RetryPolicy.retries(2)).sleeper(sleeps::add).clock(clock)
                .random(() -> 0.5).timeout(Duration.ofSeconds(10)).log(new HttpLog() {
                    @Override
                    public void debug(String message) {
                        logLines.add("DEBUG " + message);
                    }

                    @Override
                    public void warn(String message) {
                        logLines.add("WARN " + message);
                    }
                });
    }

    @Test
    void postsJsonAndReadsJson() throws Exception {
        server.then(json(200, "{\"answer\":42}"));

        JsonNode answer = client().build().json(ApiRequest.post(server.uri("/v1/things?x=1"), Map.of("q", "life"))
                .bearer(Secret.of(KEY)).header("OpenAI-Organization", "org-1"));

        assertThat(answer.get("answer").asInt()).isEqualTo(42);
        FakeServer.Received sent = server.received().get(0);
        assertThat(sent.method()).isEqualTo("POST");
        assertThat(sent.pathAndQuery()).isEqualTo("/v1/things?x=1");
        assertThat(sent.body()).isEqualTo("{\"q\":\"life\"}");
        assertThat(sent.header("Content-Type")).isEqualTo("application/json");
        assertThat(sent.header("Accept")).isEqualTo("application/json");
        assertThat(sent.header("Authorization")).isEqualTo("Bearer " + KEY);
        assertThat(sent.header("OpenAI-Organization")).isEqualTo("org-1");
        assertThat(sent.header("User-Agent")).isEqualTo("Grambot");
        assertThat(sleeps).isEmpty();
        assertThat(logLines).singleElement().asString().startsWith("DEBUG POST " + server.uri("/v1/things?x=1")
                + " answered 200 in ");
    }

    @Test
    void honoursRetryAfterSecondsThenSucceeds() throws Exception {
        server.then(answer(429, Map.of("Retry-After", "7", "Content-Type", "application/json"),
                "{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\"}}"))
                .then(json(200, "{\"ok\":true}"));

        JsonNode answer = client().build().json(ApiRequest.get(server.uri("/models")));

        assertThat(answer.get("ok").asBoolean()).isTrue();
        assertThat(server.received()).hasSize(2);
        assertThat(sleeps).containsExactly(Duration.ofSeconds(7));
        assertThat(logLines).anySatisfy(line -> assertThat(line).isEqualTo("WARN GET " + server.uri("/models")
                + " answered 429 Too Many Requests: Rate limit reached; retrying in 7 s (attempt 2 of 3)"));
    }

    @Test
    void honoursRetryAfterHttpDate() throws Exception {
        server.then(answer(503, Map.of("Retry-After", "Sun, 01 Mar 2026 12:00:03 GMT"), ""))
                .then(json(200, "{}"));

        client().build().json(ApiRequest.get(server.uri("/")));

        assertThat(sleeps).containsExactly(Duration.ofSeconds(3));
    }

    @Test
    void backsOffWithJitterOnServerErrorsThenSucceeds() throws Exception {
        server.then(json(500, "{\"error\":{\"message\":\"boom\"}}")).then(json(502, "<html>bad gateway</html>"))
                .then(json(200, "{\"n\":1}"));

        JsonNode answer = client().build().json(ApiRequest.get(server.uri("/")));

        assertThat(answer.get("n").asInt()).isEqualTo(1);
        // full jitter with random 0.5: half of 0.5 s, then half of 1 s
        assertThat(sleeps).containsExactly(Duration.ofMillis(250), Duration.ofMillis(500));
    }

    @Test
    void givesUpAfterMaxAttemptsWithTheLastStatusAndMessage() {
        for (int i = 0; i < 3; i++) {
            server.then(json(500, "{\"error\":{\"message\":\"The server had an error\",\"type\":\"server_error\"}}"));
        }

        HttpException e = catchThrowableOfType(HttpException.class,
                () -> client().build().json(ApiRequest.get(server.uri("/v1/models"))));

        assertThat(e.status()).isEqualTo(500);
        assertThat(e.retryable()).isTrue();
        assertThat(e.providerMessage()).contains("The server had an error");
        assertThat(e.providerCode()).contains("server_error");
        assertThat(e).hasMessage("GET " + server.uri("/v1/models") + " answered 500 Internal Server Error: "
                + "The server had an error (gave up after 3 attempts)");
        assertThat(server.received()).hasSize(3);
        assertThat(sleeps).hasSize(2);
    }

    @Test
    void doesNotRetryClientErrorsAndNeverShowsTheSecret() {
        // the service echoes the key, in the body and in its message
        server.then(json(401, "{\"error\":{\"message\":\"Incorrect API key provided: " + KEY
                + "\",\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}"));
        Secret key = Secret.of(KEY);

        HttpException e = catchThrowableOfType(HttpException.class,
                () -> client().build().json(ApiRequest.get(server.uri("/v1/models?key=" + KEY)).bearer(key)));

        assertThat(e.status()).isEqualTo(401);
        assertThat(e.retryable()).isFalse();
        assertThat(e).hasMessage("GET " + server.uri("/v1/models?key=******") + " answered 401 Unauthorized: "
                + "Incorrect API key provided: ******");
        assertThat(e.providerMessage()).contains("Incorrect API key provided: ******");
        assertThat(server.received()).hasSize(1);
        assertThat(sleeps).isEmpty();
        assertThat(logLines).noneMatch(line -> line.contains(KEY));
    }

    @Test
    void aWaitLongerThanThePolicyAllowsEndsTheCallWithTheWait() {
        server.then(answer(429, Map.of("Retry-After", "3600"), ""));

        HttpException e = catchThrowableOfType(HttpException.class,
                () -> client().build().json(ApiRequest.get(server.uri("/"))));

        assertThat(e.retryAfter()).contains(Duration.ofHours(1));
        assertThat(e.retryable()).isTrue();
        assertThat(e.getMessage()).endsWith("answered 429 Too Many Requests: no details (it asked to wait 3600 s, "
                + "longer than the 60 s this client waits)");
        assertThat(sleeps).isEmpty();
    }

    @Test
    void theRetryAfterCapDoesNotLimitOurOwnBackoff() throws Exception {
        server.then(json(500, "{}")).then(json(200, "{}"));

        client().retry(new RetryPolicy(2, Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(1)))
                .build().json(ApiRequest.get(server.uri("/")));

        assertThat(sleeps).containsExactly(Duration.ofSeconds(5));
    }

    @Test
    void aHookReadsTheWaitFromTheBody() throws Exception {
        server.then(json(429, "{\"ok\":false,\"error_code\":429,\"description\":\"Too Many Requests: retry after 4\","
                + "\"parameters\":{\"retry_after\":4}}")).then(json(200, "{\"ok\":true}"));

        client().retryAfterHook((status, body) -> RetryAfter.seconds(body.at("/parameters/retry_after"))).build()
                .json(ApiRequest.get(server.uri("/")));

        assertThat(sleeps).containsExactly(Duration.ofSeconds(4));
    }

    @Test
    void retriesARefusedConnectionAndSaysSo() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        URI uri = URI.create("http://127.0.0.1:" + closedPort + "/v1/models");

        HttpException e = catchThrowableOfType(HttpException.class,
                () -> client().build().json(ApiRequest.get(uri)));

        assertThat(e).hasMessage("cannot connect to http://127.0.0.1:" + closedPort + " for GET " + uri
                + " (connection refused) (gave up after 3 attempts)");
        assertThat(e.retryable()).isTrue();
        assertThat(e.status()).isZero();
        assertThat(sleeps).hasSize(2);
    }

    @Test
    void retriesADroppedConnection() throws Exception {
        // a POST: the JDK client repeats an idempotent GET on a closed connection once by itself
        server.then(drop()).then(json(200, "{\"fine\":true}"));

        JsonNode answer = client().build().json(ApiRequest.post(server.uri("/"), Map.of()));

        assertThat(answer.get("fine").asBoolean()).isTrue();
        assertThat(server.received()).hasSize(2);
        assertThat(sleeps).containsExactly(Duration.ofMillis(250));
        assertThat(logLines).anySatisfy(line -> assertThat(line).startsWith("WARN POST " + server.uri("/")
                + " failed: the connection broke before a complete answer"));
    }

    @Test
    void anAnswerThatIsNotJsonSaysWhatWasFound() {
        server.then(answer(200, Map.of("Content-Type", "text/html"), "<html>\n<body>Welcome to nginx</body></html>"));

        HttpException e = catchThrowableOfType(HttpException.class,
                () -> client().build().json(ApiRequest.get(server.uri("/v1/models"))));

        assertThat(e).hasMessageStartingWith("expected a JSON answer from GET " + server.uri("/v1/models")
                + ", found text/html (43 bytes): <html> <body>Welcome to nginx</body></html> (Unexpected character ('<'");
        assertThat(e.retryable()).isFalse();
        assertThat(e.status()).isEqualTo(200);
    }

    @Test
    void aCutOffAnswerSaysWhyItIsNotJson() {
        server.then(answer(200, Map.of("Content-Type", "application/json"), "{\"data\":[{\"b64_json\":\"iVBOR"));

        assertThatThrownBy(() -> client().build().json(ApiRequest.get(server.uri("/"))))
                .hasMessageContaining("found application/json").hasMessageContaining("Unexpected end-of-input");
    }

    @Test
    void aStringLongerThanJacksonsDefaultLimitIsRead() throws Exception {
        String image = "A".repeat(25_000_000); // a large image as base64: over Jackson's 20 million characters
        server.then(answer(200, Map.of("Content-Type", "application/json"), "{\"b64_json\":\"" + image + "\"}"));

        JsonNode answer = client().build().json(ApiRequest.get(server.uri("/")));

        assertThat(answer.get("b64_json").asText()).hasSize(25_000_000);
    }

    @Test
    void anEmptyAnswerIsNotJson() {
        server.then(answer(200, Map.of(), ""));

        assertThatThrownBy(() -> client().build().json(ApiRequest.get(server.uri("/"))))
                .hasMessageEndingWith("found an empty body");
    }

    @Test
    void timesOutWaitingForHeadersWithoutRetrying() {
        server.then(server.hang());

        HttpException e = catchThrowableOfType(HttpException.class, () -> client().build()
                .json(ApiRequest.get(server.uri("/slow")).timeout(Duration.ofMillis(300))));

        assertThat(e).hasMessage("GET " + server.uri("/slow") + " got no complete answer within 300 ms");
        assertThat(e.retryable()).isTrue();
        assertThat(server.received()).hasSize(1);
    }

    @Test
    void timesOutWhenTheBodyStalls() {
        server.then(server.stall(200, "application/json", "{\"partial\":"));

        HttpException e = catchThrowableOfType(HttpException.class, () -> client().build()
                .json(ApiRequest.get(server.uri("/stall")).timeout(Duration.ofMillis(300))));

        assertThat(e).hasMessage("GET " + server.uri("/stall") + " got no complete answer within 300 ms");
    }

    @Test
    void refusesAnAnswerLargerThanTheLimit() {
        server.then(json(200, "{\"big\":\"" + "x".repeat(5000) + "\"}"));

        HttpException e = catchThrowableOfType(HttpException.class,
                () -> client().maxBodyBytes(1000).build().json(ApiRequest.get(server.uri("/"))));

        assertThat(e).hasMessageEndingWith("the answer is larger than the 1000 bytes this client reads");
        assertThat(e.retryable()).isFalse();
    }

    @Test
    void refusesUrlsItCannotCall() {
        assertThatThrownBy(() -> client().build().json(ApiRequest.get(URI.create("ftp://example.org/x"))))
                .hasMessage("expected an http or https URL with a host, found GET ftp://example.org/x");
    }

    @Test
    void streamsEventsSplitAnywhereIncludingInsideACharacter() throws Exception {
        byte[] all = "data: {\"t\":\"Grüße\"}\r\n\r\nevent: done\r\ndata: [DONE]\r\n\r\n".getBytes(StandardCharsets.UTF_8);
        int inUmlaut = "data: {\"t\":\"Gr".length() + 1; // between the two bytes of 'ü'
        server.then(FakeServer.eventBytes(Arrays.copyOfRange(all, 0, inUmlaut),
                Arrays.copyOfRange(all, inUmlaut, inUmlaut + 15), Arrays.copyOfRange(all, inUmlaut + 15, all.length)));
        List<SseEvent> got = new ArrayList<>();

        client().build().stream(ApiRequest.post(server.uri("/stream"), Map.of("stream", true)), got::add);

        assertThat(got).containsExactly(new SseEvent("message", "{\"t\":\"Grüße\"}", ""),
                new SseEvent("done", "[DONE]", ""));
        assertThat(server.received().get(0).header("Accept")).isEqualTo("text/event-stream");
    }

    @Test
    void aStreamThatBreaksAfterEventsIsNotRepeated() {
        server.then(eventsThenDrop("data: one\n\n", "data: tw"));
        List<String> got = new ArrayList<>();

        HttpException e = catchThrowableOfType(HttpException.class, () -> client().build()
                .stream(ApiRequest.post(server.uri("/stream"), Map.of()), event -> got.add(event.data())));

        assertThat(got).containsExactly("one");
        assertThat(e.getMessage()).startsWith("the event stream of POST " + server.uri("/stream")
                + " ended early after 1 events: the connection broke");
        assertThat(e.retryable()).isTrue();
        assertThat(server.received()).hasSize(1);
    }

    @Test
    void aStreamThatBreaksBeforeAnyEventIsRepeated() throws Exception {
        server.then(eventsThenDrop(": warming up\n")).then(events("data: ok\n\n"));
        List<String> got = new ArrayList<>();

        client().build().stream(ApiRequest.post(server.uri("/stream"), Map.of()), event -> got.add(event.data()));

        assertThat(got).containsExactly("ok");
        assertThat(server.received()).hasSize(2);
    }

    @Test
    void aStreamThatStallsEndsWithATimeout() {
        server.then(server.stall(200, "text/event-stream", "data: first\n\n"));
        List<String> got = new ArrayList<>();

        HttpException e = catchThrowableOfType(HttpException.class, () -> client().build().stream(
                ApiRequest.post(server.uri("/s"), Map.of()).timeout(Duration.ofMillis(300)), ev -> got.add(ev.data())));

        assertThat(got).containsExactly("first");
        assertThat(e).hasMessage("the event stream of POST " + server.uri("/s")
                + " ended early after 1 events: no data for 300 ms");
    }

    @Test
    void aJsonAnswerToAStreamRequestIsExplained() {
        server.then(json(200, "{\"error\":{\"message\":\"streaming is not supported\"}}"));

        HttpException e = catchThrowableOfType(HttpException.class, () -> client().build()
                .stream(ApiRequest.post(server.uri("/s"), Map.of()), event -> {}));

        assertThat(e).hasMessage("expected a stream of server-sent events (text/event-stream) from POST "
                + server.uri("/s") + ", found an error: streaming is not supported");
    }

    @Test
    void aStreamErrorStatusIsRetriedLikeAnyCall() throws Exception {
        server.then(answer(429, Map.of("Retry-After", "1"), "")).then(events("data: x\n\n"));
        List<String> got = new ArrayList<>();

        client().build().stream(ApiRequest.post(server.uri("/s"), Map.of()), event -> got.add(event.data()));

        assertThat(got).containsExactly("x");
        assertThat(sleeps).containsExactly(Duration.ofSeconds(1));
    }

    @Test
    void aListenerFailureEndsTheStreamWithItsOwnException() {
        server.then(events("data: 1\n\n", "data: 2\n\n"));

        assertThatThrownBy(() -> client().build().stream(ApiRequest.post(server.uri("/s"), Map.of()), event -> {
            throw new PluginException("listener saw " + event.data());
        })).isExactlyInstanceOf(PluginException.class).hasMessage("listener saw 1");
        assertThat(server.received()).hasSize(1);
    }

    @Test
    void sendReturnsRawBytesAndHeaders() throws Exception {
        server.then(answer(200, Map.of("Content-Type", "image/png"), "PNG!"));

        ApiResponse response = client().build().send(ApiRequest.get(server.uri("/file")));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.contentType()).isEqualTo("image/png");
        assertThat(response.text()).isEqualTo("PNG!");
    }

    @Test
    void requestToStringMasksSecrets() {
        ApiRequest request = ApiRequest.get(URI.create("https://api.telegram.org/bot123:ABC/getMe"))
                .secret(Secret.of("123:ABC"));

        assertThat(request).hasToString("GET https://api.telegram.org/bot******/getMe");
        assertThat(ApiRequest.get(URI.create("http://h/")).header("x-api-key", "k-1").secrets()).contains("k-1");
    }
}
