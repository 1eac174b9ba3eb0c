package io.grambot.plugin.telegram.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.grambot.plugin.telegram.internal.TelegramSettings.GroupMode;
import io.grambot.plugin.telegram.internal.TelegramSettings.Mode;
import io.grambot.plugin.telegram.internal.TelegramSettings.ParseMode;
import io.grambot.plugin.telegram.internal.TelegramSettings.QuoteReplies;

class SettingsTest {

    private static TelegramSettings settings(String baseUrl, Mode mode, long pollTimeout, URI publicUrl,
            String path) {
        return new TelegramSettings(baseUrl, mode, Duration.ofSeconds(pollTimeout), List.of(), GroupMode.MENTION,
                ParseMode.NONE, QuoteReplies.GROUPS, publicUrl, path, 0, true, Duration.ofSeconds(30), 3);
    }

    @Test
    void settingsAreCheckedWithWhatWasExpected() {
        assertThat(settings("https://api.telegram.org//", Mode.POLLING, 30, null, "/t").methodUrl("1:x", "getMe"))
                .isEqualTo("https://api.telegram.org/bot1:x/getMe");
        assertThat(settings("http://127.0.0.1:8081/", Mode.POLLING, 0, null, "/t").fileUrl("1:x", "photos/a.jpg"))
                .isEqualTo("http://127.0.0.1:8081/file/bot1:x/photos/a.jpg");
        assertThatThrownBy(() -> settings("api.telegram.org", Mode.POLLING, 30, null, "/t"))
                .hasMessage("setting 'baseUrl' must be an http or https URL without query, such as "
                        + "'https://api.telegram.org', was 'api.telegram.org'");
        assertThatThrownBy(() -> settings("https://api.telegram.org", Mode.POLLING, 51, null, "/t"))
                .hasMessage("setting 'pollTimeoutSeconds' must be from 0 to 50, was 51");
        assertThatThrownBy(() -> settings("https://api.telegram.org", Mode.WEBHOOK, 30, null, "/t"))
                .hasMessageStartingWith("setting 'publicUrl' is needed in webhook mode");
        assertThatThrownBy(() -> settings("https://api.telegram.org", Mode.WEBHOOK, 30, URI.create("http://x.org/h"),
                "/t")).hasMessage("setting 'publicUrl' must be an https URL (Telegram posts only to https), was "
                        + "'http://x.org/h'");
        assertThatThrownBy(() -> settings("https://api.telegram.org", Mode.POLLING, 30, null, "telegram"))
                .hasMessage("setting 'webhookPath' must be a path such as '/telegram/main', was 'telegram'");
        assertThatThrownBy(() -> TelegramSettings.choice("parseMode", ParseMode.values(), "markdown", m -> m.setting))
                .hasMessage("setting 'parseMode' must be one of 'none', 'MarkdownV2', 'HTML', was 'markdown'");
        assertThat(TelegramSettings.choice("parseMode", ParseMode.values(), "markdownv2", m -> m.setting))
                .isEqualTo(ParseMode.MARKDOWN_V2);
    }

    @Test
    void updateTypesAlwaysIncludeMessagesAndAreSplitAtCommas() {
        TelegramSettings settings = new TelegramSettings("https://api.telegram.org", Mode.POLLING, Duration.ZERO,
                List.of("edited_message, message", "message_reaction"), GroupMode.ALL, ParseMode.HTML,
                QuoteReplies.ALWAYS, null, "/t", 1, false, Duration.ofSeconds(1), 0);

        assertThat(settings.allowedUpdates()).containsExactly("message", "edited_message", "message_reaction");
        assertThat(settings.answersEdits()).isTrue();
        assertThatThrownBy(() -> new TelegramSettings("https://api.telegram.org", Mode.POLLING, Duration.ZERO,
                List.of("Message!"), GroupMode.ALL, ParseMode.HTML, QuoteReplies.ALWAYS, null, "/t", 1, false,
                Duration.ofSeconds(1), 0)).hasMessage("setting 'allowedUpdates' must list update types such as "
                        + "'message' or 'edited_message', had 'Message!'");
    }

    @Test
    void quotingFollowsTheChatKind() {
        assertThat(QuoteReplies.GROUPS.quote(77)).isFalse();
        assertThat(QuoteReplies.GROUPS.quote(-1001234567890L)).isTrue();
        assertThat(QuoteReplies.ALWAYS.quote(77)).isTrue();
        assertThat(QuoteReplies.NEVER.quote(-5)).isFalse();
    }

    @Test
    void theOffsetIsSavedAtomicallyAndReadBackWhileFresh(@TempDir Path directory) throws Exception {
        Instant now = Instant.parse("2026-03-01T12:00:00Z");
        List<String> lines = new CopyOnWriteArrayList<>();
        Log log = new Log() {
            @Override
            public void debug(String message) {}

            @Override
            public void info(String message) {
                lines.add(message);
            }

            @Override
            public void warn(String message) {
                lines.add(message);
            }

            @Override
            public void error(String message) {
                lines.add(message);
            }
        };
        OffsetStore store = new OffsetStore(directory, Clock.fixed(now, ZoneOffset.UTC), new ObjectMapper());
        assertThat(store.load(log)).isEmpty();

        store.save(1234);
        store.save(1235);

        assertThat(Files.readString(directory.resolve(OffsetStore.FILE)))
                .isEqualTo("{\"offset\":1235,\"savedAt\":\"2026-03-01T12:00:00Z\"}");
        try (var files = Files.list(directory)) {
            assertThat(files).containsExactly(directory.resolve(OffsetStore.FILE)); // no temporary file left
        }
        assertThat(store.load(log)).isEqualTo(OptionalLong.of(1235));
        OffsetStore dayLater = new OffsetStore(directory, Clock.fixed(now.plus(Duration.ofHours(25)),
                ZoneOffset.UTC), new ObjectMapper());
        assertThat(dayLater.load(log)).isEmpty();

        Files.writeString(directory.resolve(OffsetStore.FILE), "{\"offset\":"); // torn by hand
        assertThat(store.load(log)).isEmpty();
        assertThat(lines).last().asString().startsWith("cannot read the saved update offset");
    }
}
