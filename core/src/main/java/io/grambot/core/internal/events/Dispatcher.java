package io.grambot.core.internal.events;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

import org.osgi.service.log.Logger;

import io.grambot.api.PluginEvent;
import io.grambot.api.runtime.EventFailure;
import io.grambot.core.internal.events.HandlerIndex.Subscription;

/**
 * Hands queued events to the handlers: one lane per instance, run like an actor on a small pool of workers, so the
 * events of an instance are handled one at a time in queue order while different instances proceed in parallel.
 *
 * <p>Handlers are called directly on the worker (no hand-off per call). A watchdog thread looks at the call each
 * lane is in; one that exceeds the handler timeout is recorded as timed out, its thread is interrupted and left
 * behind, and the lane goes on with the next handler on a fresh worker (the pool grows by one while the abandoned
 * thread is stuck).
 *
 * <p>A handler that overrides {@code handleAsync} returns a stage; the lane goes on at once and the event is
 * {@link InFlight in flight} until its stages complete, or until the completion timeout, after which the watchdog
 * records it as timed out. Events of a lane finish in any order, but the lane acknowledges only the longest prefix of
 * its events (in queue order) that are all finished: each in-flight event remembers the event dispatched before it,
 * and when the oldest one in flight finishes, everything up to the next one's predecessor is done. Synchronous
 * events with nothing in flight take none of this: one volatile read.
 */
final class Dispatcher {

    /** Told when an event is done. */
    interface Completion {
        /**
         * @param event the event whose handlers are all done
         * @param acknowledged the latest event of its instance up to which every event is done, or {@code null} if
         *        that did not move; always in queue order
         */
        void done(QueuedEvent event, QueuedEvent acknowledged);
    }

    /** Events a lane handles before it lets the other lanes have the worker. */
    private static final int BATCH = 256;
    /** At most this many stuck handler threads are compensated for with extra workers. */
    static final int MAX_STUCK = 64;
    private static final long IDLE = Long.MIN_VALUE;
    private static final long ABANDONED = Long.MIN_VALUE + 1;

    private final long startedAt = System.nanoTime();
    private volatile int workers;
    private volatile long timeoutNanos;
    private volatile long completionTimeoutNanos;
    private volatile long replayDeadline;
    /**
     * Types whose last handler went away with its stopping bundle, and when: a plugin bundle being updated or
     * refreshed unregisters its handlers and registers the new version's a moment later; events emitted in between
     * wait for them, as long as the replay wait (holding up the rest of their instance's events, in order).
     */
    private final ConcurrentHashMap<String, Long> handlerGoneAt = new ConcurrentHashMap<>();
    private final Logger log;
    private final Clock clock;
    private final Completion onDone;
    private final ThreadPoolExecutor pool;
    private final Thread watchdog;
    private final ConcurrentHashMap<String, Lane> lanes = new ConcurrentHashMap<>();
    /** Lanes whose replayed head event waits for a handler; a lane in here is owned by no worker. */
    private final Set<Lane> waiting = ConcurrentHashMap.newKeySet();
    private final Map<Long, Subscription> subscriptions = new HashMap<>();
    private final Object abandonLock = new Object();
    private final AtomicInteger stuck = new AtomicInteger();
    private final Ring<EventFailure> failures = new Ring<>(100);
    private volatile HandlerIndex index = HandlerIndex.EMPTY;
    private volatile boolean stopped;
    private volatile boolean replayWaitOver;

    final LongAdder delivered = new LongAdder();
    final LongAdder unhandled = new LongAdder();
    final LongAdder failed = new LongAdder();
    final LongAdder timedOut = new LongAdder();
    /** Events in flight: their handlers returned, their stages have not all completed. */
    final LongAdder inFlight = new LongAdder();

