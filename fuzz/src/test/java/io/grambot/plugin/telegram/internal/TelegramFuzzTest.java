package io.grambot.plugin.telegram.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.grambot.api.PluginException;
import io.grambot.api.Secret;
import io.grambot.fuzz.Answers;
import io.grambot.fuzz.FakeServer;
import io.grambot.fuzz.Hostile;
import io.grambot.fuzz.Outcome;
import io.grambot.plugin.telegram.internal.TelegramSettings.GroupMode;
import io.grambot.plugin.telegram.internal.TelegramSettings.Mode;
import io.grambot.plugin.telegram.internal.TelegramSettings.ParseMode;
import io.grambot.plugin.telegram.internal.TelegramSettings.QuoteReplies;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Hostile Bot API answers ({@code getUpdates}, {@code sendMessage}) and hostile webhook bodies: each call ends in
 * a result or a PluginException, each update the connector is handed is read into a message, nothing, or a
 * {@code Malformed} that says why; a webhook request gets 200, 400 or 503, never an exception.
 */
class TelegramFuzzTest {

    static final String TOKEN = "123456:fuzz-token-ABCDEFGHIJ";
    static final String SECRET = "fuzz-webhook-secret";
    static final String UPDATE = "{\"update_id\":10,\"message\":{\"message_id\":5,\"date\":1700000000,"
            + "\"chat\":{\"id\":-100123,\"type\":\"supergroup\",\"title\":\"g\"},\"from\":{\"id\":7,\"is_bot\":false,"
            + "\"first_name\":\"Ann\",\"username\":\"ann\"},\"text\":\"/start@fuzzbot hello @fuzzbot\","
            + "\"entities\":[{\"type\":\"bot_command\",\"offset\":0,\"length\":14}],\"reply_to_message\":"
            + "{\"message_id\":4,\"from\":{\"id\":42,\"is_bot\":true,\"username\":\"fuzzbot\"},\"chat\":{\"id\":-100123,"
            + "\"type\":\"supergroup\"},\"text\":\"hi\"},\"photo\":[{\"file_id\":\"f1\",\"file_unique_id\":\"u1\","
            + "\"width\":90,\"height\":90,\"file_size\":100}],\"caption\":\"look\"}}";
    static final String PRIVATE = "{\"update_id\":11,\"message\":{\"message_id\":6,\"date\":1700000001,\"chat\":"
            + "{\"id\":7,\"type\":\"private\"},\"from\":{\"id\":7,\"is_bot\":false,\"first_name\":\"Ann\"},"
            + "\"document\":{\"file_id\":\"d1\",\"file_unique_id\":\"ud1\",\"file_name\":\"a.pdf\",\"mime_type\":"
            + "\"application/pdf\",\"file_size\":10},\"text\":\"plain\"}}";
    static final String UPDATES = "{\"ok\":true,\"result\":[" + UPDATE + "," + PRIVATE + ",{\"update_id\":12,"
            + "\"edited_message\":{\"message_id\":5,\"chat\":{\"id\":7,\"type\":\"private\"},\"text\":\"e\"}}]}";
    static final String SENT = "{\"ok\":true,\"result\":{\"message_id\":9,\"date\":1700000002,\"chat\":{\"id\":7,"
            + "\"type\":\"private\"},\"text\":\"answer\"}}";
    static final String ERROR = "{\"ok\":false,\"error_code\":429,\"description\":\"Too Many Requests: retry after 3\","
            + "\"parameters\":{\"retry_after\":3}}";

    static FakeServer server;
    static BotApi api;
    static UpdateReader reader;
    static Webhook webhook;
    static Path data;
    static Log log;
    static final ObjectMapper MAPPER = new ObjectMapper();

