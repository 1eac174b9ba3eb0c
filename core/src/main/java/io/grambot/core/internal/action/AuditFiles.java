package io.grambot.core.internal.action;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The audit log's files: {@code audit.jsonl}, appended one line at a time, and up to {@code keepFiles} older ones
 * ({@code audit.1.jsonl} the newest of them), rotated when the current one would grow past {@code maxFileBytes}.
 * Each line goes out in one write on an unbuffered channel, so a crash can tear at most the last line; such a line
 * (no newline at its end) is skipped when reading, and the next start begins a fresh line after it. Files are
 * created owner-only: payloads are redacted, but who did what is nobody else's business.
 */
final class AuditFiles implements AutoCloseable {

    static final String CURRENT = "audit.jsonl";
    private static final Pattern ROTATED = Pattern.compile("audit\\.(\\d+)\\.jsonl");
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final int BLOCK = 64 * 1024;

    private final Path directory;
    private long maxFileBytes;
    private int keepFiles;
    // guarded by this
    private FileChannel channel;
    private long size;
    private boolean dirty;

    AuditFiles(Path directory, long maxFileBytes, int keepFiles) throws IOException {
        this.directory = directory;
        limits(maxFileBytes, keepFiles);
        Files.createDirectories(directory);
        open();
        dropBeyondKeep();
    }

    /** Changes the limits; they apply from the next append. */
    synchronized void limits(long maxFileBytes, int keepFiles) {
        if (maxFileBytes < 1 || keepFiles < 0) {
            throw new IllegalArgumentException("maxFileBytes must be at least 1 and keepFiles at least 0, were "
                    + maxFileBytes + " and " + keepFiles);
        }
        this.maxFileBytes = maxFileBytes;
        this.keepFiles = keepFiles;
    }

    /** Appends one line (its bytes end with a newline), rotating first if it would not fit. */
    synchronized void append(byte[] line) throws IOException {
        if (channel == null) {
            throw new IOException("the audit log is closed");
        }
        if (size > 0 && size + line.length > maxFileBytes) {
            rotate();
        }
        ByteBuffer buffer = ByteBuffer.wrap(line);
        while (buffer.hasRemaining()) {
            size += channel.write(buffer);
        }
        dirty = true;
    }

    /** Forces what was appended since the last call to disk (against power loss; a process crash loses nothing). */
    synchronized void force() throws IOException {
        if (dirty && channel != null) {
            channel.force(false);
            dirty = false;
        }
    }

    @Override
    public synchronized void close() throws IOException {
        if (channel != null) {
            force();
            channel.close();
            channel = null;
        }
    }

    /**
     * Hands every complete line, newest first (the current file from its end, then {@code audit.1.jsonl} and so on)
     * to {@code consumer} until it returns {@code false}. The files are opened under the lock and read without it,
     * so a long query does not hold up appends; a rotation meanwhile renames files that are already open, which
     * does not disturb the reading (POSIX), and lines appended after the opening are not seen.
     */
    void newestFirst(Predicate<byte[]> consumer) throws IOException {
        List<FileChannel> opened = new ArrayList<>();
        long currentSize;
        synchronized (this) {
            currentSize = size;
            for (Path file : files()) {
                try {
                    opened.add(FileChannel.open(file, StandardOpenOption.READ));
                } catch (NoSuchFileException gone) {
                    // removed by hand
                }
            }
        }
        try {
            for (int i = 0; i < opened.size(); i++) {
                FileChannel in = opened.get(i);
                if (!linesBackwards(in, i == 0 ? Math.min(currentSize, in.size()) : in.size(), consumer)) {
                    return;
                }
            }
        } finally {
            for (FileChannel in : opened) {
                in.close();
            }
        }
    }

    /** The files, newest first (the rotated ones that exist). */
    synchronized List<Path> files() {
        List<Path> files = new ArrayList<>();
        files.add(directory.resolve(CURRENT));
        for (int i = 1; i <= keepFiles; i++) {
            Path rotated = directory.resolve(rotatedName(i));
            if (Files.exists(rotated)) {
                files.add(rotated);
            }
        }
        return files;
    }

