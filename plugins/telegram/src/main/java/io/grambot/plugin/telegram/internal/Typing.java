package io.grambot.plugin.telegram.internal;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * "typing…" in a chat while the bot works on an answer: Telegram shows it for about 5 seconds, so it is sent again
 * every {@code period} until every message handed to the bot from that chat has been answered, or {@code bound} has
 * passed since the last of them (a message the bot does not answer must not leave it typing).
 */
final class Typing implements AutoCloseable {

    /** Telegram shows a chat action for 5 s at most. */
    static final Duration PERIOD = Duration.ofSeconds(4);
    /** How long a message can keep the indicator up without an answer. */
    static final Duration BOUND = Duration.ofMinutes(2);

    private final ScheduledExecutorService scheduler;
    private final Duration period;
    private final long boundNanos;
    private final Consumer<String> action;
    private final Map<String, Pending> chats = new HashMap<>(); // guarded by itself

    private static final class Pending {
        int waiting;
        long deadline;
        ScheduledFuture<?> task;
    }

    /** @param action sends the chat action to a chat; it must not throw */
    Typing(ScheduledExecutorService scheduler, Duration period, Duration bound, Consumer<String> action) {
        this.scheduler = scheduler;
        this.period = period;
        this.boundNanos = bound.toNanos();
        this.action = action;
    }

    /** A message of this chat was handed to the bot. */
    void started(String chatId) {
        synchronized (chats) {
            Pending pending = chats.computeIfAbsent(chatId, id -> new Pending());
            pending.waiting++;
            pending.deadline = System.nanoTime() + boundNanos;
            if (pending.task == null) {
                try {
                    pending.task = scheduler.scheduleWithFixedDelay(() -> tick(chatId), 0, period.toNanos(),
                            TimeUnit.NANOSECONDS);
                } catch (java.util.concurrent.RejectedExecutionException stopped) {
                    chats.remove(chatId);
                }
            }
        }
    }

    /** An answer to this chat is being sent. */
    void answered(String chatId) {
        synchronized (chats) {
            Pending pending = chats.get(chatId);
            if (pending != null && --pending.waiting <= 0) {
                pending.task.cancel(false);
                chats.remove(chatId);
            }
        }
    }

    /** Whether "typing…" is being sent to this chat. */
    boolean active(String chatId) {
        synchronized (chats) {
            return chats.containsKey(chatId);
        }
    }

    private void tick(String chatId) {
        synchronized (chats) {
            Pending pending = chats.get(chatId);
            if (pending == null) {
                return;
            }
            if (System.nanoTime() - pending.deadline > 0) {
                pending.task.cancel(false);
                chats.remove(chatId);
                return;
            }
        }
        action.accept(chatId);
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        synchronized (chats) {
            chats.clear();
        }
    }
}
