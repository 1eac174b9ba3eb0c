package io.grambot.core.internal.bot;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.grambot.api.inference.ChatMessage;
import io.grambot.api.inference.ContentPart;
import io.grambot.api.inference.Role;
import io.grambot.api.inference.ToolCall;

/**
 * The history of a bot's conversations, one JSON file per conversation under
 * {@code <bot directory>/<connector>/<key>.json}, where the key is the first 16 bytes of the SHA-256 of the
 * conversation id in hex; written atomically.
 *
 * <p>A file is an object whose header comes before the history: {@code {"format":2, "conversationId",
 * "connector", "updated" (ISO-8601), "messageCount", "messages":[...]}}, so a listing reads only the first bytes of
 * each file. Files of format 1 (a bare array of messages, written before the header existed) are still read; their
 * conversation id is unknown until the next turn rewrites them.
 *
 * <p>Trimming rule: a conversation keeps its last {@code limit} messages, and the kept part always starts with a
 * message of the person (older tool calls and results are dropped with the question they belonged to). Images are
 * kept as a {@code [image]} note, not as bytes.
 */
public final class ConversationStore {

    /** The format this store writes; the files of format 1 have no header. */
    static final int FORMAT = 2;

    private static final Pattern KEY = Pattern.compile("[0-9a-f]{32}");
    private static final String SUFFIX = ".json";

    /**
     * What a listing says about a conversation, from its file's header.
     *
     * @param connector the connector instance the conversation came through
     * @param key the file name without {@code .json}: what {@link #delete} takes
     * @param conversationId the connector's conversation id, or {@code null} for a file of format 1
     * @param messages how many messages are kept, or -1 if the file cannot be read
     * @param updated when a turn last wrote it (the file's modification time for format 1)
     * @param problem why the file cannot be read, or {@code null}
     */
    public record Summary(String connector, String key, String conversationId, int messages, Instant updated,
            String problem) {}

    /** A message as stored. */
    record Stored(String role, String text, List<Map<String, Object>> toolCalls, String toolCallId) {}

    /** A conversation file of format 2; the header fields come first. */
    @JsonPropertyOrder({ "format", "conversationId", "connector", "updated", "messageCount", "messages" })
    record StoredConversation(int format, String conversationId, String connector, String updated,
            int messageCount, List<Stored> messages) {}

    private static final TypeReference<List<Stored>> MESSAGES = new TypeReference<>() {};

    private final Path directory;
    /** The most a listing waits for the files still being written. */
    private static final java.time.Duration LISTING_FLUSH = java.time.Duration.ofSeconds(5);

    private final ObjectMapper mapper = new ObjectMapper();
    private final Writer writer;
    private final Clock clock;

    /** Writes a file so that a crash leaves the old or the new content. */
    @FunctionalInterface
    public interface Writer {
        void write(Path file, byte[] content) throws IOException;
    }

    public ConversationStore(Path directory, Writer writer) {
        this(directory, writer, Clock.systemUTC());
    }

    public ConversationStore(Path directory, Writer writer, Clock clock) {
        this.directory = directory;
        this.writer = writer;
        this.clock = clock;
    }

