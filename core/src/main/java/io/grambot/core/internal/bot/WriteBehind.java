package io.grambot.core.internal.bot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;

/**
 * Writes conversation files on a thread of its own, so that a turn does not wait for the file system: the turn hands
 * over the new content and goes on; the writer writes the latest content of each file (a conversation that changed
 * twice before its file was written is written once). Until it is written, {@link #pending} answers reads with it.
 * Each write's future completes when the content is on disk (as atomically as the wrapped writer writes), so the
 * event that caused it can be acknowledged only then: after a crash the event is delivered again rather than its
 * history lost.
 */
public final class WriteBehind implements ConversationStore.Writer, AutoCloseable {

    /** The content waiting for a file, and the futures of every write it replaces. */
    private static final class Pending {
        final byte[] content;
        final CompletableFuture<Void> written = new CompletableFuture<>();

        Pending(byte[] content) {
            this.content = content;
        }
    }

    private final ConversationStore.Writer files;
    private final BiConsumer<Path, IOException> failed;
    private final Map<Path, Pending> pending = new ConcurrentHashMap<>();
    private final BlockingQueue<Path> dirty = new LinkedBlockingQueue<>();
    /** Held while one file is written, so that a deletion cannot be undone by a write in progress. */
    private final Object writing = new Object();
    private final Thread thread;
    private volatile boolean closed;

    /**
     * @param files writes one file atomically (the store's usual writer)
     * @param failed told about a file that could not be written (its future also completes exceptionally)
     */
    public WriteBehind(ConversationStore.Writer files, String name, BiConsumer<Path, IOException> failed) {
        this.files = files;
        this.failed = failed;
        this.thread = new Thread(this::run, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Queues the content; a later content of the same file replaces it if it is not written yet. */
    @Override
    public void write(Path file, byte[] content) throws IOException {
        if (closed) {
            files.write(file, content); // stopping: write at once, as the store did before
            return;
        }
        Pending next = new Pending(content);
        Pending replaced = pending.put(file, next);
        if (replaced != null) {
            // the replaced content is never written: its future is done when the newer content is
            next.written.whenComplete((ok, error) -> complete(replaced.written, error));
        } else {
            dirty.add(file);
        }
    }

    /** The content waiting to be written to this file, if any. */
    public Optional<byte[]> pending(Path file) {
        Pending waiting = pending.get(file);
        return waiting == null ? Optional.empty() : Optional.of(waiting.content);
    }

    /** Completes when what was handed over for this file so far is on disk (at once if nothing is waiting). */
    public CompletableFuture<Void> written(Path file) {
        Pending waiting = pending.get(file);
        return waiting == null ? CompletableFuture.completedFuture(null) : waiting.written;
    }

    /** Drops what waits for this file and deletes it; a write in progress finishes first, so the file stays gone. */
    public boolean delete(Path file) throws IOException {
        synchronized (writing) {
            Pending dropped = pending.remove(file);
            boolean existed = Files.deleteIfExists(file);
            if (dropped != null) {
                dropped.written.complete(null);
            }
            return existed || dropped != null;
        }
    }

    /** Waits until everything handed over before the call is on disk, at most {@code timeout}. */
    public void flush(Duration timeout) throws IOException {
        List<CompletableFuture<Void>> waiting = pending.values().stream().map(p -> p.written).toList();
        try {
            CompletableFuture.allOf(waiting.toArray(CompletableFuture[]::new)).get(timeout.toMillis(),
                    TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IOException("conversation files were not written within " + timeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for conversation files to be written");
        } catch (java.util.concurrent.ExecutionException e) {
            // a file that could not be written was reported already
        }
    }

    private void run() {
        try {
            while (!closed || !dirty.isEmpty()) {
                Path file = dirty.poll(100, TimeUnit.MILLISECONDS);
                if (file != null) {
                    writeNow(file);
                }
            }
        } catch (InterruptedException stop) {
            Thread.currentThread().interrupt();
        }
    }

    private void writeNow(Path file) {
        synchronized (writing) {
            Pending next = pending.get(file);
            if (next == null) {
                return; // deleted meanwhile
            }
            IOException error = null;
            try {
                files.write(file, next.content);
            } catch (IOException e) {
                error = e;
                failed.accept(file, e);
            }
            pending.remove(file, next); // a newer content came meanwhile: it was queued as dirty again below
            if (pending.containsKey(file)) {
                dirty.add(file);
            }
            complete(next.written, error);
        }
    }

    private static void complete(CompletableFuture<Void> future, Throwable error) {
        if (error == null) {
            future.complete(null);
        } else {
            future.completeExceptionally(error);
        }
    }

    /** Writes what waits and stops the thread. */
    @Override
    public void close() {
        closed = true;
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Path file : List.copyOf(pending.keySet())) {
            writeNow(file);
        }
    }
}
