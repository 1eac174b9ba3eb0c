package io.grambot.plugin.telegram.internal;

import static io.grambot.plugin.telegram.internal.FakeTelegram.PASS;
import static io.grambot.plugin.telegram.internal.FakeTelegram.answer;
import static io.grambot.plugin.telegram.internal.FakeTelegram.privateText;
import static io.grambot.plugin.telegram.internal.Harness.TOKEN;
import static io.grambot.plugin.telegram.internal.Harness.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.grambot.api.ConnectionTestResult;
import io.grambot.api.PluginConstants;
import io.grambot.api.PluginException;
import io.grambot.api.connector.IncomingMessage;

class PollingTest {

    private static final String CONFLICT = "{\"ok\":false,\"error_code\":409,\"description\":\"Conflict: terminated by "
            + "other getUpdates request; make sure that only one bot instance is running\"}";

    private final Harness h;

    PollingTest() throws Exception {
        h = new Harness();
    }

    @AfterEach
    void close() throws Exception {
        h.close();
    }

    @Test
    void thePluginIdMapsToTheFactoryPid() {
        assertThat(PluginConstants.factoryPid(TelegramConnector.PLUGIN_ID)).isEqualTo(TelegramConnector.FACTORY_PID);
    }

    @Test
    void startDeletesTheWebhookKeepingUpdatesThenLongPollsWithTheOffset() throws Exception {
        h.telegram.update("message", privateText(77, 1, "Hello"));
        h.telegram.update("message", privateText(77, 2, "/start"));

        TelegramConnector connector = h.start(h.polling());

        IncomingMessage first = h.context.next();
        IncomingMessage second = h.context.next();
        assertThat(first).isEqualTo(new IncomingMessage("77", "1", "77", "Ada Lovelace", "Hello", List.of()));
        assertThat(second.text()).isEqualTo("/start");
        long third = h.telegram.update("message", privateText(77, 3, "Third"));
        assertThat(h.context.next().text()).isEqualTo("Third");
        await("the offset past the third update is saved", () -> savedOffset() == third + 1);

        assertThat(h.telegram.methods()).startsWith("deleteWebhook", "getMe", "getUpdates", "getUpdates");
        assertThat(h.telegram.calls("deleteWebhook").get(0).json()).isEqualTo(json("{\"drop_pending_updates\":false}"));
        assertThat(h.telegram.calls("deleteWebhook").get(0).path()).isEqualTo("/tg/bot" + TOKEN + "/deleteWebhook");
        List<JsonNode> polls = h.telegram.calls("getUpdates").stream().map(FakeTelegram.Received::json).toList();
        // the check at start confirms nothing: the first poll asks from the same (no) offset
        assertThat(polls.get(0)).isEqualTo(json("{\"limit\":1,\"timeout\":0,\"allowed_updates\":[\"message\"]}"));
        assertThat(polls.get(1)).isEqualTo(json("{\"limit\":100,\"timeout\":1,\"allowed_updates\":[\"message\"]}"));
        assertThat(polls.get(2).get("offset").asLong()).isEqualTo(third);
        assertThat(polls).extracting(p -> p.path("offset").asLong(0)).isSorted();
        assertThat(h.lines("INFO")).contains("telegram 'main' polls for updates as @" + FakeTelegram.BOT_USERNAME);
        assertThat(connector.testConnection()).isEqualTo(ConnectionTestResult.ok("reached " + h.telegram.baseUrl()
                + " as @" + FakeTelegram.BOT_USERNAME + "; polling for updates"));
    }

    @Test
    void theSavedOffsetSurvivesANewConnectorWithoutDuplicatesOrGaps() throws Exception {
        h.telegram.update("message", privateText(77, 1, "one"));
        h.telegram.update("message", privateText(77, 2, "two"));
        List<ObjectNode> handedOn = h.telegram.pending();
        TelegramConnector first = h.start(h.polling());
        assertThat(List.of(h.context.next().text(), h.context.next().text())).containsExactly("one", "two");
        await("the offset is saved", () -> savedOffset() == 1002);
        h.stop(first);
        assertThat(Harness.threadsAlive("grambot-telegram-main")).isFalse();

        // as if the stopped connector's confirming getUpdates never reached Telegram; a new update comes meanwhile
        h.telegram.unconfirm(handedOn);
        h.telegram.update("message", privateText(77, 3, "three"));
        int before = h.telegram.calls("getUpdates").size();
        h.start(h.polling(), h.context);

        assertThat(h.context.next().text()).isEqualTo("three");
        assertThat(h.context.emitted.poll(300, TimeUnit.MILLISECONDS)).isNull();
        assertThat(h.telegram.calls("getUpdates").get(before).json().get("offset").asLong()).isEqualTo(1002);
    }

