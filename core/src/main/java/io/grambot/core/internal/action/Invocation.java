package io.grambot.core.internal.action;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

import io.grambot.api.PluginException;
import io.grambot.api.action.ActionCall;
import io.grambot.api.action.ActionOutcome;
import io.grambot.api.action.ActionOutcome.Status;
import io.grambot.api.action.ActionResult;
import io.grambot.api.action.ActionRetry;
import io.grambot.api.action.AuditRecord;

/**
 * One invocation of an action: its attempts, each on a worker thread with its own timeout, the waits between them,
 * an audit record per attempt, and exactly one outcome. Whatever the action does (returns, throws, hangs, returns
 * garbage), the outcome completes normally; an attempt that outlives its timeout is interrupted and abandoned.
 */
final class Invocation {

    /** How an attempt ended, before the policy decides what follows. */
    private record End(ActionResult result, Map<String, Object> output, String error, boolean retryable,
            Optional<Duration> retryAfter, boolean timedOut) {

        static End success(ActionResult result, Map<String, Object> output) {
            return new End(result, output, "", false, Optional.empty(), false);
        }

        static End failure(String error, boolean retryable, Optional<Duration> retryAfter) {
            return new End(null, Map.of(), error, retryable, retryAfter, false);
        }

        static End timeout(String error, boolean retryable) {
            return new End(null, Map.of(), error, retryable, Optional.empty(), true);
        }
    }

    private final CoreActionInvoker invoker;
    private final BoundAction action;
    private final ActionCall call;
    private final Map<String, Object> payload;
    private final String invocationId;
    private final Instant started;
    private final ActionRetry retry;
    private final Duration timeout;
    private final CompletableFuture<ActionOutcome> outcome;
    // guarded by this
    private Attempt current;
    private Runnable pendingRetry;
    private boolean finished;

    Invocation(CoreActionInvoker invoker, BoundAction action, ActionCall call, Map<String, Object> payload,
            String invocationId, Instant started, ActionRetry retry, Duration timeout,
            CompletableFuture<ActionOutcome> outcome) {
        this.invoker = invoker;
        this.action = action;
        this.call = call;
        this.payload = payload;
        this.invocationId = invocationId;
        this.started = started;
        this.retry = retry;
        this.timeout = timeout;
        this.outcome = outcome;
    }

    /** Queues attempt {@code number} on a worker thread. */
    void attempt(int number) {
        Attempt attempt;
        synchronized (this) {
            if (finished) {
                return;
            }
            pendingRetry = null;
            attempt = new Attempt(number);
            current = attempt;
        }
        try {
            invoker.execute(attempt.task);
        } catch (RejectedExecutionException e) {
            attempt.end(End.failure("could not start: " + invoker.busyReason(), false, Optional.empty()));
        }
    }

    /** The invoker is stopping: the outcome is a failure now, and a running attempt is interrupted. */
    void stop() {
        Attempt running;
        synchronized (this) {
            if (finished) {
                return;
            }
            running = current;
            if (pendingRetry != null) {
                pendingRetry.run();
            }
        }
        if (running != null && running.settle()) {
            running.abandon();
            ended(running, End.failure("the action invoker stopped before the attempt finished", false,
                    Optional.empty()), true);
        } else {
            // between attempts: no attempt is running, the next one is not started
            finish(Status.FAILED, Map.of(), describe("was stopped: the action invoker stopped"), number(running),
                    List.of());
        }
    }

    private static int number(Attempt attempt) {
        return attempt == null ? 0 : attempt.number;
    }

    /** What the policy makes of an attempt's end: the outcome, or the wait and the next attempt. */
    private void ended(Attempt attempt, End end, boolean stopping) {
        long millis = Math.max(0, Duration.between(attempt.startedAt(), invoker.now()).toMillis());
        if (end.result() != null) {
            audit(attempt.number, "succeeded", millis, "");
            finish(Status.SUCCEEDED, end.output(), end.result().text(), attempt.number, List.of());
            return;
        }
        String error = invoker.mask(end.error());
        if (!stopping && end.retryable() && attempt.number < retry.maxAttempts()) {
            Duration wait = Backoff.before(attempt.number, retry, end.retryAfter(), invoker.random());
            audit(attempt.number, "retrying", millis, error + "; attempt " + (attempt.number + 1) + " in "
                    + wait.toMillis() + " ms");
            synchronized (this) {
                if (finished) {
                    return;
                }
                try {
                    pendingRetry = invoker.schedule(wait, () -> attempt(attempt.number + 1));
                    return;
                } catch (RejectedExecutionException stopped) {
                    // the invoker stopped meanwhile: this was the last attempt
                }
            }
        }
        audit(attempt.number, end.timedOut() ? "timed_out" : "failed", millis, error);
        String attempts = attempt.number == 1 ? "" : " after " + attempt.number + " attempts";
        finish(end.timedOut() ? Status.TIMED_OUT : Status.FAILED, Map.of(),
                describe((end.timedOut() ? "timed out" : "failed") + attempts + ": " + error), attempt.number,
                List.of());
    }

