package io.grambot.plugin.webhooks.internal;

import static io.grambot.plugin.webhooks.internal.Configs.settings;
import static io.grambot.plugin.webhooks.internal.Configs.values;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;

import io.grambot.api.PluginException;
import io.grambot.api.Secret;
import io.grambot.api.action.Trigger;

class WebhookServletTest {

    private static final String SECRET = "s3cret-Webhook-0123456789";
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final String ORDER = "{\"id\":42,\"amount\":150.5,\"items\":[\"a\",\"b\"],\"chat\":\"c1\"}";

    private final List<Map<String, Object>> fired = new CopyOnWriteArrayList<>();
    private final RecordingLog log = new RecordingLog();
    private final AtomicReference<Optional<Secret>> secret = new AtomicReference<>(Optional.of(Secret.of(SECRET)));

    private WebhookServlet servlet(WebhookSettings settings, Trigger.Sink sink) {
        return new WebhookServlet("hooks", settings, secret::get, sink, log, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private WebhookServlet servlet() {
        return servlet(settings(values()), fired::add);
    }

    private WebhookServlet hmacServlet() {
        return servlet(settings(values("signature", "hmac-sha256")), fired::add);
    }

    /** The signature GitHub would send, computed here with the JDK's Mac. */
    private static String sign(String key, byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
    }

    private void assertNothingFiredAndNoSecretLogged() {
        assertThat(fired).isEmpty();
        assertThat(String.join("\n", log.lines)).doesNotContain(SECRET);
    }

    @Test
    void theRightSecretFiresTheBodyHeadersQueryAndTimeAndAnswers202() throws Exception {
        ServletCall.Result result = ServletCall.post(ORDER).header("X-Webhook-Secret", SECRET)
                .header("User-Agent", "curl/8.5.0").header("X-Request-Id", "r-1").header("X-Other", "not passed")
                .query("source=shop&tag=a&tag=b%20c&flag").to(servlet());

        assertThat(result.status()).isEqualTo(202);
        assertThat(result.body()).isEqualTo("{\"accepted\":true}");
        assertThat(result.header("Content-Type")).isEqualTo("application/json");
        assertThat(fired).containsExactly(Map.of(
                "body", Map.of("id", 42, "amount", 150.5, "items", List.of("a", "b"), "chat", "c1"),
                "headers", Map.of("content-type", "application/json", "user-agent", "curl/8.5.0",
                        "x-request-id", "r-1"),
                "query", Map.of("source", "shop", "tag", List.of("a", "b c"), "flag", ""),
                "receivedAt", "2026-03-01T12:00:00Z"));
        assertThat(log.at("DEBUG")).containsExactly("webhook 'hooks': a POST to /hooks/hooks from 192.0.2.7 was "
                + "accepted");
    }

    @Test
    void aWrongSecretIsRefusedWith401() throws Exception {
        ServletCall.Result result = ServletCall.post(ORDER).header("X-Webhook-Secret", SECRET + "x").to(servlet());

        assertThat(result.status()).isEqualTo(401);
        assertThat(result.body()).isEqualTo("{\"error\":\"unauthorized: send the webhook's secret\"}");
        assertThat(result.bytesRead()).isZero();
        assertThat(log.at("WARN")).containsExactly("webhook 'hooks': a POST to /hooks/hooks from 192.0.2.7 was "
                + "refused: a wrong X-Webhook-Secret");
        assertNothingFiredAndNoSecretLogged();
    }

    @Test
    void aMissingOrEmptySecretHeaderIsRefusedWith401() throws Exception {
        assertThat(ServletCall.post(ORDER).to(servlet()).status()).isEqualTo(401);
        assertThat(ServletCall.post(ORDER).header("X-Webhook-Secret", "").to(servlet()).status()).isEqualTo(401);
        assertThat(ServletCall.post(ORDER).header("Authorization", "Bearer " + SECRET).to(servlet()).status())
                .as("the secret only counts in its own header").isEqualTo(401);

        assertThat(log.at("WARN")).containsExactly(
                "webhook 'hooks': a POST to /hooks/hooks from 192.0.2.7 was refused: no X-Webhook-Secret",
                "webhook 'hooks': a POST to /hooks/hooks from 192.0.2.7 was refused: a wrong X-Webhook-Secret",
                "webhook 'hooks': a POST to /hooks/hooks from 192.0.2.7 was refused: no X-Webhook-Secret");
        assertNothingFiredAndNoSecretLogged();
    }

    @Test
    void withoutASecretConfiguredEveryRequestIsRefusedAndTheLogSaysWhatToSet() throws Exception {
        secret.set(Optional.empty());
        assertThat(ServletCall.post(ORDER).header("X-Webhook-Secret", "").to(servlet()).status()).isEqualTo(401);
        secret.set(Optional.of(Secret.of("")));
        assertThat(ServletCall.post(ORDER).header("X-Webhook-Secret", "").to(servlet()).status()).isEqualTo(401);

        assertThat(log.at("ERROR")).containsOnly("webhook 'hooks': a POST to /hooks/hooks from 192.0.2.7 was "
                + "refused: instance 'hooks' has no secret; set its secret 'secret'");
        assertThat(fired).isEmpty();
    }

    @Test
    void aSecretChangedInTheSecretsStoreAppliesToTheNextRequest() throws Exception {
        WebhookServlet servlet = servlet();
        secret.set(Optional.of(Secret.of("rotated-secret")));

        assertThat(ServletCall.post(ORDER).header("X-Webhook-Secret", SECRET).to(servlet).status()).isEqualTo(401);
        assertThat(ServletCall.post(ORDER).header("X-Webhook-Secret", "rotated-secret").to(servlet).status())
                .isEqualTo(202);
    }

    @Test
    void theHmacIsComputedAsGitHubDocumentsIt() {
        // the example of GitHub's "Validating webhook deliveries"
        assertThat(HexFormat.of().formatHex(WebhookServlet.hmac(Secret.of("It's a Secret to Everybody"),
                "Hello, World!".getBytes(StandardCharsets.UTF_8))))
                .isEqualTo("757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17");
    }

    @Test
    void aRightHmacSignatureFires() throws Exception {
        byte[] body = ORDER.getBytes(StandardCharsets.UTF_8);

        ServletCall.Result result = ServletCall.post(ORDER).header("X-Hub-Signature-256", sign(SECRET, body))
                .header("X-GitHub-Event", "push").to(hmacServlet());

        assertThat(result.status()).isEqualTo(202);
        assertThat(fired).hasSize(1);
        assertThat(fired.get(0).get("headers")).isEqualTo(Map.of("content-type", "application/json",
                "x-github-event", "push"));
        assertThat(fired.get(0).get("body")).isEqualTo(Map.of("id", 42, "amount", 150.5, "items", List.of("a", "b"),
                "chat", "c1"));
    }

    @Test
    void upperCaseHexIsTheSameSignature() throws Exception {
        String signature = sign(SECRET, ORDER.getBytes(StandardCharsets.UTF_8));

        assertThat(ServletCall.post(ORDER).header("X-Hub-Signature-256", "SHA256=" + signature.substring(7)
                .toUpperCase()).to(hmacServlet()).status()).isEqualTo(202);
    }

    @Test
    void aWrongHmacSignatureIsRefusedAfterReadingTheBody() throws Exception {
        byte[] body = ORDER.getBytes(StandardCharsets.UTF_8);
        String otherKey = sign("another secret", body);
        String otherBody = sign(SECRET, (ORDER + " ").getBytes(StandardCharsets.UTF_8));

        ServletCall.Result wrongKey = ServletCall.post(ORDER).header("X-Hub-Signature-256", otherKey).to(hmacServlet());
        ServletCall.Result wrongBody = ServletCall.post(ORDER).header("X-Hub-Signature-256", otherBody)
                .to(hmacServlet());

        assertThat(wrongKey.status()).isEqualTo(401);
        assertThat(wrongKey.bytesRead()).isEqualTo(body.length);
        assertThat(wrongBody.status()).isEqualTo(401);
        assertThat(log.at("WARN")).containsExactly(
                "webhook 'hooks': a POST to /hooks/hooks from 192.0.2.7 was refused: a wrong X-Hub-Signature-256",
                "webhook 'hooks': a POST to /hooks/hooks from 192.0.2.7 was refused: a wrong X-Hub-Signature-256");
        assertNothingFiredAndNoSecretLogged();
    }

    @Test
    void aMissingOrMalformedSignatureIsRefusedBeforeTheBodyIsRead() throws Exception {
        String good = sign(SECRET, ORDER.getBytes(StandardCharsets.UTF_8));

        for (ServletCall call : List.of(ServletCall.post(ORDER),
                ServletCall.post(ORDER).header("X-Webhook-Secret", SECRET),
                ServletCall.post(ORDER).header("X-Hub-Signature-256", good.substring(7)),
                ServletCall.post(ORDER).header("X-Hub-Signature-256", "sha1=" + good.substring(7)),
                ServletCall.post(ORDER).header("X-Hub-Signature-256", good.substring(0, good.length() - 2)),
                ServletCall.post(ORDER).header("X-Hub-Signature-256", good.substring(0, good.length() - 1) + "g"))) {
            ServletCall.Result result = call.to(hmacServlet());
            assertThat(result.status()).isEqualTo(401);
            assertThat(result.bytesRead()).isZero();
        }
        assertThat(log.at("WARN")).hasSize(6).first().isEqualTo("webhook 'hooks': a POST to /hooks/hooks from "
                + "192.0.2.7 was refused: no X-Hub-Signature-256");
        assertThat(log.at("WARN").get(2)).endsWith("a malformed X-Hub-Signature-256");
        assertNothingFiredAndNoSecretLogged();
    }

    @Test
    void aBodyLargerThanTheLimitIsRefusedWith413WithoutReadingWhenItsLengthIsDeclared() throws Exception {
        WebhookServlet servlet = servlet(settings(values("maxBodyBytes", 64)), fired::add);
        String big = "{\"text\":\"" + "x".repeat(60) + "\"}";

        ServletCall.Result result = ServletCall.post(big).header("X-Webhook-Secret", SECRET).to(servlet);

        assertThat(result.status()).isEqualTo(413);
        assertThat(result.body()).isEqualTo("{\"error\":\"the body is larger than the 64 bytes the webhook takes\"}");
        assertThat(result.bytesRead()).isZero();
        assertNothingFiredAndNoSecretLogged();
    }

    @Test
    void aChunkedBodyIsReadOnlyOneByteBeyondTheLimit() throws Exception {
        WebhookServlet servlet = servlet(settings(values("maxBodyBytes", 64)), fired::add);
        String big = "{\"text\":\"" + "x".repeat(1000) + "\"}";

        ServletCall.Result result = ServletCall.post(big).header("X-Webhook-Secret", SECRET).chunked().to(servlet);

        assertThat(result.status()).isEqualTo(413);
        assertThat(result.bytesRead()).isEqualTo(65);
        assertNothingFiredAndNoSecretLogged();
    }

    @Test
    void aBodyOfExactlyTheLimitIsTaken() throws Exception {
        String body = "{\"text\":\"" + "x".repeat(53) + "\"}";
        assertThat(body).hasSize(64);
        WebhookServlet servlet = servlet(settings(values("maxBodyBytes", 64)), fired::add);

        assertThat(ServletCall.post(body).header("X-Webhook-Secret", SECRET).chunked().to(servlet).status())
                .isEqualTo(202);
    }

    @Test
    void onlyJsonContentTypesAreTaken() throws Exception {
        for (String type : new String[] { "text/plain", "application/x-www-form-urlencoded", "application/jsonx",
                "multipart/form-data; boundary=x" }) {
            ServletCall.Result result = ServletCall.post(ORDER).contentType(type).header("X-Webhook-Secret", SECRET)
                    .to(servlet());
            assertThat(result.status()).as(type).isEqualTo(415);
            assertThat(result.body()).isEqualTo("{\"error\":\"the webhook takes JSON: send Content-Type: "
                    + "application/json\"}");
        }
        assertThat(ServletCall.post(ORDER).contentType(null).header("X-Webhook-Secret", SECRET).to(servlet())
                .status()).isEqualTo(415);
        assertThat(fired).isEmpty();

        for (String type : new String[] { "application/json; charset=utf-8", "Application/JSON",
                "application/vnd.github+json" }) {
            assertThat(ServletCall.post(ORDER).contentType(type).header("X-Webhook-Secret", SECRET).to(servlet())
                    .status()).as(type).isEqualTo(202);
        }
        assertThat(fired).hasSize(3);
    }

    @Test
    void aBodyThatIsNotOneJsonValueIsRefusedWith400() throws Exception {
        for (String body : new String[] { "{\"id\":", "id=42", "{\"id\":1} {\"id\":2}", "", "null" }) {
            ServletCall.Result result = ServletCall.post(body).header("X-Webhook-Secret", SECRET).to(servlet());
            assertThat(result.status()).as(body).isEqualTo(400);
            assertThat(result.body()).as(body).startsWith("{\"error\":\"the body is ");
        }
        assertNothingFiredAndNoSecretLogged();
    }

    @Test
    void anyJsonValueIsABody() throws Exception {
        assertThat(ServletCall.post("[1,2]").header("X-Webhook-Secret", SECRET).to(servlet()).status())
                .isEqualTo(202);
        assertThat(ServletCall.post("\"ping\"").header("X-Webhook-Secret", SECRET).to(servlet()).status())
                .isEqualTo(202);

        assertThat(fired).extracting(data -> data.get("body")).containsExactly(List.of(1, 2), "ping");
    }

    @Test
    void otherMethodsAreRefusedWith405() throws Exception {
        ServletCall.Result result = ServletCall.post(ORDER).method("GET").header("X-Webhook-Secret", SECRET)
                .to(servlet());

        assertThat(result.status()).isEqualTo(405);
        assertThat(result.header("Allow")).isEqualTo("POST");
        assertThat(fired).isEmpty();
    }

    @Test
    void theAnswerIs202OnlyAfterTheSinkHasTakenTheEvent() throws Exception {
        CountDownLatch inFire = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<String> order = new CopyOnWriteArrayList<>();
        WebhookServlet servlet = servlet(settings(values()), data -> {
            inFire.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            order.add("fire returned");
        });

        CompletableFuture<ServletCall.Result> answer = CompletableFuture.supplyAsync(() -> {
            try {
                ServletCall.Result result = ServletCall.post(ORDER).header("X-Webhook-Secret", SECRET).to(servlet);
                order.add("answered " + result.status());
                return result;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(inFire.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(answer).isNotDone();
        assertThat(order).isEmpty();
        release.countDown();

        assertThat(answer.get(10, TimeUnit.SECONDS).status()).isEqualTo(202);
        assertThat(order).containsExactly("fire returned", "answered 202");
    }

    @Test
    void aQueueThatRefusesTheEventAnswers503WithRetryAfter() throws Exception {
        WebhookServlet servlet = servlet(settings(values()), data -> {
            throw new PluginException("the event queue is full (10000 pending)", 0, true, Duration.ofSeconds(3), null);
        });

        ServletCall.Result result = ServletCall.post(ORDER).header("X-Webhook-Secret", SECRET).to(servlet);

        assertThat(result.status()).isEqualTo(503);
        assertThat(result.header("Retry-After")).isEqualTo("3");
        assertThat(result.body()).isEqualTo("{\"error\":\"the event could not be queued; try again later\"}");
        assertThat(log.at("WARN")).containsExactly("webhook 'hooks': a POST to /hooks/hooks from 192.0.2.7 could "
                + "not be queued: the event queue is full (10000 pending)");
    }

    @Test
    void aSinkThatThrowsAnswers500() throws Exception {
        WebhookServlet servlet = servlet(settings(values()), data -> {
            throw new IllegalStateException("broken core");
        });

        ServletCall.Result result = ServletCall.post(ORDER).header("X-Webhook-Secret", SECRET).to(servlet);

        assertThat(result.status()).isEqualTo(500);
        assertThat(log.at("ERROR")).containsExactly("webhook 'hooks': a POST to /hooks/hooks from 192.0.2.7 could "
                + "not be queued: java.lang.IllegalStateException: broken core");
    }

    @Test
    void theSecretIsNeverInTheFiredDataEvenWhereACallerPutsIt() throws Exception {
        WebhookServlet servlet = servlet(settings(values("forwardHeaders",
                "X-Webhook-Secret, Authorization, X-Request-Id, X-Note")), fired::add);

        ServletCall.Result result = ServletCall.post(ORDER).header("X-Webhook-Secret", SECRET)
                .header("Authorization", "Bearer abc").header("X-Request-Id", "r-7")
                .header("X-Note", "copy of " + SECRET).query("token=" + SECRET + "&page=2&" + SECRET + "=1")
                .to(servlet);

        assertThat(result.status()).isEqualTo(202);
        assertThat(fired.get(0).get("headers")).isEqualTo(Map.of("x-request-id", "r-7"));
        assertThat(fired.get(0).get("query")).isEqualTo(Map.of("page", "2"));
        assertThat(fired.get(0).toString()).doesNotContain(SECRET);
        assertThat(result.body()).doesNotContain(SECRET);
        assertThat(String.join("\n", log.lines)).doesNotContain(SECRET);
    }

    @Test
    void afterCloseNothingIsFiredAndRequestsAnswer503() throws Exception {
        WebhookServlet servlet = servlet();
        servlet.close();

        ServletCall.Result result = ServletCall.post(ORDER).header("X-Webhook-Secret", SECRET).to(servlet);

        assertThat(result.status()).isEqualTo(503);
        assertThat(fired).isEmpty();
    }

    @Test
    void closeWaitsForARequestThatIsFiring() throws Exception {
        CountDownLatch inFire = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<String> order = new CopyOnWriteArrayList<>();
        WebhookServlet servlet = servlet(settings(values()), data -> {
            inFire.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            order.add("fire returned");
        });
        CompletableFuture<ServletCall.Result> answer = CompletableFuture.supplyAsync(() -> {
            try {
                return ServletCall.post(ORDER).header("X-Webhook-Secret", SECRET).to(servlet);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(inFire.await(10, TimeUnit.SECONDS)).isTrue();

        Thread closer = new Thread(() -> {
            servlet.close();
            order.add("closed");
        });
        closer.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (closer.getState() != Thread.State.TIMED_WAITING && System.nanoTime() < deadline) {
            Thread.onSpinWait(); // bounded: until close() waits for the write lock
        }
        assertThat(closer.getState()).isEqualTo(Thread.State.TIMED_WAITING);
        assertThat(order).isEmpty();
        release.countDown();
        closer.join(10_000);

        assertThat(order).containsExactly("fire returned", "closed");
        assertThat(answer.get(10, TimeUnit.SECONDS).status()).isEqualTo(202);
    }

    @Test
    void theSecretIsComparedByValueNotByPrefixOrLength() {
        Secret key = Secret.of(SECRET);

        assertThat(WebhookServlet.sameSecret(SECRET, key)).isTrue();
        assertThat(WebhookServlet.sameSecret(SECRET.substring(0, 10), key)).isFalse();
        assertThat(WebhookServlet.sameSecret(SECRET + SECRET, key)).isFalse();
        assertThat(WebhookServlet.sameSecret("", key)).isFalse();
    }
}
