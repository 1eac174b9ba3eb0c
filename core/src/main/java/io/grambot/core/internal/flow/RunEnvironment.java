package io.grambot.core.internal.flow;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What runs share.
 *
 * @param services the services steps call
 * @param runs where runs advance from step to step; never blocks on plugin code
 * @param calls where plugin code runs (connector sends, inference), bounded; a step's call is interrupted when the
 *        step is abandoned
 * @param timer ends steps that take longer than {@code stepTimeout}
 * @param stepTimeout the most one step may take (for an action, all its attempts)
 * @param clock for the times in run records
 */
public record RunEnvironment(FlowServices services, Executor runs, ExecutorService calls,
        ScheduledExecutorService timer, Duration stepTimeout, Clock clock) {}
