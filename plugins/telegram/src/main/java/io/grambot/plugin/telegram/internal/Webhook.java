package io.grambot.plugin.telegram.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.grambot.api.Secret;

/**
 * What the webhook servlet does with a request, apart from the servlet API (so polling needs no servlet classes):
 * checks {@code X-Telegram-Bot-Api-Secret-Token} against the instance's {@code webhookSecret} in constant time (403
 * when it is missing or wrong), reads the update and queues it (200 at once; 503 when the queue is full, so Telegram
 * sends it again later). An update Telegram sends twice (it repeats one it got no answer for in time) is queued once.
 */
final class Webhook {

    static final String SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token";
    /** Updates are a few kilobytes; this is plenty. */
    static final int MAX_BODY_BYTES = 1 << 20;
    private static final int REMEMBERED = 1000;

    /** An answer to Telegram. */
    record Answer(int status, String text) {}

    private final String instanceId;
    private final Supplier<Optional<Secret>> secret;
    private final ObjectMapper mapper;
    private final Predicate<JsonNode> queue;
    private final Log log;
    private final Set<Long> recent = new LinkedHashSet<>(); // guarded by itself

    /** @param queue takes an update for handling, false when it is full */
    Webhook(String instanceId, Supplier<Optional<Secret>> secret, ObjectMapper mapper, Predicate<JsonNode> queue,
            Log log) {
        this.instanceId = instanceId;
        this.secret = secret;
        this.mapper = mapper;
        this.queue = queue;
        this.log = log;
    }

    Answer receive(String secretHeader, byte[] body) {
        Optional<Secret> expected = secret.get().filter(s -> !s.reveal().isEmpty());
        if (expected.isEmpty()) {
            log.error("telegram '" + instanceId + "' refuses a webhook request: it has no 'webhookSecret'");
            return new Answer(403, "forbidden");
        }
        if (secretHeader == null || !MessageDigest.isEqual(secretHeader.getBytes(StandardCharsets.UTF_8),
                expected.get().reveal().getBytes(StandardCharsets.UTF_8))) {
            log.warn("telegram '" + instanceId + "' refused a webhook request " + (secretHeader == null
                    ? "without " + SECRET_HEADER : "with a wrong " + SECRET_HEADER));
            return new Answer(403, "forbidden");
        }
        JsonNode update;
        try {
            update = mapper.readTree(body);
        } catch (IOException e) {
            update = null;
        }
        if (update == null || !update.isObject() || !update.path("update_id").canConvertToLong()) {
            log.warn("telegram '" + instanceId + "' got a webhook request that is not an update");
            return new Answer(400, "expected a Telegram update");
        }
        long id = update.get("update_id").asLong();
        synchronized (recent) {
            if (recent.contains(id)) {
                return new Answer(200, "ok");
            }
            if (!queue.test(update)) {
                log.warn("telegram '" + instanceId + "' is too busy for update " + id + "; Telegram will send it again");
                return new Answer(503, "busy");
            }
            recent.add(id);
            if (recent.size() > REMEMBERED) {
                recent.remove(recent.iterator().next());
            }
        }
        return new Answer(200, "ok");
    }
}
