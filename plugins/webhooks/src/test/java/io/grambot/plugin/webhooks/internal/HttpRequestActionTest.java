package io.grambot.plugin.webhooks.internal;

import static io.grambot.plugin.webhooks.internal.Configs.settings;
import static io.grambot.plugin.webhooks.internal.Configs.values;
import static io.grambot.plugin.webhooks.internal.FakeServer.answer;
import static io.grambot.plugin.webhooks.internal.FakeServer.drop;
import static io.grambot.plugin.webhooks.internal.FakeServer.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.grambot.api.PluginException;
import io.grambot.api.action.ActionContext;
import io.grambot.api.action.ActionResult;
import io.grambot.api.action.ActionRetry;

class HttpRequestActionTest {

    private static final ActionContext ATTEMPT = new ActionContext() {
        @Override
        public String invokedBy() {
            return "flow:orders/run-1";
        }

        @Override
        public int attempt() {
            return 1;
        }

        @Override
        public boolean cancelled() {
            return false;
        }
    };

    private final FakeServer server;
    private final RecordingLog log = new RecordingLog();

    HttpRequestActionTest() throws Exception {
        server = new FakeServer();
    }

    @AfterEach
    void close() {
        server.close();
    }

    /** The action of an instance with these settings; 127.0.0.1 (the fake) allowed unless they say otherwise. */
    private HttpRequestAction action(Object... settings) {
        Map<String, Object> values = new LinkedHashMap<>(values("allowedHosts", "127.0.0.1"));
        values.putAll(values(settings));
        return new Webhooks("hooks", "webhooks", settings(values), key -> Optional.empty(), log,
                new RecordingWhiteboard(), Clock.systemUTC()).action();
    }

