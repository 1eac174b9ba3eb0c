package io.grambot.plugin.telegram.internal;

import static io.grambot.plugin.telegram.internal.FakeTelegram.JSON;
import static io.grambot.plugin.telegram.internal.FakeTelegram.privateText;
import static io.grambot.plugin.telegram.internal.Harness.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.grambot.api.connector.OutgoingMessage;
import io.grambot.plugin.telegram.internal.TelegramSettings.GroupMode;
import io.grambot.plugin.telegram.internal.TelegramSettings.Mode;
import io.grambot.plugin.telegram.internal.TelegramSettings.ParseMode;

class TypingTest {

    private final Harness h;

    TypingTest() throws Exception {
        h = new Harness();
    }

    @AfterEach
    void close() throws Exception {
        h.close();
    }

    @Test
    void typingIsShownRepeatedlyFromTheHandOverUntilTheAnswer() throws Exception {
        h.typingPeriod = Duration.ofMillis(20);
        h.telegram.update("message", privateText(77, 1, "think hard"));
        TelegramConnector connector = h.start(h.settings(Mode.POLLING, GroupMode.MENTION, ParseMode.NONE, true));

        h.context.next();
        await("typing is shown again", () -> h.telegram.calls("sendChatAction").size() >= 3);
        assertThat(h.telegram.calls("sendChatAction").get(0).json())
                .isEqualTo(JSON.readTree("{\"chat_id\":77,\"action\":\"typing\"}"));
        assertThat(connector.typing().active("77")).isTrue();

        connector.send(OutgoingMessage.text("77", "Done thinking."));

        assertThat(connector.typing().active("77")).isFalse();
    }

    @Test
    void typingStopsWhenTheLastMessageOfTheChatIsAnsweredOrTheBoundPasses() {
        List<String> actions = new CopyOnWriteArrayList<>();
        try (Typing typing = new Typing(Executors.newSingleThreadScheduledExecutor(), Duration.ofMillis(10),
                Duration.ofMillis(150), actions::add)) {
            typing.started("1");
            typing.started("1");
            typing.answered("1");
            assertThat(typing.active("1")).isTrue(); // one of its two messages is still being answered
            typing.answered("1");
            assertThat(typing.active("1")).isFalse();

            typing.started("2"); // never answered
            await("the bound ends typing", () -> !typing.active("2"));
            // "1" maybe not: it may be answered before its first action is due
            assertThat(actions).contains("2").allMatch(chat -> chat.equals("1") || chat.equals("2"));
            typing.answered("2"); // late: nothing to stop
            assertThat(typing.active("2")).isFalse();
        }
    }
}
