package io.grambot.plugin.webchat.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

class ConversationsTest {

    private final Conversations conversations = new Conversations(new ObjectMapper(), 3, 2);

    @Test
    void aPageThatConnectsGetsWhatItMissedThenWhatComesWithoutGapsOrRepeats() throws Exception {
        conversations.append("a", Map.of("from", "user", "text", "one"));
        conversations.append("a", Map.of("from", "bot", "text", "two"));
        List<Long> seen = new ArrayList<>();
        AutoCloseable listening = conversations.listen("a", 1, entry -> seen.add(entry.seq()));
        conversations.append("a", Map.of("from", "user", "text", "three"));
        listening.close();
        conversations.append("a", Map.of("from", "bot", "text", "four"));

        assertThat(seen).containsExactly(2L, 3L);
    }

    @Test
    void aPageThatIsGoneAndClosesItsHandleWhileOfferedAnEntryIsDroppedAndTheMessageGoesThrough() throws Exception {
        List<Long> alive = new ArrayList<>();
        AutoCloseable[] handle = new AutoCloseable[1];
        handle[0] = conversations.listen("a", 0, entry -> {
            try {
                handle[0].close(); // what a broken connection's stream does: it unregisters itself
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            return false;
        });
        conversations.listen("a", 0, entry -> alive.add(entry.seq()));

        long first = conversations.append("a", Map.of("from", "user", "text", "still there?"));
        long second = conversations.append("a", Map.of("from", "bot", "text", "yes"));

        assertThat(first).isEqualTo(1);
        assertThat(second).isEqualTo(2);
        assertThat(alive).containsExactly(1L, 2L);
    }

    @Test
    void entriesAreNumberedJsonOnOneLine() {
        conversations.append("a", Map.of("from", "bot", "text", "line one\nline two"));

        Conversations.Entry entry = conversations.transcript("a").get(0);
        assertThat(entry.json()).startsWith("{\"seq\":1,").contains("line one\\nline two").doesNotContain("\n");
    }

    @Test
    void keepsOnlyTheLastEntriesAndTheRecentConversations() {
        for (int i = 1; i <= 5; i++) {
            conversations.append("a", Map.of("text", "m" + i));
        }
        assertThat(conversations.transcript("a")).extracting(Conversations.Entry::seq).containsExactly(3L, 4L, 5L);

        conversations.append("b", Map.of("text", "b"));
        conversations.append("c", Map.of("text", "c")); // three conversations, two kept: "a" was idle longest
        assertThat(conversations.transcript("a")).isEmpty();
        assertThat(conversations.transcript("c")).hasSize(1);
    }

    @Test
    void aPageThatIsGoneIsDroppedAtTheNextEntryOrPing() {
        List<Long> seen = new ArrayList<>();
        conversations.listen("a", 0, entry -> {
            seen.add(entry.seq());
            return false;
        });
        conversations.append("a", Map.of("text", "first"));
        conversations.append("a", Map.of("text", "second"));
        assertThat(seen).containsExactly(1L);

        boolean[] alive = { true };
        conversations.listen("a", 2, new Conversations.Listener() {
            @Override
            public boolean deliver(Conversations.Entry entry) {
                return true;
            }

            @Override
            public boolean ping() {
                return alive[0];
            }
        });
        assertThat(conversations.listening()).isEqualTo(1);
        alive[0] = false;
        conversations.ping();
        assertThat(conversations.listening()).isZero();
    }
}
