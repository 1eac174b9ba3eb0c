package io.grambot.core.internal.bot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ConversationLanesTest {

    private final ExecutorService pool = Executors.newFixedThreadPool(4);
    private final ConversationLanes lanes = new ConversationLanes(pool);

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    @Test
    void aTaskSubmittedDuringARunningOneOfItsLaneWaitsForItWhileOtherLanesGoOn() throws Exception {
        CountDownLatch turnStarted = new CountDownLatch(1);
        CountDownLatch finishTurn = new CountDownLatch(1);
        List<String> done = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> turn = lanes.submit("webchat/a", () -> {
            turnStarted.countDown();
            await(finishTurn);
            done.add("turn a");
        });
        assertThat(turnStarted.await(10, TimeUnit.SECONDS)).isTrue();

        CompletableFuture<Void> clear = lanes.submit("webchat/a", () -> done.add("clear a"));
        lanes.submit("webchat/b", () -> done.add("turn b")).get(10, TimeUnit.SECONDS);

        assertThat(clear).isNotDone();
        assertThat(done).containsExactly("turn b");
        finishTurn.countDown();
        clear.get(10, TimeUnit.SECONDS);
        assertThat(turn).isDone();
        assertThat(done).containsExactly("turn b", "turn a", "clear a");
    }

    @Test
    void aFailedTaskDoesNotStopItsLaneAndItsFutureSaysItFailed() throws Exception {
        CompletableFuture<Void> failed = lanes.submit("x", () -> {
            throw new IllegalStateException("boom");
        });
        CompletableFuture<Void> next = lanes.submit("x", () -> {});

        next.get(10, TimeUnit.SECONDS);
        assertThatThrownBy(() -> failed.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(IllegalStateException.class);
    }

    @Test
    void aTaskRefusedByAStoppedExecutorFailsItsFutureInsteadOfThrowing() {
        pool.shutdownNow();

        CompletableFuture<Void> refused = lanes.submit("x", () -> {});

        assertThat(refused).isCompletedExceptionally();
        assertThatThrownBy(refused::join).hasCauseInstanceOf(RejectedExecutionException.class);
        assertThat(lanes.submit("x", () -> {})).isCompletedExceptionally(); // the lane was not left stuck
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
