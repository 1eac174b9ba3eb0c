package io.grambot.core.internal.trigger;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import io.grambot.api.PluginException;
import io.grambot.api.action.Trigger;

/**
 * One trigger service's subscription, and the sink its events go through. Plugin code (name, subscribe, close)
 * runs on the trigger executor, each call within a bound. The subscription is closed exactly once: by
 * {@link #close} if it was in place, else by the subscribe call that returns it after {@code close} (or after
 * being abandoned). Once closed, failed or abandoned, the sink refuses events.
 */
final class TriggerSubscription implements Trigger.Sink {

    enum State { SUBSCRIBING, SUBSCRIBED, FAILED, CLOSED }

    private final Trigger trigger;
    private final String pluginId;
    private final String instanceId;
    private final TriggerSubscriptions.Emitter emitter;
    private final ExecutorService executor;
    private final Duration subscribeTimeout;
    private final Duration closeTimeout;
    private final Consumer<String> problems;
    private final AtomicLong fired = new AtomicLong();
    private final AtomicBoolean closeCalled = new AtomicBoolean();
    private volatile String name = "?";
    private volatile State state = State.SUBSCRIBING;
    /** Guarded by this. */
    private String reason = "";
    /** The subscription in place, until {@link #close} takes it. Guarded by this. */
    private Trigger.Subscription subscription;
    /** Guarded by this. */
    private Future<?> subscribing;

    TriggerSubscription(Trigger trigger, String pluginId, String instanceId, TriggerSubscriptions.Emitter emitter,
            ExecutorService executor, Duration subscribeTimeout, Duration closeTimeout, Consumer<String> problems) {
        this.trigger = trigger;
        this.pluginId = pluginId;
        this.instanceId = instanceId;
        this.emitter = emitter;
        this.executor = executor;
        this.subscribeTimeout = subscribeTimeout;
        this.closeTimeout = closeTimeout;
        this.problems = problems;
    }

    /** Subscribes on the trigger executor; the timer abandons a subscribe that does not return in time. */
    void start(ScheduledExecutorService timer) {
        synchronized (this) {
            subscribing = executor.submit(this::subscribe);
        }
        timer.schedule(this::abandonIfSubscribing, subscribeTimeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void subscribe() {
        Trigger.Subscription returned;
        try {
            name = String.valueOf(trigger.name());
            returned = trigger.subscribe(this);
        } catch (Throwable e) {
            fail("subscribe threw " + describe(e));
            return;
        }
        if (returned == null) {
            fail("subscribe returned no subscription");
            return;
        }
        boolean kept;
        synchronized (this) {
            kept = state == State.SUBSCRIBING;
            if (kept) {
                subscription = returned;
                state = State.SUBSCRIBED;
            }
        }
        if (!kept) {
            closeSubscription(returned, "returned after it was " + (state == State.CLOSED ? "unsubscribed"
                    : "abandoned"));
        }
    }

    private void fail(String why) {
        synchronized (this) {
            if (state != State.SUBSCRIBING) {
                return; // already abandoned or closed: that was reported
            }
            // reported before the state shows: whoever sees FAILED finds the problem recorded
            problems.accept(label() + " could not subscribe: " + why);
            state = State.FAILED;
            reason = why;
        }
    }

    private void abandonIfSubscribing() {
        Future<?> running;
        synchronized (this) {
            if (state != State.SUBSCRIBING) {
                return;
            }
            String why = "subscribe did not return within " + subscribeTimeout.toMillis() + " ms and was abandoned";
            problems.accept(label() + " could not subscribe: " + why
                    + " (a subscription it returns later is closed at once)");
            state = State.FAILED;
            reason = why;
            running = subscribing;
        }
        running.cancel(true);
    }

    /**
     * Unsubscribes: from now on the sink refuses events, and the subscription is closed (once) before this returns,
     * waiting for a subscribe call still running up to the subscribe bound.
     */
    void close() {
        Future<?> pending;
        synchronized (this) {
            if (state == State.CLOSED) {
                return;
            }
            pending = state == State.SUBSCRIBING ? subscribing : null;
            state = State.CLOSED;
        }
        if (pending != null) {
            try {
                // if subscribe returns now, it closes what it returns itself (it sees CLOSED)
                pending.get(subscribeTimeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                pending.cancel(true);
                problems.accept(label() + " was still subscribing when it was unsubscribed, and was abandoned"
                        + " after " + subscribeTimeout.toMillis() + " ms");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | CancellationException e) {
                // subscribe reports its own failures
            }
        }
        Trigger.Subscription taken;
        synchronized (this) {
            taken = subscription;
            subscription = null;
        }
        if (taken != null) {
            closeSubscription(taken, "was unsubscribed");
        }
    }

    /** Calls the plugin's close, once, within the close bound; a throw or a hang is reported, never passed on. */
    private void closeSubscription(Trigger.Subscription closing, String why) {
        if (!closeCalled.compareAndSet(false, true)) {
            return;
        }
        AtomicBoolean abandoned = new AtomicBoolean();
        Runnable call = () -> {
            try {
                closing.close();
            } catch (Throwable e) {
                if (!abandoned.get()) { // else it is the interrupt we sent, and the hang was reported
                    problems.accept(label() + ": closing its subscription (it " + why + ") threw " + describe(e));
                }
            }
        };
        Future<?> running;
        try {
            running = executor.submit(call);
        } catch (RejectedExecutionException stopping) {
            call.run();
            return;
        }
        try {
            running.get(closeTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            abandoned.set(true);
            running.cancel(true);
            problems.accept(label() + ": closing its subscription did not return within " + closeTimeout.toMillis()
                    + " ms and was abandoned");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | CancellationException e) {
            // the call catches everything itself
        }
    }

    @Override
    public void fire(Map<String, Object> data) throws PluginException {
        State now = state;
        if (now == State.CLOSED || now == State.FAILED) {
            String why;
            synchronized (this) {
                why = now == State.CLOSED ? "its subscription was closed" : "it failed to subscribe: " + reason;
            }
            throw new PluginException(label() + " is not subscribed (" + why
                    + "); events it fires now are refused");
        }
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("trigger", name);
        payload.put("data", data == null ? Map.of() : data);
        emitter.emit(pluginId, instanceId, Trigger.EVENT_TYPE, payload);
        fired.incrementAndGet();
    }

    synchronized TriggerState state() {
        return new TriggerState(instanceId, pluginId, name, state.name(), reason, fired.get());
    }

    String label() {
        return "trigger '" + name + "' of instance '" + instanceId + "'";
    }

    private static String describe(Throwable e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
}
