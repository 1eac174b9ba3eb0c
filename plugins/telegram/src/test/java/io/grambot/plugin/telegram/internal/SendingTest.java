package io.grambot.plugin.telegram.internal;

import static io.grambot.plugin.telegram.internal.FakeTelegram.JSON;
import static io.grambot.plugin.telegram.internal.FakeTelegram.answer;
import static io.grambot.plugin.telegram.internal.Harness.TOKEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.grambot.api.Media;
import io.grambot.api.PluginException;
import io.grambot.api.connector.OutgoingMessage;
import io.grambot.api.connector.PayloadValidation;
import io.grambot.plugin.telegram.internal.TelegramSettings.GroupMode;
import io.grambot.plugin.telegram.internal.TelegramSettings.Mode;
import io.grambot.plugin.telegram.internal.TelegramSettings.ParseMode;

class SendingTest {

    private static final String GROUP = "-1001234567890";
    private static final byte[] PNG = { (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 0x0d };

    private final Harness h;

    SendingTest() throws Exception {
        h = new Harness();
    }

    @AfterEach
    void close() throws Exception {
        h.close();
    }

    private TelegramConnector connector(ParseMode mode) throws PluginException {
        return h.start(h.settings(Mode.POLLING, GroupMode.MENTION, mode, false));
    }

    private List<JsonNode> sent() {
        return h.telegram.calls("sendMessage").stream().map(FakeTelegram.Received::json).toList();
    }

    @Test
    void aTextGoesToTheChatQuotingTheQuestionInGroupsOnly() throws Exception {
        TelegramConnector connector = connector(ParseMode.NONE);

        connector.send(new OutgoingMessage("77", "Hi *there*", List.of(), "12", Map.of()));
        connector.send(new OutgoingMessage(GROUP, "Hello group", List.of(), "34", Map.of()));

        assertThat(h.telegram.calls("sendMessage").get(0).path()).isEqualTo("/tg/bot" + TOKEN + "/sendMessage");
        assertThat(sent()).containsExactly(JSON.readTree("{\"chat_id\":77,\"text\":\"Hi *there*\"}"),
                JSON.readTree("{\"chat_id\":-1001234567890,\"reply_parameters\":{\"message_id\":34,"
                        + "\"allow_sending_without_reply\":true},\"text\":\"Hello group\"}"));
    }

    @Test
    void aLongAnswerIsSentInPartsOfAtMost4096CharactersQuotingOnlyOnce() throws Exception {
        String text = IntStream.range(0, 1200).mapToObj(i -> "word" + i).collect(Collectors.joining(" "));
        TelegramConnector connector = connector(ParseMode.NONE);

        connector.send(new OutgoingMessage(GROUP, text, List.of(), "5", Map.of()));

        List<JsonNode> parts = sent();
        assertThat(parts).hasSize(3);
        assertThat(parts).allSatisfy(p -> assertThat(p.get("text").asText().length()).isLessThanOrEqualTo(4096));
        assertThat(parts.stream().map(p -> p.get("text").asText()).collect(Collectors.joining(" "))).isEqualTo(text);
        assertThat(parts.get(0).has("reply_parameters")).isTrue();
        assertThat(parts.get(1).has("reply_parameters")).isFalse();
    }

    @Test
    void markdownV2IsEscapedAndSentWithItsParseMode() throws Exception {
        TelegramConnector connector = connector(ParseMode.MARKDOWN_V2);

        connector.send(OutgoingMessage.text("77", "**Done.** 1+1=2, see [docs](https://e.org/x_(y)) (v1.2)!"));

        assertThat(sent()).containsExactly(JSON.readTree("{\"chat_id\":77,\"text\":\"*Done\\\\.* 1\\\\+1\\\\=2, see "
                + "[docs](https://e.org/x_(y\\\\)) \\\\(v1\\\\.2\\\\)\\\\!\",\"parse_mode\":\"MarkdownV2\"}"));
    }

    @Test
    void htmlIsSentWithItsParseMode() throws Exception {
        TelegramConnector connector = connector(ParseMode.HTML);

        connector.send(OutgoingMessage.text("77", "Use `a<b` & **enjoy**"));

        assertThat(sent()).containsExactly(JSON.readTree("{\"chat_id\":77,\"text\":\"Use <code>a&lt;b</code> &amp; "
                + "<b>enjoy</b>\",\"parse_mode\":\"HTML\"}"));
    }

    @Test
    void aTextTelegramCannotParseIsSentAgainAsPlainText() throws Exception {
        h.telegram.then("sendMessage", answer(400, "{\"ok\":false,\"error_code\":400,\"description\":\"Bad Request: "
                + "can't parse entities: Can't find end of the entity starting at byte offset 4\"}"));
        TelegramConnector connector = connector(ParseMode.MARKDOWN_V2);

        connector.send(OutgoingMessage.text("77", "**bold**"));

        assertThat(sent()).extracting(p -> p.path("parse_mode").asText(null), p -> p.get("text").asText())
                .containsExactly(org.assertj.core.groups.Tuple.tuple("MarkdownV2", "*bold*"),
                        org.assertj.core.groups.Tuple.tuple(null, "bold"));
        assertThat(h.lines("WARN")).anyMatch(line -> line.contains("sending it as plain text"));
    }

    @Test
    void anImageGoesAsAMultipartPhotoWithTheTextAsCaption() throws Exception {
        TelegramConnector connector = connector(ParseMode.HTML);

        connector.send(new OutgoingMessage(GROUP, "A **cat**", List.of(new Media("image/png", PNG, "cat.png")), "8",
                Map.of()));

        assertThat(h.telegram.calls("sendMessage")).isEmpty();
        FakeTelegram.Received upload = h.telegram.calls("sendPhoto").get(0);
        assertThat(upload.path()).isEqualTo("/tg/bot" + TOKEN + "/sendPhoto");
        assertThat(upload.header("Content-Type")).startsWith("multipart/form-data; boundary=GrambotFormBoundary");
        assertThat(upload.form()).containsExactly(Map.entry("chat_id", GROUP), Map.entry("caption", "A <b>cat</b>"),
                Map.entry("parse_mode", "HTML"),
                Map.entry("reply_parameters", "{\"message_id\":8,\"allow_sending_without_reply\":true}"),
                Map.entry("photo", "cat.png|image/png|" + new String(PNG, StandardCharsets.ISO_8859_1)));
    }

    @Test
    void aLongTextWithFilesGoesFirstAndOtherFilesAsDocuments() throws Exception {
        TelegramConnector connector = connector(ParseMode.NONE);
        byte[] csv = "a,b\n1,2\n".getBytes(StandardCharsets.UTF_8);

        connector.send(new OutgoingMessage("77", "x ".repeat(700), List.of(new Media("image/png", PNG),
                new Media("text/csv", csv, "data.csv")), null, Map.of()));

        assertThat(h.telegram.methods().stream().filter(m -> m.startsWith("send")).toList())
                .containsExactly("sendMessage", "sendPhoto", "sendDocument");
        assertThat(h.telegram.calls("sendPhoto").get(0).form()).containsEntry("photo",
                "image.png|image/png|" + new String(PNG, StandardCharsets.ISO_8859_1)).doesNotContainKey("caption");
        assertThat(h.telegram.calls("sendDocument").get(0).form()).containsEntry("document", "data.csv|text/csv|a,b\n1,2\n");
    }

    @Test
    void aRateLimitIsWaitedOutAsTelegramsBodySays() throws Exception {
        h.telegram.then("sendMessage", answer(429, "{\"ok\":false,\"error_code\":429,\"description\":\"Too Many "
                + "Requests: retry after 3\",\"parameters\":{\"retry_after\":3}}"));
        TelegramConnector connector = connector(ParseMode.NONE);

        connector.send(OutgoingMessage.text("77", "patience"));

        assertThat(h.sleeps).containsExactly(Duration.ofSeconds(3));
        assertThat(sent()).hasSize(2).allSatisfy(p -> assertThat(p.get("text").asText()).isEqualTo("patience"));
    }

    @Test
    void aRefusalCarriesTelegramsDescriptionWithTheTokenMasked() throws Exception {
        h.telegram.then("sendMessage", answer(403, "{\"ok\":false,\"error_code\":403,\"description\":\"Forbidden: bot "
                + "was blocked by the user\"}"));
        TelegramConnector connector = connector(ParseMode.NONE);

        PluginException e = catchThrowableOfType(PluginException.class,
                () -> connector.send(OutgoingMessage.text("77", "hello?")));

        assertThat(e).hasMessage("POST " + h.telegram.baseUrl() + "/bot******/sendMessage answered 403 Forbidden: "
                + "Forbidden: bot was blocked by the user");
        assertThat(e.status()).isEqualTo(403);
        assertThat(e.retryable()).isFalse();
    }

    @Test
    void aReactionIsSetOnTheAnsweredMessage() throws Exception {
        TelegramConnector connector = connector(ParseMode.NONE);

        connector.send(new OutgoingMessage("77", "", List.of(), "41", Map.of(Sender.REACTION, "👍")));

        assertThat(h.telegram.calls("setMessageReaction")).singleElement().satisfies(call -> assertThat(call.json())
                .isEqualTo(JSON.readTree("{\"chat_id\":77,\"message_id\":41,\"reaction\":[{\"type\":\"emoji\","
                        + "\"emoji\":\"👍\"}]}")));
        assertThat(h.telegram.calls("sendMessage")).isEmpty();
    }

    @Test
    void whatTelegramWouldRefuseIsRefusedBeforeAnythingIsSent() throws Exception {
        TelegramConnector connector = connector(ParseMode.NONE);

        assertThat(connector.validate(OutgoingMessage.text("77", "fine"))).isEqualTo(PayloadValidation.VALID);
        assertThat(connector.validate(OutgoingMessage.text("77", " \n ")).problems())
                .containsExactly("a message needs a text, an attachment or a reaction");
        assertThat(connector.validate(OutgoingMessage.text("web-chat-1", "hi")).problems())
                .containsExactly("'web-chat-1' is not a Telegram chat id (a number such as 123456789 or "
                        + "-1001234567890)");
        assertThat(connector.validate(new OutgoingMessage("77", "", List.of(new Media("video/mp4",
                new byte[(50 << 20) + 1], "big.mp4")), null, Map.of())).problems())
                .containsExactly("attachment 'big.mp4' (video/mp4) has 50.0 MB, more than the 50.0 MB Telegram takes "
                        + "from a bot");
        assertThat(connector.validate(new OutgoingMessage("77", "x", List.of(new Media("image/png", new byte[0])),
                "m1", Map.of(Sender.REACTION, 5))).problems()).containsExactly(
                        "'m1' is not a Telegram message id to reply to",
                        "option 'reaction' must be an emoji such as \"👍\", was 5",
                        "attachment 'image.png' (image/png) is empty");
        assertThat(connector.validate(new OutgoingMessage("77", "", List.of(), null, Map.of(Sender.REACTION, "👍")))
                .problems()).containsExactly("option 'reaction' needs replyToMessageId: the message to react to");
        PluginException e = catchThrowableOfType(PluginException.class,
                () -> connector.send(OutgoingMessage.text("77", "")));
        assertThat(e).hasMessage("telegram 'main' refused the message: a message needs a text, an attachment or a "
                + "reaction");
        assertThat(h.telegram.methods()).noneMatch(method -> method.startsWith("send") || method.startsWith("set"));
    }
}
