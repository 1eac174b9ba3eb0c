package io.grambot.plugin.webhooks.internal;

import static io.grambot.plugin.webhooks.internal.Configs.settings;
import static io.grambot.plugin.webhooks.internal.Configs.values;
import static io.grambot.plugin.webhooks.internal.FakeServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.grambot.api.ConnectionTestResult;
import io.grambot.api.Secret;
import io.grambot.api.action.Trigger;

/** Test connection: the secret, then the test URL if there is one; no side effects, never an exception. */
class ConnectionTestTest {

    private static final String SECRET = "s3cret-Webhook-0123456789";

    private final FakeServer server;
    private final RecordingWhiteboard whiteboard = new RecordingWhiteboard();
    private final AtomicReference<Optional<Secret>> secret = new AtomicReference<>(Optional.of(Secret.of(SECRET)));

    ConnectionTestTest() throws Exception {
        server = new FakeServer();
    }

    @AfterEach
    void close() {
        server.close();
    }

    private Webhooks start(Object... settings) {
        return new Webhooks("hooks", "webhooks", settings(values(settings)),
                key -> key.equals(Webhooks.SECRET) ? secret.get() : Optional.empty(), new RecordingLog(), whiteboard,
                Clock.systemUTC());
    }

    @Test
    void withoutATestUrlItSaysWhereTheWebhookIsServed() throws Exception {
        Webhooks webhooks = start();

        assertThat(webhooks.testConnection()).isEqualTo(ConnectionTestResult.ok("no test URL configured; the webhook "
                + "will be served at /hooks/hooks once the trigger is subscribed"));
        whiteboard.service(Trigger.class).subscribe(data -> {});
        assertThat(webhooks.testConnection()).isEqualTo(ConnectionTestResult.ok("no test URL configured; the webhook "
                + "is served at /hooks/hooks"));
        assertThat(server.received()).isEmpty();
    }

    @Test
    void withoutASecretItFailsSayingWhatToSet() {
        secret.set(Optional.empty());

        assertThat(start().testConnection()).isEqualTo(ConnectionTestResult.failed("instance 'hooks' has no secret, "
                + "so every request to /hooks/hooks is refused with 401: set its secret 'secret'"));
    }

    @Test
    void aTestUrlThatAnswers2xxIsOkWithItsStatusAndTime() {
        server.then(json(204, ""));

        ConnectionTestResult result = start("testUrl", server.base() + "/health").testConnection();

        assertThat(result.ok()).isTrue();
        assertThat(result.message()).matches("GET " + server.base().replace(".", "\\.") + "/health answered 204 in "
                + "\\d+ ms; the webhook will be served at /hooks/hooks once the trigger is subscribed");
        assertThat(server.received()).hasSize(1);
        assertThat(server.last().method()).isEqualTo("GET");
        assertThat(server.last().body()).isEmpty();
        assertThat(server.last().header("X-Webhook-Secret")).as("the secret is not sent anywhere").isNull();
    }

    @Test
    void aTestUrlThatAnswersAnErrorFailsWithTheServersReason() {
        server.then(json(401, "{\"error\":{\"message\":\"invalid token\"}}"));
        server.then(json(503, "{\"error\":\"maintenance\"}"));
        Webhooks webhooks = start("testUrl", server.base() + "/health");

        assertThat(webhooks.testConnection()).isEqualTo(ConnectionTestResult.failed("GET " + server.base()
                + "/health answered 401 Unauthorized: invalid token"));
        assertThat(webhooks.testConnection()).isEqualTo(ConnectionTestResult.failed("GET " + server.base()
                + "/health answered 503 Service Unavailable: maintenance"));
        assertThat(server.received()).as("one request per test, no retries").hasSize(2);
    }

    @Test
    void anUnreachableTestUrlFailsWithoutThrowing() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }

        ConnectionTestResult result = start("testUrl", "http://127.0.0.1:" + port + "/health").testConnection();

        assertThat(result).isEqualTo(ConnectionTestResult.failed("cannot connect to http://127.0.0.1:" + port
                + " for GET http://127.0.0.1:" + port + "/health (connection refused)"));
    }

    @Test
    void theSecretIsNeverInTheResult() {
        server.then(json(400, "{\"error\":\"you sent " + SECRET + "\"}"));

        ConnectionTestResult result = start("testUrl", server.base() + "/echo?x=" + SECRET).testConnection();

        assertThat(result.ok()).isFalse();
        assertThat(result.message()).doesNotContain(SECRET).contains("******");
        assertThat(Map.of("message", result.message()).toString()).doesNotContain(SECRET);
    }
}