    private String describe(String what) {
        return "action '" + action.name() + "' of instance '" + action.instanceId() + "' " + what;
    }

    private void finish(Status status, Map<String, Object> output, String text, int attempts, List<String> problems) {
        synchronized (this) {
            if (finished) {
                return;
            }
            finished = true;
        }
        invoker.done(this);
        outcome.complete(new ActionOutcome(status, output, text, problems, attempts,
                Duration.between(started, invoker.now())));
    }

    private void audit(int attempt, String result, long millis, String error) {
        invoker.audit(new AuditRecord(invoker.now(), invocationId, call.invokedBy(), action.pluginId(),
                action.instanceId(), action.name(), attempt, result, millis, error, payload));
    }

    /** One attempt: runs the action on a worker thread; it or its timeout, whichever comes first, settles it. */
    private final class Attempt {

        final int number;
        final AttemptContext context;
        final FutureTask<Void> task;
        private final AtomicBoolean settled = new AtomicBoolean();
        private volatile Instant startedAt;
        private volatile Runnable cancelTimeout;

        Attempt(int number) {
            this.number = number;
            this.context = new AttemptContext(call.invokedBy(), number);
            this.task = new FutureTask<>(this::run, null);
        }

        Instant startedAt() {
            Instant at = startedAt;
            return at == null ? invoker.now() : at;
        }

        private void run() {
            startedAt = invoker.now();
            if (settled.get()) {
                return; // stopped before it started
            }
            // the timeout counts from now, not from when the attempt was queued
            try {
                cancelTimeout = invoker.schedule(timeout, this::timedOut);
            } catch (RejectedExecutionException stopping) {
                end(End.failure("the action invoker stopped before the attempt started", false, Optional.empty()));
                return;
            }
            End end;
            try {
                end = checked(action.action().execute(payload, context));
            } catch (PluginException e) {
                end = End.failure(String.valueOf(e.getMessage()), e.retryable(), e.retryAfter());
            } catch (VirtualMachineError e) {
                end(End.failure("the action failed with " + e, false, Optional.empty()));
                // out of memory and the like are not ours to swallow; the pool's task would, so report it as uncaught
                Thread worker = Thread.currentThread();
                worker.getUncaughtExceptionHandler().uncaughtException(worker, e);
                return;
            } catch (Throwable e) {
                end = End.failure("threw " + e.getClass().getName()
                        + (e.getMessage() == null ? "" : ": " + e.getMessage()), false, Optional.empty());
            }
            end(end);
        }

        private End checked(ActionResult result) {
            if (result == null) {
                return End.failure("returned no result (null)", false, Optional.empty());
            }
            try {
                return End.success(result, JsonLike.copy(result.output()));
            } catch (IllegalArgumentException e) {
                return End.failure("returned output that is not JSON-like: " + e.getMessage(), false,
                        Optional.empty());
            }
        }

        /** Ends the attempt with this, unless its timeout (or a stop) came first. */
        void end(End end) {
            if (settle()) {
                ended(this, end, false);
            }
        }

        boolean settle() {
            if (!settled.compareAndSet(false, true)) {
                return false;
            }
            Runnable cancel = cancelTimeout;
            if (cancel != null) {
                cancel.run();
            }
            return true;
        }

        void abandon() {
            context.cancel();
            task.cancel(true); // interrupts the worker if the action is still running
        }

        private void timedOut() {
            if (!settled.compareAndSet(false, true)) {
                return;
            }
            abandon();
            ended(this, End.timeout("did not finish within " + timeout.toMillis() + " ms", retry.retryTimeouts()),
                    false);
        }
    }
}
