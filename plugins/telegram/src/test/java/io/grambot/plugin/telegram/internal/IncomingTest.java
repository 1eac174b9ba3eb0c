package io.grambot.plugin.telegram.internal;

import static io.grambot.plugin.telegram.internal.FakeTelegram.BOT_ID;
import static io.grambot.plugin.telegram.internal.FakeTelegram.BOT_USERNAME;
import static io.grambot.plugin.telegram.internal.FakeTelegram.JSON;
import static io.grambot.plugin.telegram.internal.FakeTelegram.groupText;
import static io.grambot.plugin.telegram.internal.FakeTelegram.privateText;
import static io.grambot.plugin.telegram.internal.Harness.TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.grambot.api.Media;
import io.grambot.api.connector.IncomingMessage;
import io.grambot.plugin.telegram.internal.TelegramSettings.GroupMode;
import io.grambot.plugin.telegram.internal.TelegramSettings.Mode;
import io.grambot.plugin.telegram.internal.TelegramSettings.ParseMode;

class IncomingTest {

    private static final long GROUP = -1001234567890L;
    private static final byte[] JPEG = { (byte) 0xff, (byte) 0xd8, (byte) 0xff, (byte) 0xe0, 0, 0x10, 'J', 'F', 'I',
            'F', 0, (byte) 0xff, (byte) 0xd9 };

    private final Harness h;

    IncomingTest() throws Exception {
        h = new Harness();
    }

    @AfterEach
    void close() throws Exception {
        h.close();
    }

    @Test
    void inGroupsOnlyMentionsRepliesAndCommandsForTheBotAreAnswered() throws Exception {
        h.telegram.update("message", groupText(GROUP, 5, 1, "hello everyone"));
        h.telegram.update("message", groupText(GROUP, 5, 2, "@" + BOT_USERNAME + " what time is it?"));
        ObjectNode reply = groupText(GROUP, 5, 3, "and in Paris?");
        reply.putObject("reply_to_message").put("message_id", 9000).putObject("from").put("id", BOT_ID)
                .put("is_bot", true);
        h.telegram.update("message", reply);
        h.telegram.update("message", groupText(GROUP, 5, 4, "/reset@" + BOT_USERNAME.toUpperCase()));
        h.telegram.update("message", groupText(GROUP, 5, 5, "/start@other_bot"));
        h.telegram.update("message", groupText(GROUP, 5, 6, "write to me@" + BOT_USERNAME + "_fans.org"));
        ObjectNode fromBot = groupText(GROUP, 6, 7, "@" + BOT_USERNAME + " hi from a bot");
        ((ObjectNode) fromBot.get("from")).put("is_bot", true);
        h.telegram.update("message", fromBot);
        h.telegram.update("message", groupText(GROUP, 5, 8, "/help"));
        h.telegram.update("message", privateText(77, 9, "/start@" + BOT_USERNAME + " now"));
        long last = h.telegram.update("message", privateText(77, 10, "no mention needed here"));

        h.start(h.polling());

        List<IncomingMessage> answered = List.of(h.context.next(), h.context.next(), h.context.next(),
                h.context.next(), h.context.next(), h.context.next());
        assertThat(answered).extracting(IncomingMessage::messageId).containsExactly("2", "3", "4", "8", "9", "10");
        assertThat(answered).extracting(IncomingMessage::text).containsExactly("@" + BOT_USERNAME
                + " what time is it?", "and in Paris?", "/reset", "/help", "/start now", "no mention needed here");
        assertThat(answered.get(0)).isEqualTo(new IncomingMessage(Long.toString(GROUP), "2", "5", "Grace",
                "@" + BOT_USERNAME + " what time is it?", List.of()));
        Harness.await("all updates are confirmed", () -> h.telegram.calls("getUpdates").stream()
                .anyMatch(call -> call.json().path("offset").asLong() == last + 1));
        assertThat(h.context.emitted).isEmpty();
    }

    @Test
    void groupModeAllAnswersEverythingAndOffNothing() throws Exception {
        ObjectNode plain = update(groupText(GROUP, 5, 1, "just talking"));
        ObjectNode other = update(groupText(GROUP, 5, 2, "/start@other_bot"));
        ObjectNode mine = update(groupText(GROUP, 5, 3, "/start@" + BOT_USERNAME));

        UpdateReader all = reader(GroupMode.ALL);
        UpdateReader off = reader(GroupMode.OFF);

        assertThat(all.read(plain)).map(IncomingMessage::text).contains("just talking");
        assertThat(all.read(other)).isEmpty();
        assertThat(all.read(mine)).map(IncomingMessage::text).contains("/start");
        assertThat(off.read(plain)).isEmpty();
        assertThat(off.read(mine)).isEmpty();
        assertThat(off.read(update(privateText(77, 4, "private chats are always answered"))))
                .map(IncomingMessage::text).contains("private chats are always answered");
    }

