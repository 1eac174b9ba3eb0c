package io.grambot.core.internal.bot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import io.grambot.api.inference.ChatMessage;

/**
 * How long listing a bot's conversations takes with thousands of files (headers only), against loading every
 * history. A measurement, not a test: it asserts nothing and runs only when asked for:
 *
 * <pre>
 * mvn -B -o -pl api,core test -Dtest=ConversationListing -Dsurefire.failIfNoSpecifiedTests=false -Dbenchmark=true
 * </pre>
 *
 * Optional: {@code -Dbenchmark.conversations=N} (default 5000), {@code -Dbenchmark.messages=N} (default 50).
 */
@EnabledIfSystemProperty(named = "benchmark", matches = "true")
class ConversationListing {

    @Test
    void listThousandsOfConversations() throws IOException {
        int conversations = Integer.getInteger("benchmark.conversations", 5000);
        int messages = Integer.getInteger("benchmark.messages", 50);
        Path directory = Files.createTempDirectory("grambot-listing");
        try {
            ConversationStore store = new ConversationStore(directory, (file, content) -> {
                Files.createDirectories(file.getParent());
                Files.write(file, content);
            });
            List<ChatMessage> history = new ArrayList<>();
            for (int m = 0; m < messages; m++) {
                history.add(m % 2 == 0 ? ChatMessage.user("question " + m + " " + "lorem ipsum ".repeat(15))
                        : ChatMessage.assistant("answer " + m + " " + "dolor sit amet ".repeat(15), List.of()));
            }
            for (int c = 0; c < conversations; c++) {
                store.append(c % 2 == 0 ? "webchat" : "telegram", "conversation-" + c, List.of(), history, messages);
            }
            for (int round = 1; round <= 3; round++) {
                long start = System.nanoTime();
                int listed = store.conversations(null).size();
                long listMs = (System.nanoTime() - start) / 1_000_000;
                start = System.nanoTime();
                int loaded = 0;
                for (int c = 0; c < conversations; c++) {
                    loaded += store.load(c % 2 == 0 ? "webchat" : "telegram", "conversation-" + c).size();
                }
                long loadMs = (System.nanoTime() - start) / 1_000_000;
                System.out.printf("round %d: listing %d conversations of %d messages (%d KB each) from headers: %d ms;"
                        + " loading every history instead: %d ms (%d messages)%n", round, listed, messages,
                        Files.size(directory.resolve("webchat").resolve(ConversationStore.key("conversation-0")
                                + ".json")) / 1024, listMs, loadMs, loaded);
            }
        } finally {
            try (Stream<Path> paths = Files.walk(directory)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
    }
}
