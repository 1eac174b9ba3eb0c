package io.grambot.core.internal.action;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;

/**
 * A clock that moves only when told to, and the timer that goes with it: scheduled tasks run (on the test's thread)
 * when {@link #advance} passes their time. Keeps every delay it was asked for, so tests can assert exact waits.
 */
final class FakeTime extends Clock implements Timer {

    private record Task(Instant due, long sequence, Runnable task) {}

    private Instant now = Instant.parse("2026-01-01T00:00:00Z");
    private long sequence;
    private final List<Duration> requested = new ArrayList<>();
    private final PriorityQueue<Task> tasks = new PriorityQueue<>((a, b) -> a.due().equals(b.due())
            ? Long.compare(a.sequence(), b.sequence()) : a.due().compareTo(b.due()));

    @Override
    public synchronized Runnable schedule(Duration delay, Runnable task) {
        requested.add(delay);
        Task scheduled = new Task(now.plus(delay), sequence++, task);
        tasks.add(scheduled);
        notifyAll();
        return () -> {
            synchronized (this) {
                tasks.remove(scheduled);
            }
        };
    }

    /** Moves the clock on, running every task that falls due on the way, each at its own time. */
    void advance(Duration by) {
        Instant target;
        synchronized (this) {
            target = now.plus(by);
        }
        while (true) {
            Task next;
            synchronized (this) {
                next = tasks.peek();
                if (next == null || next.due().isAfter(target)) {
                    now = target;
                    return;
                }
                tasks.poll();
                now = next.due();
            }
            next.task().run();
        }
    }

    /** Every delay asked for so far, in order (timeouts and waits between attempts alike). */
    synchronized List<Duration> requested() {
        return List.copyOf(requested);
    }

    /** Waits (bounded) until {@code count} delays have been asked for: an attempt on a worker got that far. */
    synchronized List<Duration> awaitRequested(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (requested.size() < count) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("only " + requested.size() + " of " + count + " delays were asked for: "
                        + requested);
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return List.copyOf(requested);
    }

    @Override
    public synchronized Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
