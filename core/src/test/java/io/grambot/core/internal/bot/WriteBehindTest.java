package io.grambot.core.internal.bot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.grambot.api.inference.ChatMessage;

class WriteBehindTest {

    @TempDir
    Path dir;

    private final List<String> written = new CopyOnWriteArrayList<>();
    private final List<Path> failures = new CopyOnWriteArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private final CountDownLatch writing = new CountDownLatch(1);
    private volatile boolean hold;
    private volatile boolean fail;
    private final WriteBehind behind = new WriteBehind((file, content) -> {
        writing.countDown();
        if (hold) {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (fail) {
            throw new IOException("disk full");
        }
        String text = new String(content, StandardCharsets.UTF_8);
        written.add(text);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }, "test-writer", (file, e) -> failures.add(file));

    @AfterEach
    void close() {
        release.countDown();
        behind.close();
    }

    @Test
    void whatIsNotWrittenYetIsReadFromMemoryAndTheFutureSaysWhenItIsOnDisk() throws Exception {
        hold = true;
        ConversationStore store = new ConversationStore(dir, behind);

        store.append("web", "c1", List.of(), List.of(ChatMessage.user("hello")), 50);
        CompletableFuture<Void> onDisk = store.written("web", "c1");

        assertThat(store.load("web", "c1")).extracting(ChatMessage::text).containsExactly("hello");
        assertThat(onDisk).isNotDone();
        release.countDown();
        onDisk.get(10, TimeUnit.SECONDS);
        assertThat(Files.readString(dir.resolve("web").resolve(ConversationStore.key("c1") + ".json")))
                .contains("hello");
        assertThat(store.written("web", "c1")).isDone();
    }

    @Test
    void contentThatChangesWhileAWriteIsInProgressIsWrittenOnceMoreWithTheLatest() throws Exception {
        hold = true;
        Path file = dir.resolve("a.json");
        behind.write(file, bytes("first"));
        assertThat(writing.await(10, TimeUnit.SECONDS)).isTrue(); // "first" is being written
        CompletableFuture<Void> first = behind.written(file);
        behind.write(file, bytes("second"));
        CompletableFuture<Void> second = behind.written(file);
        behind.write(file, bytes("third"));
        CompletableFuture<Void> third = behind.written(file);

        release.countDown();
        CompletableFuture.allOf(first, second, third).get(10, TimeUnit.SECONDS);

        assertThat(written).as("second was replaced before it was written").containsExactly("first", "third");
        assertThat(Files.readString(file)).isEqualTo("third");
    }

    @Test
    void aDeletedFileStaysDeletedEvenIfItsContentWasStillWaiting() throws Exception {
        hold = true;
        Path busy = dir.resolve("busy.json");
        Path file = dir.resolve("b.json");
        behind.write(busy, bytes("keeps the writer busy"));
        assertThat(writing.await(10, TimeUnit.SECONDS)).isTrue();
        behind.write(file, bytes("to be forgotten"));
        CompletableFuture<Void> waiting = behind.written(file);

        CompletableFuture<Boolean> deleted = CompletableFuture.supplyAsync(() -> {
            try {
                return behind.delete(file);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        release.countDown();

        assertThat(deleted.get(10, TimeUnit.SECONDS)).isTrue();
        behind.flush(java.time.Duration.ofSeconds(10));
        assertThat(waiting).isDone();
        assertThat(file).doesNotExist();
        assertThat(behind.pending(file)).isEmpty();
        // whether the waiting content was dropped or written just before the deletion, nothing brings it back
        behind.write(busy, bytes("more work after the deletion"));
        behind.flush(java.time.Duration.ofSeconds(10));
        assertThat(file).doesNotExist();
    }

    @Test
    void aWriteThatFailsIsReportedAndItsFutureFails() throws Exception {
        fail = true;
        hold = true; // the future is taken while the write is in progress, not after it ended
        Path file = dir.resolve("c.json");
        behind.write(file, bytes("lost?"));
        assertThat(writing.await(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Void> future = behind.written(file);
        release.countDown();

        assertThatThrownBy(() -> future.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasRootCauseMessage("disk full");
        assertThat(failures).containsExactly(file);
    }

    @Test
    void closingWritesWhatWaits() throws Exception {
        hold = true;
        Path busy = dir.resolve("busy.json");
        Path file = dir.resolve("d.json");
        behind.write(busy, bytes("one"));
        assertThat(writing.await(10, TimeUnit.SECONDS)).isTrue();
        behind.write(file, bytes("two"));
        release.countDown();

        behind.close();

        assertThat(Files.readString(file)).isEqualTo("two");
        behind.write(file, bytes("after close"));
        assertThat(Files.readString(file)).as("written at once once closed").isEqualTo("after close");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