    /** The key of a conversation: the name of its file without {@code .json}. */
    public static String key(String conversationId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(conversationId.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    public List<ChatMessage> load(String connector, String conversationId) throws IOException {
        Path file = file(connector, key(conversationId));
        if (pending(file).isEmpty() && !Files.exists(file)) {
            return List.of();
        }
        List<ChatMessage> history = new ArrayList<>();
        for (Stored stored : read(file)) {
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

    private List<Stored> read(Path file) throws IOException {
        Optional<byte[]> waiting = pending(file);
        JsonNode root = waiting.isPresent() ? mapper.readTree(waiting.get()) : mapper.readTree(file.toFile());
        if (root != null && root.isArray()) {
            return mapper.convertValue(root, MESSAGES); // format 1
        }
        if (root == null || !root.isObject() || !root.path("messages").isArray()) {
            throw new IOException(file + " is not a conversation: expected a JSON object with a \"messages\" array"
                    + " (or an array of messages), found " + (root == null ? "nothing" : root.getNodeType()));
        }
        int format = root.path("format").asInt(0);
        if (format > FORMAT) {
            throw new IOException(file + " has format " + format + ", written by a newer Grambot; this one reads "
                    + "formats up to " + FORMAT + " and leaves the file alone");
        }
        return mapper.convertValue(root.get("messages"), MESSAGES);
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
        StoredConversation conversation = new StoredConversation(FORMAT, conversationId, connector,
                clock.instant().toString(), stored.size(), stored);
        writer.write(file(connector, key(conversationId)), mapper.writeValueAsBytes(conversation));
        return kept;
    }

    /** Forgets a conversation (the {@code /reset} command); says whether there was history. */
    public boolean clear(String connector, String conversationId) throws IOException {
        return delete(connector, key(conversationId));
    }

    /** Forgets the conversation of a {@link Summary#key() key}; says whether there was history. */
    public boolean delete(String connector, String key) throws IOException {
        Path file = file(connector, key);
        return writer instanceof WriteBehind behind ? behind.delete(file) : Files.deleteIfExists(file);
    }

    /**
     * Completes when the conversation's history as last appended is on disk: at once with a writer that writes
     * before {@link #append} returns, later with a {@link WriteBehind}.
     */
    public CompletableFuture<Void> written(String connector, String conversationId) {
        return writer instanceof WriteBehind behind ? behind.written(file(connector, key(conversationId)))
                : CompletableFuture.completedFuture(null);
    }

    /** The content a {@link WriteBehind} still holds for a file. */
    private Optional<byte[]> pending(Path file) {
        return writer instanceof WriteBehind behind ? behind.pending(file) : Optional.empty();
    }

    /**
     * The conversations of one connector, or of all when {@code connector} is {@code null}, most recently updated
     * first. Reads only the header of each file; a file that cannot be read is listed with its problem.
     */
    public List<Summary> conversations(String connector) throws IOException {
        if (writer instanceof WriteBehind behind) {
            behind.flush(LISTING_FLUSH); // the listing reads the files
        }
        List<Summary> summaries = new ArrayList<>();
        for (Path connectorDirectory : connector == null ? connectorDirectories() : List.of(directory(connector))) {
            if (!Files.isDirectory(connectorDirectory)) {
                continue;
            }
            String name = connectorDirectory.getFileName().toString();
            try (DirectoryStream<Path> files = Files.newDirectoryStream(connectorDirectory, "*" + SUFFIX)) {
                for (Path file : files) {
                    String fileName = file.getFileName().toString();
                    String key = fileName.substring(0, fileName.length() - SUFFIX.length());
                    if (KEY.matcher(key).matches()) { // not a temporary file of a write in progress
                        Summary summary = summary(name, key, file);
                        if (summary != null) {
                            summaries.add(summary);
                        }
                    }
                }
            } catch (NoSuchFileException goneMeanwhile) {
                // the connector's last conversation was cleared while listing
            }
        }
        summaries.sort(Comparator.comparing(Summary::updated, Comparator.nullsLast(Comparator.reverseOrder()))
                .thenComparing(Summary::connector).thenComparing(Summary::key));
        return summaries;
    }

    private List<Path> connectorDirectories() throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        List<Path> directories = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, Files::isDirectory)) {
            entries.forEach(directories::add);
        }
        return directories;
    }

    /** The header of a file, or {@code null} if the file was deleted meanwhile. */
    private Summary summary(String connector, String key, Path file) {
        try (JsonParser json = mapper.getFactory().createParser(file.toFile())) {
            JsonToken first = json.nextToken();
            if (first == JsonToken.START_ARRAY) { // format 1: count the messages without binding them
                int count = 0;
                while (json.nextToken() == JsonToken.START_OBJECT) {
                    json.skipChildren();
                    count++;
                }
                return new Summary(connector, key, null, count, Files.getLastModifiedTime(file).toInstant(), null);
            }
            if (first != JsonToken.START_OBJECT) {
                return unreadable(connector, key, file, "expected a JSON object, found " + first);
            }
            String conversationId = null;
            Instant updated = null;
            int count = -1;
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String field = json.currentName();
                JsonToken value = json.nextToken();
                switch (field) {
                case "conversationId" -> conversationId = json.getValueAsString();
                case "updated" -> updated = parseInstant(json.getValueAsString());
                case "messageCount" -> count = json.getValueAsInt(-1);
                case "messages" -> {
                    if (count < 0 && value == JsonToken.START_ARRAY) { // no header: count them after all
                        count = 0;
                        while (json.nextToken() == JsonToken.START_OBJECT) {
                            json.skipChildren();
                            count++;
                        }
                    } else {
                        return new Summary(connector, key, conversationId, count,
                                updated != null ? updated : Files.getLastModifiedTime(file).toInstant(), null);
                    }
                }
                default -> json.skipChildren();
                }
            }
            return new Summary(connector, key, conversationId, count,
                    updated != null ? updated : Files.getLastModifiedTime(file).toInstant(), null);
        } catch (NoSuchFileException e) {
            return null;
        } catch (JsonProcessingException e) {
            return unreadable(connector, key, file, e.getOriginalMessage());
        } catch (IOException e) {
            return unreadable(connector, key, file, e.toString());
        }
    }

    private static Summary unreadable(String connector, String key, Path file, String problem) {
        Instant modified;
        try {
            modified = Files.getLastModifiedTime(file).toInstant();
        } catch (IOException e) {
            modified = null;
        }
        return new Summary(connector, key, null, -1, modified, problem);
    }

    private static Instant parseInstant(String text) {
        try {
            return text == null ? null : Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
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

    /**
     * Checks a connector id and conversation key that may come from a form: both name files below the bot's
     * directory, so each must be one plain name.
     */
    public static void check(String connector, String key) {
        checkConnector(connector);
        checkKey(key);
    }

    private static void checkConnector(String connector) {
        if (connector.isEmpty() || connector.startsWith(".") || connector.contains("/") || connector.contains("\\")
                || connector.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a connector id must be a plain name, found '" + connector + "'");
        }
    }

    private static void checkKey(String key) {
        if (!KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("a conversation key must be 32 lower-case hex digits, found '" + key
                    + "'");
        }
    }

    private Path directory(String connector) {
        checkConnector(connector);
        return directory.resolve(connector);
    }

    private Path file(String connector, String key) {
        checkKey(key);
        return directory(connector).resolve(key + SUFFIX);
    }
}
