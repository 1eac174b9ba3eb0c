package io.grambot.plugin.telegram.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.OptionalLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The next update to ask for, kept across restarts in {@code <data>/telegram-offset.json}
 * ({@code {"offset":N,"savedAt":"..."}}), written atomically (temporary file, forced, then moved over the old one).
 *
 * <p>Telegram confirms updates only when {@code getUpdates} is next called with a higher offset, so without this a
 * restart after a batch and before the next call would get that batch again. An offset older than Telegram's 24 hours
 * of keeping updates is not used: every update below it has expired anyway, and after a week without updates
 * Telegram may number the next ones lower.
 */
final class OffsetStore {

    static final String FILE = "telegram-offset.json";
    static final Duration MAX_AGE = Duration.ofHours(24);

    private final Path file;
    private final Clock clock;
    private final ObjectMapper mapper;

    OffsetStore(Path directory, Clock clock, ObjectMapper mapper) {
        this.file = directory.resolve(FILE);
        this.clock = clock;
        this.mapper = mapper;
    }

    Path file() {
        return file;
    }

    /** The saved offset, or empty when there is none, it is too old, or the file cannot be read (logged). */
    OptionalLong load(Log log) {
        JsonNode saved;
        try {
            saved = mapper.readTree(Files.readAllBytes(file));
        } catch (NoSuchFileException none) {
            return OptionalLong.empty();
        } catch (IOException e) {
            log.warn("cannot read the saved update offset " + file + " (" + e.getMessage() + "); starting from the "
                    + "oldest update Telegram holds");
            return OptionalLong.empty();
        }
        if (saved == null || !saved.path("offset").canConvertToLong() || !saved.path("savedAt").isTextual()) {
            log.warn("the saved update offset " + file + " is not {\"offset\":N,\"savedAt\":...}; starting from the "
                    + "oldest update Telegram holds");
            return OptionalLong.empty();
        }
        Instant savedAt;
        try {
            savedAt = Instant.parse(saved.get("savedAt").asText());
        } catch (DateTimeParseException e) {
            log.warn("the saved update offset " + file + " has no valid time; starting from the oldest update "
                    + "Telegram holds");
            return OptionalLong.empty();
        }
        if (Duration.between(savedAt, clock.instant()).compareTo(MAX_AGE) > 0) {
            log.info("the saved update offset is from " + savedAt + ", older than Telegram keeps updates; starting "
                    + "from the oldest update Telegram holds");
            return OptionalLong.empty();
        }
        return OptionalLong.of(saved.get("offset").asLong());
    }

    /** Saves the offset; when this returns, the file holds it or the old value, never a part. */
    void save(long offset) throws IOException {
        Files.createDirectories(file.getParent());
        byte[] bytes = mapper.writeValueAsBytes(mapper.createObjectNode().put("offset", offset)
                .put("savedAt", clock.instant().toString()));
        Path temporary = Files.createTempFile(file.getParent(), FILE, ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                channel.write(java.nio.ByteBuffer.wrap(bytes));
                channel.force(true);
            }
            try {
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }
}