    @Test
    void anUpdateTheBotsCannotTakeIsFetchedAgainNotSkipped() throws Exception {
        h.context.refusals.add(new PluginException("the event queue is full", 0, true, null, null));
        h.telegram.update("message", privateText(77, 1, "one"));
        h.telegram.update("message", privateText(77, 2, "two"));

        h.start(h.polling());

        assertThat(List.of(h.context.next().text(), h.context.next().text())).containsExactly("one", "two");
        assertThat(h.context.emitted.poll(300, TimeUnit.MILLISECONDS)).isNull();
        assertThat(h.lines("WARN")).anyMatch(line -> line.startsWith("telegram 'main': getting updates failed: the "
                + "event queue is full; trying again in "));
        assertThat(h.sleeps).isNotEmpty();
    }

    @Test
    void aSavedOffsetOlderThanTelegramKeepsUpdatesIsNotUsed() throws Exception {
        Files.writeString(h.data.resolve(OffsetStore.FILE), "{\"offset\":5000,\"savedAt\":\""
                + Instant.now().minus(Duration.ofHours(30)) + "\"}");
        h.telegram.update("message", privateText(77, 1, "after a long pause"));

        h.start(h.polling());

        assertThat(h.context.next().text()).isEqualTo("after a long pause");
        assertThat(h.telegram.calls("getUpdates").get(0).json().has("offset")).isFalse();
        assertThat(h.lines("INFO")).anyMatch(line -> line.contains("older than Telegram keeps updates"));
    }

    @Test
    void aConflictAtStartDeletesTheWebhookOnceThenFailsTheStart() {
        h.telegram.then("getUpdates", answer(409, CONFLICT)).then("getUpdates", answer(409, CONFLICT));

        PluginException e = catchThrowableOfType(PluginException.class, () -> h.start(h.polling()));

        assertThat(e).hasMessage("telegram 'main' cannot start polling: another program receives this bot's updates "
                + "(Conflict: terminated by other getUpdates request; make sure that only one bot instance is "
                + "running); only one poller per bot token can run");
        assertThat(h.telegram.methods()).containsExactly("deleteWebhook", "getMe", "getUpdates", "deleteWebhook",
                "getUpdates");
        assertThat(Harness.threadsAlive("grambot-telegram-main")).isFalse();
    }

    @Test
    void oneConflictAtStartIsClearedByDeletingTheWebhook() throws Exception {
        h.telegram.then("getUpdates", answer(409, "{\"ok\":false,\"error_code\":409,\"description\":\"Conflict: can't "
                + "use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first\"}"));
        h.telegram.update("message", privateText(77, 1, "hi"));

        h.start(h.polling());

        assertThat(h.context.next().text()).isEqualTo("hi");
        assertThat(h.telegram.methods()).startsWith("deleteWebhook", "getMe", "getUpdates", "deleteWebhook",
                "getUpdates", "getUpdates");
    }

    @Test
    void aSecondConflictWhilePollingStopsPollingAndSaysWhy() throws Exception {
        h.telegram.then("getUpdates", PASS).then("getUpdates", answer(409, CONFLICT))
                .then("getUpdates", answer(409, CONFLICT));

        TelegramConnector connector = h.start(h.polling());
        await("polling stops", () -> !connector.poller().alive());

        String reason = "telegram 'main' stops polling: another program receives this bot's updates (Conflict: "
                + "terminated by other getUpdates request; make sure that only one bot instance is running); only "
                + "one poller per bot token can run";
        assertThat(h.lines("ERROR")).containsExactly(reason);
        assertThat(h.telegram.methods()).containsExactly("deleteWebhook", "getMe", "getUpdates", "getUpdates",
                "deleteWebhook", "getUpdates");
        assertThat(connector.testConnection()).isEqualTo(ConnectionTestResult.failed("reached "
                + h.telegram.baseUrl() + " as @" + FakeTelegram.BOT_USERNAME + ", but " + reason));
    }

    @Test
    void rateLimitedPollsWaitAsTelegramSaysInTheBody() throws Exception {
        String tooMany = "{\"ok\":false,\"error_code\":429,\"description\":\"Too Many Requests: retry after 7\","
                + "\"parameters\":{\"retry_after\":7}}";
        h.telegram.then("getUpdates", PASS).then("getUpdates", answer(429, tooMany));
        h.telegram.update("message", privateText(77, 1, "hi"));

        h.start(h.polling());

        assertThat(h.context.next().text()).isEqualTo("hi");
        assertThat(h.sleeps).containsExactly(Duration.ofSeconds(7));
    }