    Dispatcher(int workers, Duration handlerTimeout, Duration completionTimeout, Duration replayWait, Logger log,
            Clock clock, Completion onDone) {
        this.workers = workers;
        this.timeoutNanos = handlerTimeout.toNanos();
        this.completionTimeoutNanos = completionTimeout.toNanos();
        this.replayDeadline = startedAt + replayWait.toNanos();
        this.log = log;
        this.clock = clock;
        this.onDone = onDone;
        AtomicInteger threads = new AtomicInteger();
        ThreadFactory factory = r -> {
            Thread t = new Thread(r, "grambot-events-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        // the queue is unbounded, so the pool only grows past its core size when the watchdog raises it
        this.pool = new ThreadPoolExecutor(workers, workers + MAX_STUCK, 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), factory);
        this.watchdog = new Thread(this::watch, "grambot-events-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    /** Applies new settings to the running dispatcher; the replay wait still counts from the start. */
    void reconfigure(int workers, Duration handlerTimeout, Duration completionTimeout, Duration replayWait) {
        this.timeoutNanos = handlerTimeout.toNanos();
        this.completionTimeoutNanos = completionTimeout.toNanos();
        if (System.nanoTime() - replayDeadline >= 0) {
            replayWaitOver = true; // a start wait that is over does not begin again with longer settings
        }
        this.replayDeadline = startedAt + replayWait.toNanos();
        this.workers = workers;
        synchronized (this) {
            pool.setMaximumPoolSize(Math.max(pool.getMaximumPoolSize(), workers + MAX_STUCK));
        }
        resize();
        LockSupport.unpark(watchdog); // a shorter timeout or replay wait counts from now on
    }

    /** The lane of an instance, created on first use. */
    Lane lane(String instanceId) {
        Lane lane = lanes.get(instanceId);
        return lane != null ? lane : lanes.computeIfAbsent(instanceId, Lane::new);
    }

    synchronized void addHandler(Subscription subscription) {
        subscriptions.put(subscription.serviceId(), subscription);
        index = HandlerIndex.of(subscriptions.values());
        handlerGoneAt.keySet().removeIf(type -> index.lookup(type).length > 0);
        wakeWaiting();
    }

    synchronized void removeHandler(long serviceId, boolean comingBack) {
        Subscription removed = subscriptions.remove(serviceId);
        if (removed != null) {
            index = HandlerIndex.of(subscriptions.values());
            if (!comingBack) {
                return; // gone for good (a component deactivated in a running bundle): its types' events are unhandled
            }
            long now = System.nanoTime();
            for (String type : removed.types()) {
                if (!HandlerIndex.ALL.equals(type) && index.lookup(type).length == 0) {
                    handlerGoneAt.put(type, now);
                }
            }
        }
    }

    /** Whether events of this type, which has no handler now, wait for one (at start, or just after one left). */
    private boolean waitsForHandler(String type, long now) {
        if (!replayWaitOver && now - replayDeadline < 0) {
            return true;
        }
        Long goneAt = handlerGoneAt.get(type);
        return goneAt != null && now - goneAt < replayWaitNanos();
    }

    private long replayWaitNanos() {
        return replayDeadline - startedAt;
    }

    int handlers() {
        return index.size();
    }

    int stuckCalls() {
        return stuck.get();
    }

    List<EventFailure> failures() {
        return failures.snapshot();
    }

    /** Stops handing out events; waits a little for the calls in progress. Returns the events left undelivered. */
    int stop(Duration grace) {
        stopped = true;
        watchdog.interrupt();
        pool.shutdown();
        try {
            if (!pool.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                pool.shutdownNow();
            }
        } catch (InterruptedException e) {
            pool.shutdownNow();
            Thread.currentThread().interrupt();
        }
        return lanes.values().stream().mapToInt(Lane::pending).sum();
    }

    private void wakeWaiting() {
        for (Lane lane : waiting) {
            if (waiting.remove(lane)) {
                execute(lane);
            }
        }
    }

    private void execute(Lane lane) {
        try {
            pool.execute(lane);
        } catch (RejectedExecutionException e) {
            // stopping: the lane's events stay in the journal (or are dropped in memory mode)
        }
    }

    private void watch() {
        while (!stopped) {
            LockSupport.parkNanos(this, Math.max(TimeUnit.MILLISECONDS.toNanos(5), Math.min(timeoutNanos / 4,
                    TimeUnit.MILLISECONDS.toNanos(250))));
            long now = System.nanoTime();
            for (Lane lane : lanes.values()) {
                long start = lane.call.get();
                if (start != IDLE && start != ABANDONED && now - start > timeoutNanos) {
                    abandon(lane, start);
                }
                if (lane.oldest != null) {
                    lane.expired(now, completionTimeoutNanos).forEach(InFlight::timeOut);
                }
            }
            if (!replayWaitOver && now - replayDeadline >= 0) {
                replayWaitOver = true;
                if (!waiting.isEmpty()) {
                    log.warn("{} instances still have replayed events with no handler after the replay wait; these"
                            + " events are dropped as unhandled", waiting.size());
                    wakeWaiting();
                }
            }
            long gap = replayWaitNanos();
            boolean gapOver = handlerGoneAt.values().removeIf(goneAt -> now - goneAt >= gap);
            if (gapOver && !waiting.isEmpty()) {
                log.warn("events of a type whose handler went away found none within the replay wait; they are"
                        + " dropped as unhandled");
                wakeWaiting();
            }
        }
    }

    private void abandon(Lane lane, long start) {
        synchronized (abandonLock) {
            if (!lane.call.compareAndSet(start, ABANDONED)) {
                return; // returned meanwhile
            }
            // under the lock: the worker clears its interrupt under it too, so the interrupt cannot leak into the
            // next task of that thread
            lane.worker.interrupt();
        }
        // the worker wrote these before starting the call, and will not touch the lane again
        PluginEvent event = lane.current.event();
        Subscription subscription = lane.handlers[lane.next - 1];
        String message = "did not return within " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms";
        failures.add(new EventFailure(event, subscription.name(), message, true, clock.instant()));
        timedOut.increment();
        int count = stuck.incrementAndGet();
        log.warn("event handler {} {} on event {} ({}) of instance '{}'; it is left running and the instance's"
                + " events go on without it ({} handler calls stuck)", subscription.name(), message, event.id(),
                event.type(), event.instanceId(), count);
        resize();
        execute(lane);
    }

    private synchronized void resize() {
        int size = workers + Math.min(stuck.get(), MAX_STUCK);
        if (size != pool.getCorePoolSize() && !pool.isShutdown()) {
            if (size > pool.getMaximumPoolSize()) {
                pool.setMaximumPoolSize(size);
            }
            pool.setCorePoolSize(size); // smaller: the extra threads end when idle
        }
    }

    private void failed(PluginEvent event, Subscription subscription, Throwable failure) {
        // the record before the count: whoever sees the count finds the record
        failures.add(new EventFailure(event, subscription.name(), failure.toString(), false, clock.instant()));
        failed.increment();
        log.error("event handler {} failed on event {} ({}) of instance '{}': {}", subscription.name(), event.id(),
                event.type(), event.instanceId(), failure.toString(), failure);
    }

    private static Throwable unwrap(Throwable failure) {
        return (failure instanceof CompletionException || failure instanceof ExecutionException)
                && failure.getCause() != null ? failure.getCause() : failure;
    }

    /**
     * An event whose handlers returned stages that have not all completed. It is linked into its lane's list of
     * events in flight (in queue order) before its first stage is watched, and done exactly once: when the worker has
     * called all handlers and every stage completed, or when the watchdog times it out.
     */
    final class InFlight {

        final Lane lane;
        final QueuedEvent event;
        final long started = System.nanoTime();
        /** The handlers whose stages have not completed, by the handler's position; guarded by this. */
        private final Subscription[] waitingOn;
        /** Stages not completed, plus one held by the worker until it has called every handler. */
        private final AtomicInteger pending = new AtomicInteger(1);
        private final AtomicBoolean finished = new AtomicBoolean();
        // guarded by the lane
        QueuedEvent predecessor;
        InFlight older;
        InFlight newer;

        InFlight(Lane lane, QueuedEvent event, int handlers) {
            this.lane = lane;
            this.event = event;
            this.waitingOn = new Subscription[handlers];
        }

        /** Waits for the stage the handler at {@code position} returned. */
        void watch(CompletionStage<?> stage, Subscription subscription, int position) {
            synchronized (this) {
                waitingOn[position] = subscription;
            }
            pending.incrementAndGet();
            try {
                stage.whenComplete((result, failure) -> stageDone(position, failure));
            } catch (RuntimeException e) {
                stageDone(position, e);
            }
        }

        /** The worker has called every handler. */
        void release() {
            if (pending.decrementAndGet() == 0) {
                finish();
            }
        }

        private void stageDone(int position, Throwable failure) {
            Subscription subscription;
            synchronized (this) {
                subscription = waitingOn[position];
                waitingOn[position] = null;
            }
            if (subscription == null) {
                return; // timed out before
            }
            if (failure != null) {
                failed(event.event(), subscription, unwrap(failure));
            }
            if (pending.decrementAndGet() == 0) {
                finish();
            }
        }

        void timeOut() {
            if (!finished.compareAndSet(false, true)) {
                return;
            }
            List<Subscription> late = new ArrayList<>();
            synchronized (this) {
                for (int i = 0; i < waitingOn.length; i++) {
                    if (waitingOn[i] != null) {
                        late.add(waitingOn[i]);
                        waitingOn[i] = null;
                    }
                }
            }
            PluginEvent e = event.event();
            String message = "did not complete the stage returned by handleAsync within "
                    + TimeUnit.NANOSECONDS.toMillis(completionTimeoutNanos) + " ms";
            for (Subscription subscription : late) {
                failures.add(new EventFailure(e, subscription.name(), message, true, clock.instant()));
                timedOut.increment();
                log.warn("event handler {} {} on event {} ({}) of instance '{}'; the event is done without it",
                        subscription.name(), message, e.id(), e.type(), e.instanceId());
            }
            lane.finish(this);
        }

        private void finish() {
            if (finished.compareAndSet(false, true)) {
                lane.finish(this);
            }
        }
    }

    /** The events of one instance. Run by at most one worker at a time: whoever set {@code scheduled}. */
    final class Lane implements Runnable {

        final String instanceId;
        private final ConcurrentLinkedQueue<QueuedEvent> queue = new ConcurrentLinkedQueue<>();
        private final AtomicBoolean scheduled = new AtomicBoolean();
        /** When the handler call in progress started ({@link System#nanoTime}), or IDLE / ABANDONED. */
        final AtomicLong call = new AtomicLong(IDLE);
        // owned by the worker running the lane; handed over through the pool, the waiting set or abandonment
        private QueuedEvent current;
        private Subscription[] handlers;
        private int next;
        private InFlight flight;
        private volatile Thread worker;
        /** The oldest event in flight, or {@code null}; written under the lane's lock. */
        volatile InFlight oldest;
        // guarded by this while anything is in flight; else the worker's
        private InFlight newest;
        /** The last event whose handlers were all called. */
        private QueuedEvent lastDispatched;
        private int flying;

        Lane(String instanceId) {
            this.instanceId = instanceId;
        }

        void offer(QueuedEvent event) {
            queue.offer(event);
        }

        /** Makes sure a worker will look at the lane; call after {@link #offer}. */
        void schedule() {
            if (!scheduled.get() && scheduled.compareAndSet(false, true)) {
                execute(this);
            }
        }

        int pending() {
            synchronized (this) {
                return queue.size() + (current != null && flight == null ? 1 : 0) + flying;
            }
        }

        /** Starts tracking the current event's stages: it goes to the end of the in-flight list. */
        private InFlight fly(QueuedEvent event, int handlers) {
            InFlight f = new InFlight(this, event, handlers);
            synchronized (this) {
                f.predecessor = lastDispatched;
                f.older = newest;
                if (newest != null) {
                    newest.newer = f;
                }
                newest = f;
                flying++;
                if (oldest == null) {
                    oldest = f;
                }
            }
            inFlight.increment();
            return f;
        }

        /** The worker has called every handler of a synchronously handled event. */
        private void dispatched(QueuedEvent event) {
            if (oldest == null) {
                // nothing in flight, and only this worker puts something there: done and acknowledged at once
                lastDispatched = event;
                onDone.done(event, event);
                return;
            }
            synchronized (this) {
                lastDispatched = event;
                onDone.done(event, oldest == null ? event : null);
            }
        }

        /** Takes a finished event out of the in-flight list; acknowledges up to before the next oldest one. */
        void finish(InFlight f) {
            synchronized (this) {
                inFlight.decrement(); // before the event counts as done: depth never shows less than in flight
                InFlight older = f.older;
                InFlight newer = f.newer;
                if (older != null) {
                    older.newer = newer;
                }
                if (newer != null) {
                    newer.older = older;
                } else {
                    newest = older;
                }
                f.older = null;
                f.newer = null;
                flying--;
                if (f == oldest) {
                    onDone.done(f.event, newer != null ? newer.predecessor : lastDispatched);
                    // after the acknowledgement: once the worker reads null it acknowledges without the lock
                    oldest = newer;
                } else {
                    onDone.done(f.event, null);
                }
            }
        }

        /** The events in flight longer than {@code timeoutNanos}, oldest first. */
        synchronized List<InFlight> expired(long now, long timeoutNanos) {
            List<InFlight> expired = new ArrayList<>(1);
            for (InFlight f = oldest; f != null && now - f.started > timeoutNanos; f = f.newer) {
                expired.add(f);
            }
            return expired;
        }

        @Override
        public void run() {
            worker = Thread.currentThread();
            for (int budget = BATCH; !stopped;) {
                if (current == null) {
                    QueuedEvent event = queue.poll();
                    if (event == null) {
                        scheduled.set(false);
                        // an offer after the poll but before the reset found scheduled set: take it over
                        if (queue.isEmpty() || !scheduled.compareAndSet(false, true)) {
                            return;
                        }
                        continue;
                    }
                    current = event;
                    handlers = null;
                    next = 0;
                    flight = null;
                }
                if (handlers == null) {
                    HandlerIndex snapshot = index;
                    Subscription[] found = snapshot.lookup(current.event().type());
                    if (found.length == 0 && waitsForHandler(current.event().type(), System.nanoTime())) {
                        // at start, replayed or new: the handlers' bundles may not have registered them yet (a
                        // message typed into the web chat while the bot is still starting must not be dropped);
                        // later, a handler's bundle being updated is back in a moment
                        waiting.add(this);
                        if (index == snapshot || !waiting.remove(this)) {
                            return; // from here on the lane belongs to whoever takes it out of the waiting set
                        }
                        continue;
                    }
                    handlers = found;
                    if (found.length == 0) {
                        unhandled.increment();
                    }
                }
                while (next < handlers.length) {
                    int position = next++;
                    Subscription subscription = handlers[position];
                    long start = System.nanoTime();
                    if (start == IDLE || start == ABANDONED) {
                        start = ABANDONED + 1;
                    }
                    call.set(start);
                    Throwable failure = null;
                    CompletionStage<?> stage = null;
                    try {
                        if (subscription.async()) {
                            stage = subscription.handler().handleAsync(current.event());
                            if (stage == null) {
                                failure = new NullPointerException("handleAsync returned null; expected a"
                                        + " CompletionStage");
                            }
                        } else {
                            subscription.handler().handle(current.event());
                        }
                    } catch (Throwable t) {
                        failure = t;
                    }
                    if (!call.compareAndSet(start, IDLE)) {
                        returnedAfterTimeout();
                        return;
                    }
                    if (failure != null) {
                        if (stopped) {
                            return; // most likely interrupted by the stop: the event stays for the next start
                        }
                        failed(current.event(), subscription, failure);
                    } else if (stage != null) {
                        if (flight == null) {
                            flight = fly(current, handlers.length);
                        }
                        flight.watch(stage, subscription, position);
                    }
                    Thread.interrupted(); // a handler's interrupt must not reach the next one
                }
                if (handlers.length > 0) {
                    delivered.increment();
                }
                QueuedEvent done = current;
                InFlight flying = flight;
                current = null;
                handlers = null;
                flight = null;
                if (flying == null) {
                    dispatched(done);
                } else {
                    synchronized (this) {
                        lastDispatched = done;
                    }
                    flying.release();
                }
                if (--budget == 0) {
                    execute(this); // still scheduled: continue after the lanes waiting for a worker
                    return;
                }
            }
        }

        // this worker was abandoned by the watchdog and the lane has moved on: touch nothing of it
        private void returnedAfterTimeout() {
            synchronized (abandonLock) {
                Thread.interrupted();
            }
            stuck.decrementAndGet();
            resize();
        }
    }
}