    private ActionResult run(HttpRequestAction action, Object... payload) throws PluginException {
        return action.execute(values(payload), ATTEMPT);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    private PluginException failure(HttpRequestAction action, Object... payload) {
        return catchThrowableOfType(PluginException.class, () -> run(action, payload));
    }

    @Test
    void aPostSendsTheJsonBodyAndHeadersAndReturnsStatusHeadersAndParsedBody() throws Exception {
        server.then(answer(201, Map.of("Content-Type", "application/json; charset=utf-8", "Location", "/orders/42"),
                "{\"id\":42,\"state\":\"created\",\"lines\":[{\"sku\":\"a\",\"qty\":2}]}"));

        ActionResult result = run(action(), "url", server.base() + "/orders?source=flow", "method", "POST",
                "headers", Map.of("X-Request-Id", "r-1", "Idempotency-Key", "k-9"),
                "body", Map.of("amount", 150, "items", List.of("a", "b")));

        FakeServer.Received request = server.last();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/orders");
        assertThat(request.rawQuery()).isEqualTo("source=flow");
        assertThat(request.header("Content-Type")).isEqualTo("application/json");
        assertThat(request.header("X-Request-Id")).isEqualTo("r-1");
        assertThat(request.header("Idempotency-Key")).isEqualTo("k-9");
        assertThat(request.header("Accept")).isEqualTo("application/json, */*;q=0.8");
        assertThat(request.header("User-Agent")).isEqualTo("Grambot-Webhooks");
        assertThat(new ObjectMapper().readTree(request.body()))
                .isEqualTo(new ObjectMapper().readTree("{\"amount\":150,\"items\":[\"a\",\"b\"]}"));

        assertThat(result.output().get("status")).isEqualTo(201);
        assertThat(result.output().get("body")).isEqualTo(Map.of("id", 42, "state", "created",
                "lines", List.of(Map.of("sku", "a", "qty", 2))));
        assertThat(map(result.output().get("headers"))).containsEntry("location", "/orders/42")
                .containsEntry("content-type", "application/json; charset=utf-8");
        assertThat(result.output()).doesNotContainKey("bodyEncoding");
        assertThat(result.text()).isEqualTo("POST " + server.base() + "/orders?source=flow answered 201 (57 bytes)");
    }

    @Test
    void theMethodIsPostUnlessThePayloadSaysOtherwise() throws Exception {
        server.then(json(200, "{}"));

        run(action(), "url", server.base() + "/x", "body", Map.of("a", 1));

        assertThat(server.last().method()).isEqualTo("POST");
    }

    @ParameterizedTest
    @ValueSource(strings = { "PUT", "PATCH", "DELETE", "put" })
    void otherMethodsAreSentAsNamed(String method) throws Exception {
        server.then(json(200, "{\"ok\":true}"));

        run(action(), "url", server.base() + "/orders/42", "method", method, "body", Map.of("state", "paid"));

        assertThat(server.last().method()).isEqualTo(method.toUpperCase());
        assertThat(server.last().text()).isEqualTo("{\"state\":\"paid\"}");
    }

    @Test
    void aGetHasNoBodyAndATextAnswerIsReturnedAsText() throws Exception {
        server.then(answer(200, Map.of("Content-Type", "text/plain; charset=utf-8"), "pong ✓"));

        ActionResult result = run(action(), "url", server.base() + "/ping", "method", "GET");

        assertThat(server.last().method()).isEqualTo("GET");
        assertThat(server.last().body()).isEmpty();
        assertThat(server.last().header("Content-Type")).isNull();
        assertThat(result.output().get("body")).isEqualTo("pong ✓");
    }

    @Test
    void aMalformedJsonAnswerIsReturnedAsText() throws Exception {
        server.then(json(200, "{\"id\":42,"));

        ActionResult result = run(action(), "url", server.base() + "/orders", "body", Map.of());

        assertThat(result.output().get("status")).isEqualTo(200);
        assertThat(result.output().get("body")).isEqualTo("{\"id\":42,");
    }

    @Test
    void anEmptyAnswerHasAnEmptyBodyAJsonNullIsTextAndABinaryOneIsBase64() throws Exception {
        server.then(answer(204, Map.of(), ""));
        server.then(FakeServer.bytes(200, Map.of("Content-Type", "image/png"), new byte[] { (byte) 0x89, 'P', 'N',
                'G', (byte) 0xff }));

        server.then(json(200, "null"));

        ActionResult empty = run(action(), "url", server.base() + "/a", "method", "DELETE");
        ActionResult binary = run(action(), "url", server.base() + "/b", "method", "GET");
        ActionResult jsonNull = run(action(), "url", server.base() + "/c", "method", "GET");

        assertThat(empty.output()).containsEntry("status", 204).containsEntry("body", "");
        assertThat(jsonNull.output()).containsEntry("body", "null");
        assertThat(binary.output()).containsEntry("body", "iVBOR/8=").containsEntry("bodyEncoding", "base64");
    }

    @Test
    void aTextBodyWithANonJsonContentTypeIsSentAsItIs() throws Exception {
        server.then(json(200, "{}"));
        server.then(json(200, "{}"));

        run(action(), "url", server.base() + "/t", "headers", Map.of("Content-Type", "text/csv"),
                "body", "id,amount\n42,150\n");
        run(action(), "url", server.base() + "/j", "headers", Map.of("content-type", "application/vnd.api+json"),
                "body", "quoted");

        assertThat(server.received().get(0).header("Content-Type")).isEqualTo("text/csv");
        assertThat(server.received().get(0).text()).isEqualTo("id,amount\n42,150\n");
        assertThat(server.received().get(1).header("Content-Type")).isEqualTo("application/vnd.api+json");
        assertThat(server.received().get(1).text()).isEqualTo("\"quoted\"");
    }

    @Test
    void withNoAllowedHostsEveryCallIsRefusedWithWhatToSet() {
        PluginException e = failure(action("allowedHosts", ""), "url", server.base() + "/orders");

        assertThat(e).hasMessage("http_request: instance 'hooks' may call no host yet: set its setting "
                + "'allowedHosts' to the hosts http_request may call, separated by commas (such as "
                + "'api.example.org, *.example.com'; '*' allows every host)");
        assertThat(e.retryable()).isFalse();
        assertThat(server.received()).isEmpty();
    }

    @Test
    void aHostThatIsNotAllowedIsRefusedBeforeAnyRequest() {
        HttpRequestAction action = action("allowedHosts", "api.example.org, *.example.com");

        PluginException local = failure(action, "url", server.base() + "/orders");
        PluginException parent = failure(action, "url", "https://example.com/");
        PluginException lookalike = failure(action, "url", "https://api.example.org.evil.net/");
        PluginException userInfo = failure(action, "url", "https://api.example.org@169.254.169.254/latest/meta-data");

        assertThat(local).hasMessage("http_request: the host '127.0.0.1' is not among the hosts instance 'hooks' may "
                + "call (api.example.org, *.example.com): add it to the setting 'allowedHosts'");
        assertThat(local.retryable()).isFalse();
        assertThat(parent).hasMessageContaining("the host 'example.com' is not among");
        assertThat(lookalike).hasMessageContaining("the host 'api.example.org.evil.net' is not among");
        assertThat(userInfo).hasMessage("http_request: 'url' must not carry a user name or password: send "
                + "credentials in a header");
        assertThat(server.received()).isEmpty();
    }

    @Test
    void aStarAllowsEveryHost() throws Exception {
        server.then(json(200, "{}"));

        run(action("allowedHosts", "*"), "url", server.base().replace("127.0.0.1", "localhost") + "/any");

        assertThat(server.received()).hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(ints = { 400, 401, 403, 404, 409, 422 })
    void aClientErrorFailsForGoodWithTheServersMessage(int status) {
        server.then(json(status, "{\"error\":{\"message\":\"order 42 cannot be paid twice\",\"code\":\"dup\"}}"));

        PluginException e = failure(action(), "url", server.base() + "/orders/42/pay");

        assertThat(e.retryable()).isFalse();
        assertThat(e.status()).isEqualTo(status);
        assertThat(e.getMessage()).startsWith("POST " + server.base() + "/orders/42/pay answered " + status)
                .endsWith(": order 42 cannot be paid twice");
        assertThat(server.received()).hasSize(1);
    }

    @Test
    void aPlainTextErrorIsQuoted() {
        server.then(answer(404, Map.of("Content-Type", "text/plain"), "no such order"));

        PluginException e = failure(action(), "url", server.base() + "/orders/7", "method", "GET");

        assertThat(e).hasMessage("GET " + server.base() + "/orders/7 answered 404 Not Found: text/plain (13 bytes): "
                + "no such order");
    }

    @Test
    void tooManyRequestsIsRetryableWithTheWaitTheServerAskedFor() {
        server.then(answer(429, Map.of("Content-Type", "application/json", "Retry-After", "7"),
                "{\"message\":\"slow down\"}"));

        PluginException e = failure(action(), "url", server.base() + "/orders");

        assertThat(e.retryable()).isTrue();
        assertThat(e.status()).isEqualTo(429);
        assertThat(e.retryAfter()).contains(Duration.ofSeconds(7));
        assertThat(e).hasMessage("POST " + server.base() + "/orders answered 429 Too Many Requests: slow down");
        assertThat(server.received()).as("the invoker retries, not the client").hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(ints = { 408, 500, 502, 503 })
    void timeoutsAndServerErrorsAreRetryable(int status) {
        server.then(json(status, "{\"error\":\"try later\"}"));

        PluginException e = failure(action(), "url", server.base() + "/orders");

        assertThat(e.retryable()).isTrue();
        assertThat(e.status()).isEqualTo(status);
        assertThat(e.retryAfter()).isEmpty();
        assertThat(server.received()).hasSize(1);
    }

    @Test
    void aDroppedConnectionIsRetryable() {
        server.then(drop());

        PluginException e = failure(action(), "url", server.base() + "/orders");

        assertThat(e.retryable()).isTrue();
        assertThat(e.status()).isZero();
        assertThat(e.getMessage()).startsWith("POST " + server.base() + "/orders failed: the connection broke "
                + "before a complete answer");
    }

    @Test
    void aRefusedConnectionIsRetryable() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }

        PluginException e = failure(action(), "url", "http://127.0.0.1:" + port + "/orders");

        assertThat(e.retryable()).isTrue();
        assertThat(e).hasMessage("cannot connect to http://127.0.0.1:" + port + " for POST http://127.0.0.1:" + port
                + "/orders (connection refused)");
    }

    @Test
    void anAnswerThatTakesLongerThanThePayloadsTimeoutIsRetryable() {
        server.then(server.hang());

        PluginException e = failure(action(), "url", server.base() + "/slow", "timeoutSeconds", 1);

        assertThat(e.retryable()).isTrue();
        assertThat(e).hasMessage("POST " + server.base() + "/slow got no complete answer within 1 s");
    }

    @Test
    void aRedirectIsNotFollowed() {
        server.then(answer(302, Map.of("Location", "http://169.254.169.254/"), ""));

        PluginException e = failure(action(), "url", server.base() + "/moved", "method", "GET");

        assertThat(e.retryable()).isFalse();
        assertThat(e.status()).isEqualTo(302);
        assertThat(server.received()).hasSize(1);
    }

    @Test
    void credentialsInTheHeadersAreMaskedInErrors() {
        server.then(json(401, "{\"error\":\"token tok-123456 is not valid\"}"));

        PluginException e = failure(action(), "url", server.base() + "/me", "method", "GET",
                "headers", Map.of("Authorization", "Bearer tok-123456"));

        assertThat(e.getMessage()).doesNotContain("tok-123456").endsWith("token ****** is not valid");
        assertThat(server.last().header("Authorization")).isEqualTo("Bearer tok-123456");
        assertThat(String.join("\n", log.lines)).doesNotContain("tok-123456");
    }

    @Test
    void payloadsTheSchemaRefusesAreRefusedByTheActionToo() {
        HttpRequestAction action = action();

        assertThat(failure(action)).hasMessage("http_request: 'url' must be an http or https URL, such as "
                + "'https://api.example.org/orders', was nothing");
        assertThat(failure(action, "url", "ftp://127.0.0.1/file")).hasMessage("http_request: 'url' must be an http "
                + "or https URL with a host, such as 'https://api.example.org/orders', was 'ftp://127.0.0.1/file'");
        assertThat(failure(action, "url", "http://user:pw@127.0.0.1/")).hasMessage("http_request: 'url' must not "
                + "carry a user name or password: send credentials in a header");
        assertThat(failure(action, "url", server.base(), "method", "TRACE")).hasMessage("http_request: 'method' "
                + "must be one of GET, POST, PUT, PATCH, DELETE, was 'TRACE'");
        assertThat(failure(action, "url", server.base(), "method", "GET", "body", Map.of("a", 1)))
                .hasMessage("http_request: a GET request has no body: leave 'body' out or use another method");
        assertThat(failure(action, "url", server.base(), "headers", Map.of("X-Count", 3))).hasMessage(
                "http_request: the header 'X-Count' must be a text on one line, was 3");
        assertThat(failure(action, "url", server.base(), "headers", Map.of("X-Evil", "a\r\nHost: b"))).hasMessage(
                "http_request: the header 'X-Evil' must be a text on one line, was 'a\\r\\nHost: b'");
        assertThat(failure(action, "url", server.base(), "headers", List.of("X-A"))).hasMessage(
                "http_request: 'headers' must be an object of header names and texts, was a list");
        assertThat(failure(action, "url", server.base(), "timeoutSeconds", 0)).hasMessage("http_request: "
                + "'timeoutSeconds' must be a whole number of seconds from 1, was 0");
        assertThat(failure(action, "url", server.base(), "verb", "GET")).hasMessage("http_request: the payload has "
                + "an unknown field 'verb' (fields: url, method, headers, body, timeoutSeconds)");
        assertThat(server.received()).isEmpty();
    }

    @Test
    void theSchemaDeclaresTheFieldsAndTheSettingsMakeRetryAndTimeout() {
        HttpRequestAction action = action("maxAttempts", 5, "timeoutSeconds", 12);

        assertThat(action.retry()).isEqualTo(ActionRetry.exponential(5));
        assertThat(action.timeout()).isEqualTo(Duration.ofSeconds(12));
        Map<String, Object> schema = action.inputSchema();
        assertThat(schema).containsEntry("type", "object").containsEntry("required", List.of("url"))
                .containsEntry("additionalProperties", false);
        assertThat(map(schema.get("properties"))).containsOnlyKeys("url", "method", "headers", "body",
                "timeoutSeconds");
        assertThat(map(map(schema.get("properties")).get("method")))
                .containsEntry("enum", List.of("GET", "POST", "PUT", "PATCH", "DELETE"))
                .containsEntry("default", "POST");
        assertThat(map(map(schema.get("properties")).get("timeoutSeconds")))
                .containsEntry("maximum", 12L);
        assertThat(action.outputSchema()).containsEntry("required", List.of("status", "headers", "body"));
        assertThat(action.description()).contains("these hosts: 127.0.0.1");
    }

    @Test
    void aPayloadTimeoutLongerThanTheActionsIsCutToIt() throws Exception {
        server.then(json(200, "{}"));

        ActionResult result = run(action("timeoutSeconds", 2), "url", server.base() + "/x", "timeoutSeconds", 3600);

        assertThat(result.output().get("status")).isEqualTo(200);
    }

    @Test
    void aUtf8BodyRoundTrips() throws Exception {
        server.then(json(200, "{\"echo\":\"Grüße ✓\"}"));

        ActionResult result = run(action(), "url", server.base() + "/echo", "body", Map.of("text", "Grüße ✓"));

        assertThat(server.last().text()).isEqualTo("{\"text\":\"Grüße ✓\"}");
        assertThat(new String(server.last().body(), StandardCharsets.UTF_8)).contains("Grüße");
        assertThat(result.output().get("body")).isEqualTo(Map.of("echo", "Grüße ✓"));
    }
}
