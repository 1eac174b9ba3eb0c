package io.grambot.core.internal.bot;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
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

    /**
     * Runs the task after the tasks submitted before it under the same key; the future completes when it has run
     * (exceptionally if it failed or the executor refused it).
     */
    public CompletableFuture<Void> submit(String key, Runnable task) {
        CompletableFuture<Void> next = tails.compute(key, (k, tail) -> (tail == null
                ? CompletableFuture.<Void>completedFuture(null) : tail).handle((ok, failed) -> null)
                .thenRunAsync(task, executor));
        // outside compute: a refused task completes at once, and removing inside compute would be a recursive update
        next.whenComplete((ok, failed) -> tails.remove(key, next));
        return next;
    }
}
