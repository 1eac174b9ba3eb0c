package io.grambot.core.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;

/** Writes files so that a crash leaves either the old or the new content, never a mix. */
final class AtomicFiles {

    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private AtomicFiles() {}

    /**
     * Writes {@code content} to a temporary file beside {@code target}, forces it to disk, and renames it over the
     * target. With {@code ownerOnly} the file is created with mode 0600 before any byte is written.
     */
    static void write(Path target, byte[] content, boolean ownerOnly) throws IOException {
        write(target, content, ownerOnly, true);
    }

    /**
     * Like {@link #write(Path, byte[], boolean)} but without forcing anything to disk: a crash of the process still
     * leaves the old or the new content (the rename is atomic and the page cache survives), a crash of the machine
     * may leave the old content. For files rewritten on a hot path whose loss is bounded, such as a conversation's
     * history: an fsync costs about 10 ms here, more than everything else in a bot turn.
     */
    static void replace(Path target, byte[] content, boolean ownerOnly) throws IOException {
        write(target, content, ownerOnly, false);
    }

    /** What must still hold just before a written file replaces its target. */
    interface Precondition {
        boolean holds() throws IOException;
    }

    /**
     * Like {@link #write(Path, byte[], boolean)}, but replaces the target only if {@code unchanged} still holds once
     * the new content is on disk, right before the rename: a file that someone else edits is then overwritten only
     * if the edit lands within that instant, not during the whole write and fsync. Returns whether it replaced it.
     */
    static boolean writeIf(Path target, byte[] content, boolean ownerOnly, Precondition unchanged)
            throws IOException {
        return write(target, content, ownerOnly, true, unchanged);
    }

    private static void write(Path target, byte[] content, boolean ownerOnly, boolean force) throws IOException {
        write(target, content, ownerOnly, force, () -> true);
    }

    private static boolean write(Path target, byte[] content, boolean ownerOnly, boolean force,
            Precondition unchanged) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path temp = dir.resolve("." + target.getFileName() + ".tmp");
        Files.deleteIfExists(temp);
        if (ownerOnly && POSIX) {
            Files.createFile(temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        try (FileChannel channel = FileChannel.open(temp,
                EnumSet.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING))) {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            if (force) {
                channel.force(true);
            }
        }
        if (!unchanged.holds()) {
            Files.delete(temp);
            return false;
        }
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
        if (force) {
            forceDirectory(dir);
        }
        return true;
    }

    /**
     * Removes a directory tree: first renames it aside (so a crash leaves it either whole or gone from its place),
     * then deletes the renamed tree. Nothing happens if it does not exist.
     */
    static void deleteTree(Path directory) throws IOException {
        if (!Files.exists(directory, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Path aside = directory.resolveSibling("." + directory.getFileName() + ".deleted");
        if (Files.exists(aside)) {
            deleteWalk(aside);
        }
        Files.move(directory, aside, StandardCopyOption.ATOMIC_MOVE);
        deleteWalk(aside);
    }

    private static void deleteWalk(Path root) throws IOException {
        try (var paths = Files.walk(root)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    // the rename is durable only once the directory entry is on disk
    private static void forceDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // some file systems cannot open directories; the rename itself is still atomic
        }
    }
}
