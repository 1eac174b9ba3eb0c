package io.grambot.plugin.telegram.internal;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import io.grambot.api.Media;
import io.grambot.api.PluginException;

/**
 * Photos and files of incoming messages, fetched with {@code getFile} and the file URL into
 * {@code <data>/files/<file_unique_id>}: a file Telegram sends again (the same update after a restart or a failed
 * hand-over, a forwarded photo) is read from there instead of downloaded again. Files older than a week are removed
 * when the instance starts.
 */
final class Downloads {

    static final String DIRECTORY = "files";
    static final Duration KEEP = Duration.ofDays(7);
    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");

    /** A file that was not fetched because it is larger than allowed. */
    static final class TooLarge extends Exception {
        private static final long serialVersionUID = 1L;

        final long size;

        TooLarge(long size) {
            super("larger than allowed: " + size + " bytes");
            this.size = size;
        }
    }

    private final Path directory;
    private final BotApi api;
    private final long maxBytes;
    private final Clock clock;

    Downloads(Path dataDirectory, BotApi api, long maxBytes, Clock clock) {
        this.directory = dataDirectory.resolve(DIRECTORY);
        this.api = api;
        this.maxBytes = maxBytes;
        this.clock = clock;
    }

    long maxBytes() {
        return maxBytes;
    }

    Path directory() {
        return directory;
    }

    /**
     * A file of a message.
     *
     * @param file a {@code PhotoSize} or {@code Document}: {@code file_id}, {@code file_unique_id},
     *        {@code file_size} when known
     * @throws TooLarge if Telegram says it is larger than {@code maxDownloadBytes}
     * @throws PluginException if it cannot be fetched
     */
    Media fetch(JsonNode file, String mediaType, String fileName) throws TooLarge, PluginException {
        String fileId = file.path("file_id").asText("");
        if (fileId.isEmpty()) {
            throw new PluginException("the message names a file without 'file_id'");
        }
        String uniqueId = file.path("file_unique_id").asText("");
        Path cached = SAFE_ID.matcher(uniqueId).matches() ? directory.resolve(uniqueId) : null;
        if (cached != null && Files.isRegularFile(cached)) {
            try {
                return new Media(mediaType, Files.readAllBytes(cached), fileName);
            } catch (IOException e) {
                // fetched again below
            }
        }
        long declared = file.path("file_size").asLong(-1);
        if (declared > maxBytes) {
            throw new TooLarge(declared);
        }
        JsonNode info = api.getFile(fileId);
        long size = info.path("file_size").asLong(-1);
        if (size > maxBytes) {
            throw new TooLarge(size);
        }
        byte[] data = api.download(info.get("file_path").asText());
        if (data.length > maxBytes) {
            throw new TooLarge(data.length);
        }
        if (cached != null) {
            store(cached, data);
        }
        return new Media(mediaType, data, fileName);
    }

    private static void store(Path target, byte[] data) throws PluginException {
        try {
            Files.createDirectories(target.getParent());
            Path temporary = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".tmp");
            try {
                Files.write(temporary, data);
                try {
                    Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(temporary);
            }
        } catch (IOException e) {
            throw new PluginException("cannot store a downloaded file in " + target.getParent() + ": " + e, e);
        }
    }

    /** Removes files older than {@link #KEEP}; returns how many. */
    int prune() {
        if (!Files.isDirectory(directory)) {
            return 0;
        }
        FileTime limit = FileTime.from(clock.instant().minus(KEEP));
        int removed = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
            for (Path file : files) {
                if (Files.isRegularFile(file) && Files.getLastModifiedTime(file).compareTo(limit) < 0) {
                    Files.deleteIfExists(file);
                    removed++;
                }
            }
        } catch (IOException e) {
            // pruning is housekeeping; the next start tries again
        }
        return removed;
    }

    /** A size as people read it: {@code 512 bytes}, {@code 1.5 MB}. */
    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " bytes";
        }
        if (bytes < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KB", bytes / 1024.0);
        }
        return String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024));
    }
}
