package io.grambot.core.internal.action;

import java.time.Duration;

/** Runs a task after a delay: the real one on a scheduler thread, a fake one in tests when its clock moves. */
interface Timer {

    /**
     * Schedules the task.
     *
     * @return cancels the task if it has not run yet
     * @throws java.util.concurrent.RejectedExecutionException if the timer stopped
     */
    Runnable schedule(Duration delay, Runnable task);
}
