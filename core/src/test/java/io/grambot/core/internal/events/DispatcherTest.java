package io.grambot.core.internal.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.grambot.api.PluginEvent;
import io.grambot.api.PluginEventHandler;
import io.grambot.core.internal.events.HandlerIndex.Subscription;

/** The acknowledgement prefix of the dispatcher, watched through its completion callback. */
class DispatcherTest {

    private final TestLog log = new TestLog();
    private final List<Dispatcher> started = new ArrayList<>();
    private final ExecutorService completers = Executors.newFixedThreadPool(3);

    @AfterEach
    void stop() {
        completers.shutdownNow();
        started.forEach(d -> d.stop(Duration.ofSeconds(1)));
    }

    /** Every callback of the dispatcher, per instance, checked as it comes. */
    static final class Acks implements Dispatcher.Completion {
        private final Map<String, List<Integer>> done = new HashMap<>();
        private final Map<String, BitSet> doneSet = new HashMap<>();
        private final Map<String, List<Integer>> acknowledged = new HashMap<>();
        final List<String> violations = new CopyOnWriteArrayList<>();

        @Override
        public synchronized void done(QueuedEvent event, QueuedEvent upTo) {
            String instance = event.event().instanceId();
            BitSet finished = doneSet.computeIfAbsent(instance, i -> new BitSet());
            int n = n(event);
            if (finished.get(n)) {
                violations.add(instance + ": event " + n + " done twice");
            }
            finished.set(n);
            done.computeIfAbsent(instance, i -> new ArrayList<>()).add(n);
            if (upTo == null) {
                return;
            }
            int mark = n(upTo);
            List<Integer> acks = acknowledged.computeIfAbsent(instance, i -> new ArrayList<>());
            if (!acks.isEmpty() && acks.get(acks.size() - 1) > mark) {
                violations.add(instance + ": acknowledged " + mark + " after " + acks.get(acks.size() - 1));
            }
            if (finished.nextClearBit(0) <= mark) {
                violations.add(instance + ": acknowledged up to " + mark + " while " + finished.nextClearBit(0)
                        + " is not done");
            }
            acks.add(mark);
        }

        synchronized List<Integer> done(String instance) {
            return List.copyOf(done.getOrDefault(instance, List.of()));
        }

        synchronized List<Integer> acknowledged(String instance) {
            return List.copyOf(acknowledged.getOrDefault(instance, List.of()));
        }

        int lastAcknowledged(String instance) {
            List<Integer> acks = acknowledged(instance);
            return acks.isEmpty() ? -1 : acks.get(acks.size() - 1);
        }
    }

    static int n(QueuedEvent event) {
        return (Integer) event.event().payload().get("n");
    }

    private Dispatcher dispatcher(Acks acks, Duration completionTimeout) {
        Dispatcher d = new Dispatcher(2, Duration.ofSeconds(30), completionTimeout, Duration.ZERO, log.logger,
                Clock.systemUTC(), acks);
        started.add(d);
        return d;
    }

    private static void add(Dispatcher dispatcher, PluginEventHandler handler, String type) {
        dispatcher.addHandler(Subscription.of(handler, EventQueueTest.handlerProperties(type)));
    }

    private static void offer(Dispatcher dispatcher, String instance, String type, int n) {
        Dispatcher.Lane lane = dispatcher.lane(instance);
        lane.offer(QueuedEvent.inMemory(new PluginEvent(instance + "-" + n, "p", instance, type, Map.of("n", n),
                Instant.EPOCH)));
        lane.schedule();
    }

    /** Hands out a new stage per event and keeps it for the test to complete. */
    static final class Deferred implements PluginEventHandler {
        final Map<Integer, CompletableFuture<Void>> stages = new ConcurrentHashMap<>();

        @Override
        public void handle(PluginEvent event) {
            throw new AssertionError("the queue must call handleAsync");
        }

        @Override
        public CompletionStage<?> handleAsync(PluginEvent event) {
            CompletableFuture<Void> stage = new CompletableFuture<>();
            stages.put((Integer) event.payload().get("n"), stage);
            return stage;
        }

        void complete(int n) {
            stages.get(n).complete(null);
        }
    }

    @Test
    void eventsFinishingOutOfOrderAreAcknowledgedOnlyOverTheFinishedPrefix() throws Exception {
        Acks acks = new Acks();
        Dispatcher dispatcher = dispatcher(acks, Duration.ofMinutes(1));
        Deferred handler = new Deferred();
        add(dispatcher, handler, "t");
        add(dispatcher, event -> {}, "sync");
        for (int n = 0; n < 6; n++) {
            offer(dispatcher, "a", "t", n);
        }
        offer(dispatcher, "a", "sync", 6);
        Wait.until("the lane went through all six events without waiting for any", () -> acks.done("a").size() == 1);
        assertThat(handler.stages).hasSize(6);
        assertThat(dispatcher.inFlight.sum()).isEqualTo(6);
        assertThat(acks.done("a")).as("the synchronous event after them").containsExactly(6);

        handler.complete(3);
        handler.complete(1);
        assertThat(acks.done("a")).containsExactly(6, 3, 1);
        assertThat(acks.acknowledged("a")).as("0 is not finished").isEmpty();

        handler.complete(0);
        assertThat(acks.acknowledged("a")).as("0 and 1 are finished, 2 is not").containsExactly(1);
        handler.complete(5);
        handler.complete(2);
        assertThat(acks.acknowledged("a")).as("up to 3; 4 is not finished").containsExactly(1, 3);
        handler.complete(4);

        assertThat(acks.acknowledged("a")).containsExactly(1, 3, 6);
        assertThat(acks.done("a")).containsExactly(6, 3, 1, 0, 5, 2, 4);
        assertThat(dispatcher.inFlight.sum()).isZero();
        assertThat(acks.violations).isEmpty();
    }