    static String rotatedName(int index) {
        return "audit." + index + ".jsonl";
    }

    /** As {@link #linesBackwards(FileChannel, long, Predicate)} for a whole file; a missing file has no lines. */
    static boolean linesBackwards(Path file, Predicate<byte[]> consumer) throws IOException {
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            return linesBackwards(in, in.size(), consumer);
        } catch (NoSuchFileException gone) {
            return true;
        }
    }

    /**
     * The complete lines of the first {@code length} bytes of a file, from the last to the first, read backwards in
     * blocks; the bytes after the last newline (a line torn by a crash) are skipped. Returns {@code false} if the
     * consumer stopped.
     */
    static boolean linesBackwards(FileChannel in, long length, Predicate<byte[]> consumer) throws IOException {
        long end = length;
        byte[] pending = new byte[0]; // the end of a line whose start is further back
        boolean sawNewline = false;
        while (end > 0) {
            int n = (int) Math.min(BLOCK, end);
            ByteBuffer buffer = ByteBuffer.allocate(n);
            while (buffer.hasRemaining()) {
                if (in.read(buffer, end - n + buffer.position()) < 0) {
                    throw new IOException("an audit file shrank while it was read");
                }
            }
            byte[] block = buffer.array();
            int lineEnd = n;
            for (int i = n - 1; i >= 0; i--) {
                if (block[i] != '\n') {
                    continue;
                }
                byte[] line = join(block, i + 1, lineEnd, pending);
                pending = new byte[0];
                lineEnd = i;
                if (!sawNewline) {
                    sawNewline = true; // what follows the last newline is torn (or empty): skip it
                } else if (line.length > 0 && !consumer.test(line)) {
                    return false;
                }
            }
            pending = join(block, 0, lineEnd, pending);
            end -= n;
        }
        return !sawNewline || pending.length == 0 || consumer.test(pending);
    }

    private static byte[] join(byte[] block, int from, int to, byte[] tail) {
        byte[] joined = new byte[to - from + tail.length];
        System.arraycopy(block, from, joined, 0, to - from);
        System.arraycopy(tail, 0, joined, to - from, tail.length);
        return joined;
    }

    private void open() throws IOException {
        Path current = directory.resolve(CURRENT);
        if (POSIX && !Files.exists(current)) {
            Files.createFile(current, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        boolean torn = false;
        try (FileChannel in = FileChannel.open(current, StandardOpenOption.READ)) {
            long length = in.size();
            if (length > 0) {
                ByteBuffer last = ByteBuffer.allocate(1);
                in.read(last, length - 1);
                torn = last.get(0) != '\n';
            }
        } catch (NoSuchFileException absent) {
            // created below
        }
        channel = FileChannel.open(current, EnumSet.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND));
        size = channel.size();
        if (torn) {
            // a line torn by a crash: end it, so that it stays one unreadable line and the next one is whole
            size += channel.write(ByteBuffer.wrap(new byte[] { '\n' }));
        }
    }

    private void rotate() throws IOException {
        channel.force(false);
        channel.close();
        channel = null;
        Path current = directory.resolve(CURRENT);
        if (keepFiles == 0) {
            Files.deleteIfExists(current);
        } else {
            Files.deleteIfExists(directory.resolve(rotatedName(keepFiles)));
            for (int i = keepFiles - 1; i >= 1; i--) {
                Path from = directory.resolve(rotatedName(i));
                if (Files.exists(from)) {
                    Files.move(from, directory.resolve(rotatedName(i + 1)), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            Files.move(current, directory.resolve(rotatedName(1)), StandardCopyOption.REPLACE_EXISTING);
        }
        dropBeyondKeep();
        open();
    }

    // older files than keepFiles allows (it was lowered) go
    private void dropBeyondKeep() throws IOException {
        try (var listing = Files.list(directory)) {
            for (Path file : listing.toList()) {
                Matcher matcher = ROTATED.matcher(file.getFileName().toString());
                if (matcher.matches() && Long.parseLong(matcher.group(1)) > keepFiles) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }
}
