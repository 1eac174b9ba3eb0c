package io.grambot.core.internal.bot;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ConversationLanesTest {

    private final ExecutorService executor = Executors.newFixedThreadPool(4);

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    @Test
    void eachStageCompletesWhenItsTaskHasRunAndTasksOfAKeyRunInOrder() throws Exception {
        ConversationLanes lanes = new ConversationLanes(executor);
        CountDownLatch release = new CountDownLatch(1);
        List<String> ran = new CopyOnWriteArrayList<>();

        CompletionStage<Void> first = lanes.submit("a", () -> {
            await(release);
            ran.add("a1");
        });
        CompletionStage<Void> second = lanes.submit("a", () -> ran.add("a2"));
        CompletionStage<Void> other = lanes.submit("b", () -> ran.add("b1"));

        other.toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(ran).as("b does not wait for a").containsExactly("b1");
        assertThat(first.toCompletableFuture().isDone()).isFalse();
        assertThat(second.toCompletableFuture().isDone()).isFalse();
        release.countDown();
        second.toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(first.toCompletableFuture().isDone()).isTrue();
        assertThat(ran).containsExactly("b1", "a1", "a2");
    }

    @Test
    void aFailingTaskFailsItsStageAndNotTheNextOne() throws Exception {
        ConversationLanes lanes = new ConversationLanes(executor);

        CompletionStage<Void> failing = lanes.submit("a", () -> {
            throw new IllegalStateException("boom");
        });
        CompletionStage<Void> next = lanes.submit("a", () -> {});

        next.toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(failing.toCompletableFuture()).isCompletedExceptionally();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
