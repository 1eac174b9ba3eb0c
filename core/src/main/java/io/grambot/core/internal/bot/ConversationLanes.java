package io.grambot.core.internal.bot;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * Runs tasks one after another per key (a conversation) and keys in parallel on a shared executor. A key's chain
 * is forgotten when its last task ends.
 */
public final class ConversationLanes {

    private final Executor executor;
    private final Map<String, CompletableFuture<Void>> tails = new ConcurrentHashMap<>();

    public ConversationLanes(Executor executor) {
        this.executor = executor;
    }

    /** Queues a task behind the key's earlier ones; the stage completes when the task has run. */
    public CompletionStage<Void> submit(String key, Runnable task) {
        return tails.compute(key, (k, tail) -> {
            CompletableFuture<Void> next = (tail == null ? CompletableFuture.<Void>completedFuture(null) : tail)
                    .handle((ok, failed) -> null).thenRunAsync(task, executor);
            next.whenComplete((ok, failed) -> tails.remove(k, next));
            return next;
        });
    }
}