    @Test
    void aBrokenConnectionIsRetriedThenBackedOffAndPollingGoesOn() throws Exception {
        FakeTelegram.Answer drop = (exchange, request) -> {
            throw new java.io.IOException("dropping the connection on purpose");
        };
        // the HTTP client's own three attempts fail, then the poller's next round succeeds
        h.telegram.then("getUpdates", PASS).then("getUpdates", drop).then("getUpdates", drop)
                .then("getUpdates", drop);
        h.telegram.update("message", privateText(77, 1, "back online"));

        h.start(h.polling());

        assertThat(h.context.next().text()).isEqualTo("back online");
        assertThat(h.lines("WARN")).anyMatch(line -> line.startsWith("telegram 'main': getting updates failed: POST "
                + h.telegram.baseUrl() + "/bot******/getUpdates failed: the connection broke before a complete "
                + "answer") && line.contains("(gave up after 3 attempts); trying again in "));
        assertThat(h.sleeps).hasSize(3); // two backoffs of the HTTP client, one of the poller
    }

    @Test
    void malformedJsonIsExplainedAndPollingGoesOn() throws Exception {
        h.telegram.then("getUpdates", PASS).then("getUpdates", answer(200, "{\"ok\":true,\"result\":[{\"update_id\":"));
        h.telegram.update("message", privateText(77, 1, "still here"));

        h.start(h.polling());

        assertThat(h.context.next().text()).isEqualTo("still here");
        assertThat(h.lines("WARN")).anyMatch(line -> line.startsWith("telegram 'main': getting updates failed: "
                + "expected a JSON answer from POST " + h.telegram.baseUrl() + "/bot******/getUpdates, found "
                + "application/json (34 bytes): {\"ok\":true,\"result\":[{\"update_id\": (Unexpected end-of-input within/between Object entries); trying again"
                + " in "));
    }

    @Test
    void anUpdateWithoutItsChatIsSkippedAndTheNextHandled() throws Exception {
        ObjectNode broken = privateText(77, 1, "no chat");
        broken.remove("chat");
        long skipped = h.telegram.update("message", broken);
        h.telegram.update("message", privateText(77, 2, "fine"));

        h.start(h.polling());

        assertThat(h.context.next().text()).isEqualTo("fine");
        assertThat(h.lines("WARN")).contains("telegram 'main' skips an update: update " + skipped + " has a message "
                + "without 'chat.id' or 'message_id'");
    }

    @Test
    void aRefusedTokenFailsTheStartWithTelegramsDescriptionAndNoToken() {
        h.context.secret(TelegramConnector.BOT_TOKEN, "42:wrong-token");

        PluginException e = catchThrowableOfType(PluginException.class, () -> h.start(h.polling()));

        assertThat(e).hasMessage("telegram 'main' cannot start polling: Telegram refuses the bot token (Unauthorized); "
                + "set 'botToken' to the token @BotFather gave");
        assertThat(e.getCause()).hasMessage("POST " + h.telegram.baseUrl() + "/bot******/deleteWebhook answered 401 "
                + "Unauthorized: Unauthorized");
        assertThat(h.telegram.received().get(0).path()).isEqualTo("/tg/bot42:wrong-token/deleteWebhook");
    }

    @Test
    void withoutATokenTheStartSaysWhatToSet() {
        FakeContext empty = new FakeContext("main", h.data);

        PluginException e = catchThrowableOfType(PluginException.class, () -> h.start(h.polling(), empty));

        assertThat(e).hasMessage("instance 'main' has no bot token: set 'botToken' to the token @BotFather gave for "
                + "the bot");
        assertThat(h.telegram.received()).isEmpty();
    }

    @Test
    void connectionTestNamesTheBotOrTelegramsReason() throws Exception {
        TelegramConnector connector = h.start(h.polling());
        assertThat(connector.testConnection().message()).startsWith("reached " + h.telegram.baseUrl() + " as @"
                + FakeTelegram.BOT_USERNAME);

        h.context.secret(TelegramConnector.BOT_TOKEN, "42:revoked-token"); // read for every call

        assertThat(connector.testConnection()).isEqualTo(ConnectionTestResult.failed("POST " + h.telegram.baseUrl()
                + "/bot******/getMe answered 401 Unauthorized: Unauthorized"));
    }

    @Test
    void deactivationEndsALongPollAtOnce() throws Exception {
        TelegramConnector connector = h.start(h.settings(TelegramSettings.Mode.POLLING,
                TelegramSettings.GroupMode.MENTION, TelegramSettings.ParseMode.NONE, false));
        await("a long poll is waiting", () -> h.telegram.calls("getUpdates").size() >= 2);

        long started = System.nanoTime();
        h.stop(connector);

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        assertThat(connector.poller().alive()).isFalse();
        await("no thread of the instance is left", () -> !Harness.threadsAlive("grambot-telegram-main"));
    }

    private long savedOffset() {
        try {
            return FakeTelegram.JSON.readTree(Files.readString(h.data.resolve(OffsetStore.FILE),
                    StandardCharsets.UTF_8)).get("offset").asLong();
        } catch (Exception e) {
            return -1;
        }
    }

    private static JsonNode json(String text) {
        try {
            return FakeTelegram.JSON.readTree(text);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
