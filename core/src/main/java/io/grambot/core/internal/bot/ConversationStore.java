package io.grambot.core.internal.bot;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.grambot.api.inference.ChatMessage;
import io.grambot.api.inference.ContentPart;
import io.grambot.api.inference.Role;
import io.grambot.api.inference.ToolCall;

/**
 * The history of a bot's conversations, one JSON file per conversation under
 * {@code <bot directory>/<connector>/<sha-256 of the conversation id>.json}, written atomically.
 *
 * <p>Trimming rule: a conversation keeps its last {@code limit} messages, and the kept part always starts with a
 * message of the person (older tool calls and results are dropped with the question they belonged to). Images are
 * kept as a {@code [image]} note, not as bytes.
 */
public final class ConversationStore {

    /** A message as stored. */
    record Stored(String role, String text, List<Map<String, Object>> toolCalls, String toolCallId) {}

    private static final TypeReference<List<Stored>> FORMAT = new TypeReference<>() {};

    private final Path directory;
    private final ObjectMapper mapper = new ObjectMapper();
    private final Writer writer;

    /** Writes a file so that a crash leaves the old or the new content. */
    @FunctionalInterface
    public interface Writer {
        void write(Path file, byte[] content) throws IOException;
    }

    public ConversationStore(Path directory, Writer writer) {
        this.directory = directory;
        this.writer = writer;
    }

    public List<ChatMessage> load(String connector, String conversationId) throws IOException {
        Path file = file(connector, conversationId);
        if (!Files.exists(file)) {
            return List.of();
        }
        List<ChatMessage> history = new ArrayList<>();
        for (Stored stored : mapper.readValue(file.toFile(), FORMAT)) {
            List<ToolCall> calls = new ArrayList<>();
            for (Map<String, Object> call : stored.toolCalls() == null ? List.<Map<String, Object>>of() : stored.toolCalls()) {
                @SuppressWarnings("unchecked")
                Map<String, Object> arguments = (Map<String, Object>) call.getOrDefault("arguments", Map.of());
                calls.add(new ToolCall(String.valueOf(call.get("id")), String.valueOf(call.get("name")), arguments));
            }
            List<ContentPart> content = stored.text() == null || stored.text().isEmpty() ? List.of()
                    : List.of(new ContentPart.Text(stored.text()));
            history.add(new ChatMessage(Role.valueOf(stored.role()), content, calls, stored.toolCallId()));
        }
        return history;
    }

    /** Appends messages to a conversation, trimming it to {@code limit} messages by the rule above. */
    public List<ChatMessage> append(String connector, String conversationId, List<ChatMessage> history,
            List<ChatMessage> added, int limit) throws IOException {
        List<ChatMessage> all = new ArrayList<>(history);
        all.addAll(added);
        List<ChatMessage> kept = trim(all, limit);
        List<Stored> stored = new ArrayList<>();
        for (ChatMessage message : kept) {
            List<Map<String, Object>> calls = message.toolCalls().stream()
                    .map(c -> Map.<String, Object>of("id", c.id(), "name", c.name(), "arguments", c.arguments())).toList();
            stored.add(new Stored(message.role().name(), textOf(message), calls, message.toolCallId()));
        }
        writer.write(file(connector, conversationId), mapper.writeValueAsBytes(stored));
        return kept;
    }

    /** Forgets a conversation (the {@code /reset} command). */
    public void clear(String connector, String conversationId) throws IOException {
        Files.deleteIfExists(file(connector, conversationId));
    }

    static List<ChatMessage> trim(List<ChatMessage> messages, int limit) {
        int from = Math.max(0, messages.size() - limit);
        while (from < messages.size() && messages.get(from).role() != Role.USER) {
            from++;
        }
        return List.copyOf(messages.subList(from, messages.size()));
    }

    private static String textOf(ChatMessage message) {
        StringBuilder text = new StringBuilder(message.text());
        message.content().stream().filter(ContentPart.Image.class::isInstance)
                .forEach(image -> text.append(text.length() == 0 ? "" : " ").append("[image]"));
        return text.toString();
    }

    private Path file(String connector, String conversationId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(conversationId.getBytes(StandardCharsets.UTF_8));
            return directory.resolve(connector).resolve(HexFormat.of().formatHex(digest, 0, 16) + ".json");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