    @Test
    void aSynchronousEventAfterAnUnfinishedOneIsDoneButNotAcknowledged() throws Exception {
        Acks acks = new Acks();
        Dispatcher dispatcher = dispatcher(acks, Duration.ofMinutes(1));
        Deferred deferred = new Deferred();
        add(dispatcher, deferred, "async");
        add(dispatcher, event -> {}, "sync");

        offer(dispatcher, "a", "sync", 0);
        offer(dispatcher, "a", "async", 1);
        offer(dispatcher, "a", "sync", 2);
        Wait.until("the synchronous event after the unfinished one is done", () -> acks.done("a").size() == 2);

        assertThat(acks.done("a")).containsExactly(0, 2);
        assertThat(acks.acknowledged("a")).containsExactly(0);
        deferred.complete(1);
        assertThat(acks.acknowledged("a")).containsExactly(0, 2);
        offer(dispatcher, "a", "sync", 3);
        Wait.until("nothing is in flight: a synchronous event is acknowledged at once",
                () -> acks.lastAcknowledged("a") == 3);
        assertThat(acks.violations).isEmpty();
    }

    @Test
    void anEventWithSeveralAsynchronousHandlersIsDoneWhenAllTheirStagesAre() throws Exception {
        Acks acks = new Acks();
        Dispatcher dispatcher = dispatcher(acks, Duration.ofMinutes(1));
        Deferred first = new Deferred();
        Deferred second = new Deferred();
        add(dispatcher, first, "t");
        add(dispatcher, second, "t");
        add(dispatcher, event -> {}, "sync");

        offer(dispatcher, "a", "t", 0);
        offer(dispatcher, "a", "sync", 1);
        Wait.until("both handlers accepted the event and the lane went on", () -> acks.done("a").size() == 1);
        first.complete(0);
        assertThat(acks.done("a")).containsExactly(1);
        second.complete(0);

        assertThat(acks.done("a")).containsExactly(1, 0);
        assertThat(acks.acknowledged("a")).containsExactly(1);
    }

    @Test
    void aStageCompletedBeforeHandleAsyncReturnsFinishesTheEventOnTheSpot() throws Exception {
        Acks acks = new Acks();
        Dispatcher dispatcher = dispatcher(acks, Duration.ofMinutes(1));
        add(dispatcher, new PluginEventHandler() {
            @Override
            public void handle(PluginEvent event) {}

            @Override
            public CompletionStage<?> handleAsync(PluginEvent event) {
                return CompletableFuture.completedStage("already");
            }
        }, "t");

        for (int n = 0; n < 3; n++) {
            offer(dispatcher, "a", "t", n);
        }

        Wait.until("three events are acknowledged", () -> acks.lastAcknowledged("a") == 2);
        assertThat(acks.done("a")).containsExactly(0, 1, 2);
        assertThat(dispatcher.inFlight.sum()).isZero();
    }

    @Test
    void underConcurrentOutOfOrderCompletionTheMarkNeverPassesAnUnfinishedEvent() throws Exception {
        Acks acks = new Acks();
        Dispatcher dispatcher = dispatcher(acks, Duration.ofMinutes(1));
        Random random = new Random(42);
        List<CompletableFuture<Void>> handedOut = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger completedCount = new AtomicInteger();
        add(dispatcher, new PluginEventHandler() {
            @Override
            public void handle(PluginEvent event) {}

            @Override
            public CompletionStage<?> handleAsync(PluginEvent event) {
                CompletableFuture<Void> stage = new CompletableFuture<>();
                handedOut.add(stage);
                return stage;
            }
        }, "async");
        add(dispatcher, event -> {}, "sync");
        // completes the stages handed out so far in a shuffled order, from three threads
        Runnable complete = () -> {
            List<CompletableFuture<Void>> batch;
            synchronized (handedOut) {
                batch = new ArrayList<>(handedOut);
                handedOut.clear();
            }
            Collections.shuffle(batch, new Random(batch.size()));
            for (CompletableFuture<Void> stage : batch) {
                completers.execute(() -> {
                    stage.complete(null);
                    completedCount.incrementAndGet();
                });
            }
        };
        int perLane = 3000;
        String[] instances = { "a", "b", "c" };
        int async = 0;
        for (int n = 0; n < perLane; n++) {
            for (String instance : instances) {
                boolean isAsync = random.nextInt(3) > 0;
                async += isAsync ? 1 : 0;
                offer(dispatcher, instance, isAsync ? "async" : "sync", n);
            }
            if (n % 50 == 0) {
                complete.run();
            }
        }
        int asyncEvents = async;
        Wait.until("every event is dispatched", () -> {
            complete.run();
            return completedCount.get() == asyncEvents;
        });

        for (String instance : instances) {
            Wait.until(instance + " is acknowledged to its last event",
                    () -> acks.lastAcknowledged(instance) == perLane - 1);
            assertThat(acks.done(instance)).hasSize(perLane);
        }
        assertThat(acks.violations).isEmpty();
        assertThat(dispatcher.inFlight.sum()).isZero();
    }

    @Test
    void subscriptionsKnowWhetherTheHandlerIsAsynchronous() {
        PluginEventHandler plain = event -> {};
        assertThat(Subscription.of(plain, Map.of()).async()).isFalse();
        assertThat(Subscription.of(new Deferred(), Map.of()).async()).isTrue();
        Later later = event -> {};
        assertThat(Subscription.of(later, Map.of()).async()).as("inherited from an interface").isTrue();
    }

    interface Later extends PluginEventHandler {
        @Override
        default CompletionStage<?> handleAsync(PluginEvent event) {
            return new CompletableFuture<>();
        }
    }
}
