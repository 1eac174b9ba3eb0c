package io.grambot.plugin.webhooks.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import io.grambot.api.PluginException;
import io.grambot.api.Secret;
import io.grambot.api.action.Trigger;
import io.grambot.plugin.webhooks.internal.WebhookSettings.Signature;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The webhook on Grambot's HTTP server, for one subscription of the {@code webhook} trigger: {@code POST <path>} with
 * a JSON body and the instance's shared secret. Each request is checked in this order, and the first failed check
 * answers:
 * <ol>
 * <li>the method is {@code POST} (else 405);</li>
 * <li>the secret: {@value #SECRET_HEADER} equals it, or with {@code signature=hmac-sha256} an
 * {@value #SIGNATURE_HEADER} {@code sha256=<hex>} header is present (401; compared in constant time);</li>
 * <li>the content type is JSON, {@code application/json} or {@code application/*+json} (415);</li>
 * <li>the body is at most {@code maxBodyBytes} (413);</li>
 * <li>with {@code hmac-sha256}: the signature is the HMAC-SHA256 of the body under the secret (401);</li>
 * <li>the body is one JSON value, not {@code null} (400).</li>
 * </ol>
 * Then the event is fired: {@code {"body", "headers", "query", "receivedAt"}}, and only when
 * {@link Trigger.Sink#fire} has returned (the event is queued, journaled when the queue is) the answer is 202
 * {@code {"accepted":true}}; 503 when the queue refuses it, so the caller sends it again later. The secret is never
 * in the fired data, in an answer or in a log line.
 */
final class WebhookServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    static final String SECRET_HEADER = "X-Webhook-Secret";
    static final String SIGNATURE_HEADER = "X-Hub-Signature-256";
    private static final String SIGNATURE_PREFIX = "sha256=";
    /** How long {@link #close} waits for requests that are firing. */
    private static final long CLOSE_WAIT_SECONDS = 10;

    /** An answer: its status, a JSON body, and a {@code Retry-After} in seconds (0 for none). */
    record Answer(int status, Map<String, Object> body, long retryAfterSeconds) {

        static Answer error(int status, String message) {
            return new Answer(status, Map.of("error", message), 0);
        }
    }

    private final transient String instanceId;
    private final transient WebhookSettings settings;
    private final transient Supplier<Optional<Secret>> secret;
    private final transient Trigger.Sink sink;
    private final transient Log log;
    private final transient Clock clock;
    private final transient ObjectMapper mapper = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();
    /** Requests fire under the read lock; {@link #close} takes the write lock, so no event is fired after it. */
    private final transient ReadWriteLock firing = new ReentrantReadWriteLock();
    private volatile boolean closed;

    /**
     * @param secret the instance's shared secret as it is now, read for every request
     * @param sink where accepted events go
     */
    WebhookServlet(String instanceId, WebhookSettings settings, Supplier<Optional<Secret>> secret, Trigger.Sink sink,
            Log log, Clock clock) {
        this.instanceId = instanceId;
        this.settings = settings;
        this.secret = secret;
        this.sink = sink;
        this.log = log;
        this.clock = clock;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Answer answer;
        try {
            answer = receive(request);
        } catch (IOException e) {
            log.warn(what(request) + " could not be read: " + e.getMessage());
            answer = Answer.error(400, "the request body could not be read");
        }
        if (answer.status() == 405) {
            response.setHeader("Allow", "POST");
        }
        if (answer.retryAfterSeconds() > 0) {
            response.setHeader("Retry-After", Long.toString(answer.retryAfterSeconds()));
        }
        response.setStatus(answer.status());
        response.setContentType("application/json");
        response.setHeader("Cache-Control", "no-store");
        response.getOutputStream().write(mapper.writeValueAsBytes(answer.body()));
    }

    /** Stops firing: waits (a bounded time) for requests that are firing; later requests answer 503. */
    void close() {
        boolean locked = false;
        try {
            locked = firing.writeLock().tryLock(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
            if (!locked) {
                log.warn("webhook '" + instanceId + "' stops while a request is still being queued after "
                        + CLOSE_WAIT_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closed = true;
            if (locked) {
                firing.writeLock().unlock();
            }
        }
    }

    Answer receive(HttpServletRequest request) throws IOException {
        if (!"POST".equals(request.getMethod())) {
            return Answer.error(405, "the webhook takes POST requests");
        }
        Optional<Secret> expected = secret.get().filter(s -> !s.isEmpty());
        if (expected.isEmpty()) {
            log.error(what(request) + " was refused: instance '" + instanceId + "' has no secret; set its secret "
                    + "'" + Webhooks.SECRET + "'");
            return unauthorized();
        }
        Secret key = expected.get();
        byte[] signature = null;
        if (settings.signature() == Signature.HEADER) {
            String given = request.getHeader(SECRET_HEADER);
            if (given == null || !sameSecret(given, key)) {
                log.warn(what(request) + " was refused: " + (given == null ? "no " : "a wrong ") + SECRET_HEADER);
                return unauthorized();
            }
        } else {
            signature = signature(request.getHeader(SIGNATURE_HEADER));
            if (signature == null) {
                log.warn(what(request) + " was refused: " + (request.getHeader(SIGNATURE_HEADER) == null ? "no "
                        : "a malformed ") + SIGNATURE_HEADER);
                return unauthorized();
            }
        }
        if (!json(request.getContentType())) {
            log.warn(what(request) + " was refused: content type '" + request.getContentType() + "' is not JSON");
            return Answer.error(415, "the webhook takes JSON: send Content-Type: application/json");
        }
        long length = request.getContentLengthLong();
        byte[] body = length > settings.maxBodyBytes() ? null : read(request);
        if (body == null) {
            log.warn(what(request) + " was refused: its body is larger than " + settings.maxBodyBytes() + " bytes");
            return Answer.error(413, "the body is larger than the " + settings.maxBodyBytes()
                    + " bytes the webhook takes");
        }
        if (signature != null && !MessageDigest.isEqual(signature, hmac(key, body))) {
            log.warn(what(request) + " was refused: a wrong " + SIGNATURE_HEADER);
            return unauthorized();
        }
        if (body.length == 0) {
            log.warn(what(request) + " was refused: its body is empty");
            return Answer.error(400, "the body is empty: send one JSON value");
        }
        Object parsed;
        try {
            parsed = mapper.readValue(body, Object.class);
        } catch (JsonProcessingException e) {
            log.warn(what(request) + " was refused: its body is not JSON (" + e.getOriginalMessage() + ")");
            return Answer.error(400, "the body is not JSON: " + e.getOriginalMessage());
        }
        if (parsed == null) { // event data holds no null at its top level
            log.warn(what(request) + " was refused: its body is JSON null");
            return Answer.error(400, "the body is JSON null: send an object, an array, a text or a number");
        }
        return fire(request, data(request, parsed, key));
    }

    private Answer fire(HttpServletRequest request, Map<String, Object> data) {
        firing.readLock().lock();
        try {
            if (closed) {
                return new Answer(503, Map.of("error", "the webhook is not taking events now"), 5);
            }
            sink.fire(data);
        } catch (PluginException e) {
            log.warn(what(request) + " could not be queued: " + e.getMessage());
            long wait = e.retryAfter().map(d -> Math.max(1, d.toSeconds())).orElse(5L);
            return new Answer(503, Map.of("error", "the event could not be queued; try again later"), wait);
        } catch (RuntimeException e) {
            log.error(what(request) + " could not be queued: " + e);
            return Answer.error(500, "the event could not be queued");
        } finally {
            firing.readLock().unlock();
        }
        log.debug(what(request) + " was accepted");
        return new Answer(202, Map.of("accepted", true), 0);
    }

    /** The fired data: the body, the forwarded headers and the query, never a value that contains the secret. */
    private Map<String, Object> data(HttpServletRequest request, Object body, Secret key) {
        String secretValue = key.reveal();
        Map<String, Object> headers = new LinkedHashMap<>();
        for (String name : settings.forwardHeaders()) {
            String value = request.getHeader(name);
            if (value != null && !value.contains(secretValue)) {
                headers.put(name, value);
            }
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("body", body);
        data.put("headers", headers);
        data.put("query", query(request.getQueryString(), secretValue));
        data.put("receivedAt", clock.instant().toString());
        return data;
    }

    /** The query's parameters: a text, or a list of texts for a parameter given more than once. */
    static Map<String, Object> query(String raw, String secretValue) {
        Map<String, Object> query = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return query;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name;
            String value;
            try {
                name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
                value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException malformed) {
                continue;
            }
            if (value.contains(secretValue) || name.contains(secretValue)) {
                continue;
            }
            query.merge(name, value, (old, added) -> {
                List<Object> values = old instanceof List<?> list ? new ArrayList<>(list) : new ArrayList<>(List.of(old));
                values.add(added);
                return values;
            });
        }
        return query;
    }

    /** The body, or {@code null} when it is longer than {@code maxBodyBytes}. */
    private byte[] read(HttpServletRequest request) throws IOException {
        try (InputStream in = request.getInputStream()) {
            byte[] body = in.readNBytes(settings.maxBodyBytes() + 1);
            return body.length > settings.maxBodyBytes() ? null : body;
        }
    }

    private static Answer unauthorized() {
        return Answer.error(401, "unauthorized: send the webhook's secret");
    }

    /** Whether the given value is the secret, in time that does not depend on where they differ or their lengths. */
    static boolean sameSecret(String given, Secret secret) {
        return MessageDigest.isEqual(sha256(given.getBytes(StandardCharsets.UTF_8)),
                sha256(secret.reveal().getBytes(StandardCharsets.UTF_8)));
    }

    /** The bytes of a {@code sha256=<64 hex digits>} header, or {@code null} when it is missing or malformed. */
    static byte[] signature(String header) {
        if (header == null) {
            return null;
        }
        String value = header.strip();
        if (!value.regionMatches(true, 0, SIGNATURE_PREFIX, 0, SIGNATURE_PREFIX.length())
                || value.length() != SIGNATURE_PREFIX.length() + 64) {
            return null;
        }
        try {
            return HexFormat.of().parseHex(value.substring(SIGNATURE_PREFIX.length()).toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException notHex) {
            return null;
        }
    }

    /** HMAC-SHA256 of the body under the secret, as GitHub computes {@code X-Hub-Signature-256}. */
    static byte[] hmac(Secret secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.reveal().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(body);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e); // every Java 17 runtime has it
        }
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e); // every Java runtime has it
        }
    }

    /** {@code application/json}, or a JSON-based type such as {@code application/vnd.github+json}; any parameters. */
    static boolean json(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip()
                .toLowerCase(Locale.ROOT);
        return type.equals("application/json") || type.startsWith("application/") && type.endsWith("+json");
    }

    private String what(HttpServletRequest request) {
        return "webhook '" + instanceId + "': a " + request.getMethod() + " to " + settings.path() + " from "
                + request.getRemoteAddr();
    }
}