    @BeforeContainer
    static void start() throws Exception {
        server = new FakeServer();
        data = Files.createTempDirectory("telegram-fuzz");
        TelegramSettings settings = new TelegramSettings(server.baseUrl(), Mode.POLLING, Duration.ofSeconds(1),
                List.of("message"), GroupMode.MENTION, ParseMode.NONE, QuoteReplies.GROUPS,
                URI.create("https://bot.example.org/telegram/fuzz"), "/telegram/fuzz", 1 << 16, false,
                Duration.ofSeconds(5), 1);
        Log silent = new Log() {
            @Override
            public void debug(String message) {}

            @Override
            public void info(String message) {}

            @Override
            public void warn(String message) {}

            @Override
            public void error(String message) {}
        };
        api = new BotApi("fuzz", settings, () -> Optional.of(Secret.of(TOKEN)), silent, wait -> {});
        reader = new UpdateReader("fuzz", settings, () -> new BotApi.Identity(42, "fuzzbot"),
                new Downloads(data, api, settings.maxDownloadBytes(), Clock.systemUTC()), silent);
        log = silent;
        webhook = webhook();
    }

    static Webhook webhook() {
        return new Webhook("fuzz", () -> Optional.of(Secret.of(SECRET)), MAPPER, update -> {
            readClearly(update);
            return true;
        }, log);
    }

    @AfterContainer
    static void stop() {
        server.close();
        api.close();
    }

    @Provide
    Arbitrary<FakeServer.Answer> updateAnswers() {
        return Answers.of(Hostile.json(UPDATES, ERROR), "application/json");
    }

    @Provide
    Arbitrary<FakeServer.Answer> sendAnswers() {
        return Answers.of(Hostile.json(SENT, ERROR), "application/json");
    }

    @Provide
    Arbitrary<Hostile.Body> webhookBodies() {
        return Hostile.json(UPDATE, PRIVATE);
    }

    /** The samples the cases are made from are what Telegram sends: read whole, they give the bot messages. */
    @Example
    void theSamplesAreReadIntoMessages() throws Exception {
        server.answer(new FakeServer.Answer(200, "application/json", Hostile.Body.of(UPDATES, "valid"), null));
        List<JsonNode> updates = api.getUpdates(OptionalLong.of(10), Duration.ZERO, 100, List.of("message"), false);
        assertThat(updates).hasSize(3);
        assertThat(readClearly(updates.get(1))).isInstanceOfSatisfying(Optional.class, m -> assertThat(m).isPresent());
        assertThat(webhook.receive(SECRET, PRIVATE.getBytes(java.nio.charset.StandardCharsets.UTF_8)).status())
                .isEqualTo(200);
        assertThat(webhook.receive("wrong", PRIVATE.getBytes(java.nio.charset.StandardCharsets.UTF_8)).status())
                .isEqualTo(403);
    }

    @Property
    void aHostileGetUpdatesAnswerEndsClearly(@ForAll("updateAnswers") FakeServer.Answer answer) {
        // photos and documents in an update are fetched from the same server: getFile and the file get hostile answers too
        server.answer(answer);
        Outcome.endsClearly(() -> {
            List<Object> read = new ArrayList<>();
            for (JsonNode update : api.getUpdates(OptionalLong.of(10), Duration.ZERO, 100, List.of("message"), false)) {
                read.add(readClearly(update));
            }
            return read;
        });
    }

    @Property
    void aHostileSendMessageAnswerEndsClearly(@ForAll("sendAnswers") FakeServer.Answer answer) {
        server.answer(answer);
        Outcome.endsClearly(() -> api.call("sendMessage", api.object().put("chat_id", 7).put("text", "answer")));
    }

    @Property
    void aHostileWebhookBodyIsAnsweredClearly(@ForAll("webhookBodies") Hostile.Body body) {
        server.answer(new FakeServer.Answer(200, "application/json", Hostile.Body.of(SENT, "sent"), null));
        Outcome.endsClearly(() -> {
            // a webhook of its own: one that remembers the samples' update ids would answer a repeat without reading it
            Webhook.Answer answer = webhook().receive(SECRET, body.bytes());
            assertThat(answer.status()).as("the status for %s", body).isIn(200, 400, 503);
            return answer;
        });
    }

    /** An update read into a message or nothing, or refused as malformed with a reason; anything else fails. */
    private static Object readClearly(JsonNode update) {
        try {
            return reader.read(update);
        } catch (UpdateReader.Malformed e) {
            assertThat(e.getMessage()).as("why %s is malformed", update).isNotBlank();
            return e.getMessage();
        } catch (PluginException e) {
            assertThat(e.getMessage()).as("why %s cannot be read now", update).isNotBlank();
            return e.getMessage();
        }
    }
}