    @Test
    void editsChannelPostsAndStickersAreNotAnsweredUnlessAskedFor() throws Exception {
        ObjectNode edit = JSON.createObjectNode().put("update_id", 1);
        edit.set("edited_message", privateText(77, 1, "typo fixed"));
        ObjectNode post = JSON.createObjectNode().put("update_id", 2);
        post.putObject("channel_post").put("message_id", 1).put("text", "news").putObject("chat").put("id", -100)
                .put("type", "channel");
        ObjectNode sticker = privateText(77, 3, "x");
        sticker.remove("text");
        sticker.putObject("sticker").put("file_id", "s");
        UpdateReader reader = reader(GroupMode.MENTION);

        assertThat(reader.read(edit)).isEmpty();
        assertThat(reader.read(post)).isEmpty();
        assertThat(reader.read(update(sticker))).isEmpty();

        TelegramSettings edits = new TelegramSettings(h.telegram.baseUrl(), Mode.POLLING, java.time.Duration.ZERO,
                List.of("message,edited_message"), GroupMode.MENTION, ParseMode.NONE,
                TelegramSettings.QuoteReplies.GROUPS, null, "/t", 0, false, java.time.Duration.ofSeconds(1), 0);
        assertThat(edits.allowedUpdates()).containsExactly("message", "edited_message");
        assertThat(new UpdateReader("main", edits, () -> new BotApi.Identity(BOT_ID, BOT_USERNAME), null, h.log())
                .read(edit)).map(IncomingMessage::text).contains("typo fixed");
    }

    @Test
    void theLargestSizeOfAPhotoIsDownloadedWithGetFileAndHandedOn() throws Exception {
        h.telegram.file("big", "photos/file_3.jpg", JPEG);
        ObjectNode message = privateText(77, 12, null);
        message.remove("text");
        message.put("caption", "What is this?");
        ArrayNode sizes = message.putArray("photo");
        sizes.addObject().put("file_id", "small").put("file_unique_id", "s1").put("width", 90).put("height", 67)
                .put("file_size", 1200);
        sizes.addObject().put("file_id", "big").put("file_unique_id", "AQADbig").put("width", 1280).put("height", 960)
                .put("file_size", JPEG.length + 5000);
        sizes.addObject().put("file_id", "mid").put("file_unique_id", "m1").put("width", 320).put("height", 240)
                .put("file_size", 4000);
        h.telegram.update("message", message);

        h.start(h.polling());

        IncomingMessage received = h.context.next();
        assertThat(received.text()).isEqualTo("What is this?");
        assertThat(received.attachments()).containsExactly(new Media("image/jpeg", JPEG, "photo-12.jpg"));
        assertThat(h.telegram.calls("getFile")).singleElement().satisfies(call ->
                assertThat(call.json()).isEqualTo(JSON.readTree("{\"file_id\":\"big\"}")));
        assertThat(h.telegram.calls("file")).singleElement().extracting(FakeTelegram.Received::path)
                .isEqualTo("/tg/file/bot" + TOKEN + "/photos/file_3.jpg");
        assertThat(Files.readAllBytes(h.data.resolve("files").resolve("AQADbig"))).isEqualTo(JPEG);
    }

    @Test
    void aFileLargerThanAllowedIsNotDownloadedButNoted() throws Exception {
        ObjectNode message = privateText(77, 13, "please read");
        message.putObject("document").put("file_id", "doc").put("file_unique_id", "d1").put("file_name", "report.pdf")
                .put("mime_type", "application/pdf").put("file_size", 25L << 20);

        Optional<IncomingMessage> read = reader(GroupMode.MENTION).read(update(message));

        assertThat(read).get().satisfies(m -> {
            assertThat(m.text()).isEqualTo("please read\n\n[the file 'report.pdf' was sent, but at 25.0 MB it is "
                    + "larger than the 1.0 MB this bot accepts]");
            assertThat(m.attachments()).isEmpty();
        });
        assertThat(h.telegram.received()).isEmpty();
    }

    @Test
    void aDocumentThatCannotBeFetchedIsNotedAndTheMessageStillGoes() throws Exception {
        ObjectNode message = privateText(77, 14, null);
        message.remove("text");
        message.putObject("document").put("file_id", "gone").put("file_unique_id", "g1").put("file_name", "a.txt");

        Optional<IncomingMessage> read = reader(GroupMode.MENTION).read(update(message));

        assertThat(read).map(IncomingMessage::text).contains("[the file 'a.txt' was sent, but could not be "
                + "downloaded]");
        assertThat(h.lines("WARN")).containsExactly("telegram 'main' cannot fetch the file 'a.txt': POST "
                + h.telegram.baseUrl() + "/bot******/getFile answered 400 Bad Request: Bad Request: invalid file_id");
    }

    @Test
    void aFileFetchedBeforeIsReadFromTheDataDirectory() throws Exception {
        Files.createDirectories(h.data.resolve("files"));
        Files.write(h.data.resolve("files").resolve("cached1"), JPEG);
        ObjectNode message = privateText(77, 15, "again");
        message.putArray("photo").addObject().put("file_id", "x").put("file_unique_id", "cached1").put("width", 10)
                .put("height", 10);

        assertThat(reader(GroupMode.MENTION).read(update(message))).get()
                .extracting(m -> m.attachments().get(0).data()).isEqualTo(JPEG);
        assertThat(h.telegram.received()).isEmpty();
    }

    private UpdateReader reader(GroupMode mode) {
        TelegramSettings settings = h.settings(Mode.POLLING, mode, ParseMode.NONE, false);
        BotApi api = new BotApi("main", settings, () -> h.context.secrets().get(TelegramConnector.BOT_TOKEN),
                h.log(), h.sleeps::add);
        return new UpdateReader("main", settings, () -> new BotApi.Identity(BOT_ID, BOT_USERNAME),
                new Downloads(h.data, api, settings.maxDownloadBytes(), Clock.systemUTC()), h.log());
    }

    private static ObjectNode update(ObjectNode message) {
        ObjectNode update = JSON.createObjectNode().put("update_id", 1);
        update.set("message", message);
        return update;
    }

}
