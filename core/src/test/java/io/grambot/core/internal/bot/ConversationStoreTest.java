package io.grambot.core.internal.bot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.grambot.api.inference.ChatMessage;
import io.grambot.api.inference.Role;
import io.grambot.api.inference.ToolCall;
import io.grambot.core.internal.bot.ConversationStore.Summary;

class ConversationStoreTest {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    @TempDir
    Path bot;

    private Instant now = T0;
    private final Clock clock = new Clock() {
        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    };

    private ConversationStore store() {
        return new ConversationStore(bot, ConversationStoreTest::write, clock);
    }

    private static void write(Path file, byte[] content) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, content);
    }

    @Test
    void aFileSaysWhatItHoldsBeforeTheHistoryAndLoadsBack() throws IOException {
        ConversationStore store = store();
        List<ChatMessage> added = List.of(ChatMessage.user("what is 2+2?"),
                ChatMessage.assistant("", List.of(new ToolCall("t1", "calc", Map.of("expr", "2+2")))),
                ChatMessage.toolResult("t1", "4"), ChatMessage.assistant("4", List.of()));

        store.append("webchat", "room-1", List.of(), added, 50);

        Path file = bot.resolve("webchat").resolve(ConversationStore.key("room-1") + ".json");
        assertThat(Files.readString(file)).startsWith("{\"format\":2,\"conversationId\":\"room-1\","
                + "\"connector\":\"webchat\",\"updated\":\"2026-03-01T10:00:00Z\",\"messageCount\":4,\"messages\":[");
        List<ChatMessage> loaded = store.load("webchat", "room-1");
        assertThat(loaded).extracting(ChatMessage::role).containsExactly(Role.USER, Role.ASSISTANT, Role.TOOL,
                Role.ASSISTANT);
        assertThat(loaded.get(1).toolCalls()).containsExactly(new ToolCall("t1", "calc", Map.of("expr", "2+2")));
        assertThat(loaded.get(2).toolCallId()).isEqualTo("t1");
        assertThat(loaded.get(3).text()).isEqualTo("4");
    }

    @Test
    void anOlderFileWithoutHeaderIsReadListedAndRewrittenWithItsHeaderOnTheNextTurn() throws IOException {
        Path file = bot.resolve("webchat").resolve(ConversationStore.key("old-room") + ".json");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "[{\"role\":\"USER\",\"text\":\"hi\",\"toolCalls\":[],\"toolCallId\":null},"
                + "{\"role\":\"ASSISTANT\",\"text\":\"hello\",\"toolCalls\":[],\"toolCallId\":null}]");
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2025-12-24T18:00:00Z")));
        ConversationStore store = store();

        assertThat(store.conversations(null)).containsExactly(new Summary("webchat",
                ConversationStore.key("old-room"), null, 2, Instant.parse("2025-12-24T18:00:00Z"), null));
        List<ChatMessage> history = store.load("webchat", "old-room");
        assertThat(history).extracting(ChatMessage::text).containsExactly("hi", "hello");

        store.append("webchat", "old-room", history, List.of(ChatMessage.user("again")), 50);

        assertThat(store.conversations("webchat")).containsExactly(new Summary("webchat",
                ConversationStore.key("old-room"), "old-room", 3, T0, null));
        assertThat(store.load("webchat", "old-room")).extracting(ChatMessage::text).containsExactly("hi", "hello",
                "again");
    }

    @Test
    void listingReadsOnlyTheHeaderNotTheHistory() throws IOException {
        ConversationStore store = store();
        store.append("webchat", "long", List.of(), List.of(ChatMessage.user("x")), 50);
        Path file = bot.resolve("webchat").resolve(ConversationStore.key("long") + ".json");
        // the header stays intact, what follows "messages": is not JSON at all
        String header = Files.readString(file);
        header = header.substring(0, header.indexOf("\"messages\":") + "\"messages\":".length());
        Files.writeString(file, header + "[{\"role\":\"USER\", this history is never parsed by a listing");

        assertThat(store.conversations(null)).containsExactly(new Summary("webchat", ConversationStore.key("long"),
                "long", 1, T0, null));
        assertThatThrownBy(() -> store.load("webchat", "long")).isInstanceOf(IOException.class);
    }

    @Test
    void listsPerConnectorOrAllNewestFirstAndSkipsFilesThatAreNotConversations() throws IOException {
        ConversationStore store = store();
        store.append("webchat", "a", List.of(), List.of(ChatMessage.user("1")), 50);
        now = T0.plusSeconds(60);
        store.append("telegram", "b", List.of(), List.of(ChatMessage.user("1"), ChatMessage.assistant("2",
                List.of())), 50);
        now = T0.plusSeconds(120);
        store.append("webchat", "c", List.of(), List.of(ChatMessage.user("1")), 50);
        Files.writeString(bot.resolve("webchat").resolve("." + ConversationStore.key("d") + ".json.tmp"), "[");
        Files.writeString(bot.resolve("webchat").resolve("notes.json"), "{}");

        assertThat(store.conversations(null)).extracting(Summary::conversationId).containsExactly("c", "b", "a");
        assertThat(store.conversations("webchat")).extracting(Summary::conversationId).containsExactly("c", "a");
        assertThat(store.conversations("telegram")).singleElement()
                .isEqualTo(new Summary("telegram", ConversationStore.key("b"), "b", 2, T0.plusSeconds(60), null));
        assertThat(store.conversations("nobody")).isEmpty();
        assertThat(new ConversationStore(bot.resolve("no-such-bot"), ConversationStoreTest::write)
                .conversations(null)).isEmpty();
    }

    @Test
    void aBrokenFileIsListedWithItsProblemAndCanBeDeleted() throws IOException {
        Path file = bot.resolve("webchat").resolve(ConversationStore.key("broken") + ".json");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "{\"format\":2,\"conversationId\":");
        ConversationStore store = store();

        Summary summary = store.conversations(null).get(0);
        assertThat(summary.messages()).isEqualTo(-1);
        assertThat(summary.problem()).isNotBlank();

        assertThat(store.delete("webchat", summary.key())).isTrue();
        assertThat(file).doesNotExist();
    }

    @Test
    void clearAndDeleteForgetAConversationAndSayWhetherThereWasOne() throws IOException {
        ConversationStore store = store();
        store.append("webchat", "one", List.of(), List.of(ChatMessage.user("1")), 50);
        store.append("webchat", "two", List.of(), List.of(ChatMessage.user("2")), 50);

        assertThat(store.clear("webchat", "one")).isTrue();
        assertThat(store.clear("webchat", "one")).isFalse();
        assertThat(store.delete("webchat", ConversationStore.key("two"))).isTrue();

        assertThat(store.conversations(null)).isEmpty();
        assertThat(store.load("webchat", "one")).isEmpty();
    }

    @Test
    void keysAndConnectorsFromAFormCannotNameAnotherFile() throws IOException {
        Files.writeString(bot.resolve("secret.json"), "keep");
        ConversationStore store = store();
        String key = ConversationStore.key("x");

        assertThatThrownBy(() -> store.delete("..", key)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("plain name");
        assertThatThrownBy(() -> store.delete("a/b", key)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.delete("webchat", "../../secret")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("32 lower-case hex digits");
        assertThatThrownBy(() -> ConversationStore.check("webchat", key.toUpperCase()))
                .isInstanceOf(IllegalArgumentException.class);
        ConversationStore.check("webchat", key);
        assertThat(bot.resolve("secret.json")).hasContent("keep");
    }

    @Test
    void aFileOfANewerFormatIsNotReadSoNoTurnOverwritesIt() throws IOException {
        Path file = bot.resolve("webchat").resolve(ConversationStore.key("future") + ".json");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "{\"format\":3,\"conversationId\":\"future\",\"messages\":[]}");

        assertThatThrownBy(() -> store().load("webchat", "future")).isInstanceOf(IOException.class)
                .hasMessageContaining("format 3");
    }

    @Test
    void trimmingKeepsTheLastMessagesStartingWithThePerson() throws IOException {
        ConversationStore store = store();
        List<ChatMessage> history = List.of(ChatMessage.user("q1"),
                ChatMessage.assistant("", List.of(new ToolCall("t1", "calc", Map.of()))),
                ChatMessage.toolResult("t1", "r1"), ChatMessage.assistant("a1", List.of()));

        List<ChatMessage> kept = store.append("webchat", "t", history,
                List.of(ChatMessage.user("q2"), ChatMessage.assistant("a2", List.of())), 4);

        // the last 4 would start with the tool result; it leaves with its question
        assertThat(kept).extracting(ChatMessage::text).containsExactly("q2", "a2");
        assertThat(store.conversations(null).get(0).messages()).isEqualTo(2);
    }
}
