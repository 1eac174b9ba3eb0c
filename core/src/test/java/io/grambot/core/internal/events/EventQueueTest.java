package io.grambot.core.internal.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.grambot.api.PluginConstants;
import io.grambot.api.PluginEvent;
import io.grambot.api.PluginEventHandler;
import io.grambot.api.PluginException;
import io.grambot.api.runtime.EventFailure;
import io.grambot.api.runtime.EventQueueStatus;
import io.grambot.core.internal.events.EventQueueSettings.Mode;
import io.grambot.core.internal.events.EventQueueSettings.Overflow;

class EventQueueTest {

    private static final AtomicLong SERVICE_IDS = new AtomicLong();

    @TempDir
    Path dir;

    private final TestLog log = new TestLog();
    private final List<EventQueue> opened = new ArrayList<>();
    private final List<CountDownLatch> toRelease = new ArrayList<>();

    @AfterEach
    void closeQueues() {
        toRelease.forEach(CountDownLatch::countDown);
        opened.forEach(EventQueue::close);
    }

    static EventQueueSettings settings(Mode mode) {
        return settings(mode, Duration.ofSeconds(30));
    }

    static EventQueueSettings settings(Mode mode, Duration replayWait) {
        return new EventQueueSettings(mode, 10_000, Overflow.BLOCK, Duration.ofSeconds(5), Duration.ofSeconds(30),
                replayWait, 2, Duration.ofSeconds(1), EventQueueSettings.DEFAULT_SEGMENT_BYTES);
    }

    private EventQueue open(EventQueueSettings settings) throws IOException {
        return open(settings, dir);
    }

    private EventQueue open(EventQueueSettings settings, Path journal) throws IOException {
        EventQueue queue = new EventQueue(settings, journal, log.logger, Clock.systemUTC());
        opened.add(queue);
        return queue;
    }

    private CountDownLatch latch() {
        CountDownLatch latch = new CountDownLatch(1);
        toRelease.add(latch);
        return latch;
    }

    static Map<String, Object> handlerProperties(Object types) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("service.id", SERVICE_IDS.incrementAndGet());
        if (types != null) {
            properties.put(PluginConstants.EVENT_TYPE, types);
        }
        return properties;
    }

    /** Records what it is given. */
    static final class Recorder implements PluginEventHandler {
        final List<PluginEvent> events = new CopyOnWriteArrayList<>();

        @Override
        public void handle(PluginEvent event) {
            events.add(event);
        }

        List<String> ids(String instanceId) {
            return events.stream().filter(e -> e.instanceId().equals(instanceId)).map(PluginEvent::id).toList();
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void eventsOfEachInstanceArriveInEmissionOrder(Mode mode) throws Exception {
        EventQueue queue = open(settings(mode));
        Recorder recorder = new Recorder();
        queue.addHandler(recorder, handlerProperties("tick"));
        List<String> emittedA = new ArrayList<>();
        List<String> emittedB = new ArrayList<>();

        for (int i = 0; i < 500; i++) {
            emittedA.add(queue.emit("p", "a", "tick", Map.of("n", i)).id());
            emittedB.add(queue.emit("p", "b", "tick", Map.of("n", i)).id());
        }

        Wait.until("1000 events are handled", () -> recorder.events.size() == 1000);
        assertThat(recorder.ids("a")).containsExactlyElementsOf(emittedA);
        assertThat(recorder.ids("b")).containsExactlyElementsOf(emittedB);
        EventQueueStatus status = queue.status();
        assertThat(status.journaled()).isEqualTo(mode == Mode.JOURNAL);
        assertThat(status.accepted()).isEqualTo(1000);
        Wait.until("the queue is empty", () -> queue.status().depth() == 0);
        assertThat(queue.status().delivered()).isEqualTo(1000);
    }

    @Test
    void emitStampsTheEventWithAnIdUniqueAcrossStarts() throws Exception {
        EventQueue first = open(settings(Mode.MEMORY));
        EventQueue second = open(settings(Mode.MEMORY));
        Map<String, Object> payload = new HashMap<>(Map.of("text", "hi"));

        PluginEvent a = first.emit("echo", "one", "said", payload);
        PluginEvent b = first.emit("echo", "one", "said", payload);
        PluginEvent c = second.emit("echo", "one", "said", payload);
        payload.put("text", "changed afterwards");

        assertThat(a.pluginId()).isEqualTo("echo");
        assertThat(a.instanceId()).isEqualTo("one");
        assertThat(a.type()).isEqualTo("said");
        assertThat(a.payload()).containsExactly(Map.entry("text", "hi"));
        assertThat(a.createdAt()).isNotNull();
        assertThat(Stream.of(a.id(), b.id(), c.id()).distinct()).hasSize(3);
        assertThat(first.recentEvents()).extracting(PluginEvent::id).containsExactly(a.id(), b.id());
    }

    @Test
    void anEventWithoutATypeIsRefused() throws Exception {
        EventQueue queue = open(settings(Mode.MEMORY));

        assertThatThrownBy(() -> queue.emit("echo", "one", " ", Map.of())).isInstanceOf(PluginException.class)
                .hasMessage("instance 'one' emitted an event without a type");
    }

    @Test
    void handlersGetTheTypesTheyAskForInRankingOrder() throws Exception {
        EventQueue queue = open(settings(Mode.MEMORY));
        List<String> calls = new CopyOnWriteArrayList<>();
        queue.addHandler(e -> calls.add("a-only:" + e.type()), handlerProperties("a"));
        queue.addHandler(e -> calls.add("array:" + e.type()), handlerProperties(new String[] { "a", "b" }));
        queue.addHandler(e -> calls.add("all:" + e.type()), handlerProperties(null));
        Map<String, Object> ranked = handlerProperties(List.of("b"));
        ranked.put("service.ranking", 10);
        queue.addHandler(e -> calls.add("ranked:" + e.type()), ranked);

        queue.emit("p", "i", "a", Map.of());
        queue.emit("p", "i", "b", Map.of());
        queue.emit("p", "i", "c", Map.of());

        Wait.until("three events are handled", () -> queue.status().depth() == 0);
        assertThat(calls).containsExactly("a-only:a", "array:a", "all:a", "ranked:b", "array:b", "all:b", "all:c");
        assertThat(queue.status().handlers()).isEqualTo(4);
    }

    @Test
    void afterTheStartWaitAnEventWithNoHandlerIsCountedAsUnhandled() throws Exception {
        EventQueue queue = open(settings(Mode.MEMORY, Duration.ZERO));
        queue.addHandler(new Recorder(), handlerProperties("other"));

        queue.emit("p", "i", "nobody.listens", Map.of());

        Wait.until("the event is counted as unhandled", () -> queue.status().unhandled() == 1);
        assertThat(queue.status().delivered()).isZero();
        assertThat(queue.status().depth()).isZero();
    }

    @Test
    void eventsEmittedWhileAHandlerIsBeingReplacedWaitForTheNewOne() throws Exception {
        // the start wait is over (zero): only the gap after the last handler of a type left makes events wait
        EventQueue queue = open(settings(Mode.JOURNAL, Duration.ZERO));
        queue.emit("p", "x", "nobody.listens", Map.of());
        Wait.until("the start wait is over", () -> queue.status().unhandled() == 1);
        queue.reconfigure(settings(Mode.JOURNAL));
        Recorder oldVersion = new Recorder();
        Map<String, Object> oldProperties = handlerProperties("redeploy");
        queue.addHandler(oldVersion, oldProperties);
        queue.emit("p", "i", "redeploy", Map.of("n", 0));
        Wait.until("the old version handled the first event", () -> oldVersion.events.size() == 1);

        queue.removeHandler(oldProperties, true); // its bundle is stopping: being updated
        queue.emit("p", "i", "redeploy", Map.of("n", 1));
        queue.emit("p", "i", "redeploy", Map.of("n", 2));
        // the gap lasts as long as an update takes; without the wait the two would be dropped within it
        long gapEnds = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
        while (System.nanoTime() < gapEnds) {
            assertThat(queue.status().unhandled()).as("events dropped in the gap").isEqualTo(1);
            Thread.onSpinWait();
        }
        Recorder newVersion = new Recorder();
        queue.addHandler(newVersion, handlerProperties("redeploy"));

        Wait.until("the new version handled the events of the gap", () -> newVersion.events.size() == 2);
        assertThat(newVersion.events).extracting(e -> String.valueOf(e.payload().get("n"))).containsExactly("1", "2");
        assertThat(queue.status().unhandled()).as("only the event of the type nobody listens to").isEqualTo(1);
    }

    @Test
    void eventsOfAHandlerRemovedForGoodDoNotHoldUpTheirInstance() throws Exception {
        EventQueue queue = open(settings(Mode.MEMORY, Duration.ZERO));
        queue.emit("p", "x", "nobody.listens", Map.of());
        Wait.until("the start wait is over", () -> queue.status().unhandled() == 1);
        queue.reconfigure(settings(Mode.MEMORY));
        Map<String, Object> deleted = handlerProperties("flow.trigger");
        queue.addHandler(new Recorder(), deleted);
        Recorder other = new Recorder();
        queue.addHandler(other, handlerProperties("message.received"));

        queue.removeHandler(deleted, false); // a component deactivated in a running bundle
        queue.emit("p", "i", "flow.trigger", Map.of());
        queue.emit("p", "i", "message.received", Map.of());

        Wait.until("the instance's next event is delivered", () -> other.events.size() == 1);
        assertThat(queue.status().unhandled()).isEqualTo(2);
    }

    @Test
    void atTheStartANewEventWaitsForItsHandlerToAppear() throws Exception {
        EventQueue queue = open(settings(Mode.MEMORY));
        queue.emit("webchat", "chat", "message.received", Map.of("text", "typed while the bot was starting"));
        Recorder bot = new Recorder();

        queue.addHandler(bot, handlerProperties("message.received"));

        Wait.until("the event reaches the handler that appeared after it", () -> bot.events.size() == 1);
        assertThat(queue.status().unhandled()).isZero();
    }

    @Test
    void instancesProceedInParallel() throws Exception {
        EventQueue queue = open(settings(Mode.MEMORY));
        CountDownLatch bHandled = latch();
        AtomicReference<Boolean> aSawB = new AtomicReference<>();
        queue.addHandler(event -> {
            if (event.instanceId().equals("a")) {
                // a keeps its worker until b's event is handled: possible only on another worker
                aSawB.set(bHandled.await(10, TimeUnit.SECONDS));
            } else {
                bHandled.countDown();
            }
        }, handlerProperties("*"));

        queue.emit("p", "a", "t", Map.of());
        queue.emit("p", "b", "t", Map.of());

        Wait.until("a's handler returns", () -> aSawB.get() != null);
        assertThat(aSawB.get()).as("b was handled while a's handler was running").isTrue();
    }

    @Test
    void aThrowingHandlerIsRecordedAndTheOtherHandlersAndEventsGoOn() throws Exception {
        EventQueue queue = open(settings(Mode.MEMORY));
        queue.addHandler(event -> {
            throw new IllegalStateException("broken handler on " + event.payload().get("n"));
        }, handlerProperties("t"));
        Recorder recorder = new Recorder();
        queue.addHandler(recorder, handlerProperties("t"));

        for (int i = 0; i < 10; i++) {
            queue.emit("p", "a", "t", Map.of("n", i));
        }

        Wait.until("the second handler got all ten events", () -> recorder.events.size() == 10);
        Wait.until("ten failures are counted", () -> queue.status().failed() == 10);
        List<EventFailure> failures = queue.failures();
        assertThat(failures).hasSize(10);
        EventFailure first = failures.get(0);
        assertThat(first.event().id()).isEqualTo(recorder.events.get(0).id());
        assertThat(first.message()).isEqualTo("java.lang.IllegalStateException: broken handler on 0");
        assertThat(first.handler()).startsWith(EventQueueTest.class.getName());
        assertThat(first.timedOut()).isFalse();
        assertThat(queue.status().delivered()).isEqualTo(10);
        assertThat(log.warnings).anyMatch(w -> w.contains("failed on event " + first.event().id()));
    }

    @Test
    void aSlowHandlerTimesOutWhileOtherInstancesAndLaterEventsProceed() throws Exception {
        EventQueueSettings settings = new EventQueueSettings(Mode.MEMORY, 100, Overflow.BLOCK, Duration.ofSeconds(5),
                Duration.ofMillis(200), Duration.ZERO, 1, Duration.ofSeconds(1), 1 << 20);
        EventQueue queue = open(settings);
        CountDownLatch never = latch();
        CountDownLatch interrupted = new CountDownLatch(1);
        CountDownLatch slowStarted = new CountDownLatch(1);
        queue.addHandler(event -> {
            slowStarted.countDown();
            try {
                never.await();
            } catch (InterruptedException e) {
                interrupted.countDown();
                // ignores the interrupt for a while, like a handler stuck in a call that cannot be interrupted
                never.await(1, TimeUnit.SECONDS);
            }
        }, handlerProperties("slow"));
        Recorder recorder = new Recorder();
        queue.addHandler(recorder, handlerProperties(List.of("slow", "fast")));

        PluginEvent slow = queue.emit("p", "a", "slow", Map.of());
        Wait.await(slowStarted, "the slow handler is called");
        PluginEvent afterSlow = queue.emit("p", "a", "fast", Map.of());
        // one worker only, and it is stuck: b's event needs the replacement worker
        PluginEvent other = queue.emit("p", "b", "fast", Map.of());

        Wait.until("all three events reach the recorder", () -> recorder.events.size() == 3);
        assertThat(recorder.ids("a")).containsExactly(slow.id(), afterSlow.id());
        assertThat(recorder.ids("b")).containsExactly(other.id());
        assertThat(never.getCount()).as("the slow handler is still stuck").isEqualTo(1);
        EventQueueStatus status = queue.status();
        assertThat(status.timedOut()).isEqualTo(1);
        assertThat(queue.failures()).singleElement().satisfies(f -> {
            assertThat(f.timedOut()).isTrue();
            assertThat(f.event().id()).isEqualTo(slow.id());
            assertThat(f.message()).isEqualTo("did not return within 200 ms");
        });
        Wait.await(interrupted, "the abandoned handler is interrupted");
        Wait.until("the stuck call returns", () -> queue.status().stuckCalls() == 0);
    }

    @Test
    void aFullQueueMakesEmitWaitForRoom() throws Exception {
        EventQueue queue = open(new EventQueueSettings(Mode.JOURNAL, 2, Overflow.BLOCK, Duration.ofSeconds(10),
                Duration.ofSeconds(30), Duration.ZERO, 1, Duration.ofSeconds(1), 1 << 20));
        CountDownLatch release = latch();
        queue.addHandler(event -> release.await(), handlerProperties("t"));
        queue.emit("p", "a", "t", Map.of());
        queue.emit("p", "a", "t", Map.of());
        AtomicReference<Thread> producer = new AtomicReference<>();

        CompletableFuture<PluginEvent> third = CompletableFuture.supplyAsync(() -> {
            producer.set(Thread.currentThread());
            try {
                return queue.emit("p", "a", "t", Map.of("n", 3));
            } catch (PluginException e) {
                throw new IllegalStateException(e);
            }
        });

        Wait.until("the third emit waits", () -> producer.get() != null
                && producer.get().getState() == Thread.State.TIMED_WAITING && !third.isDone());
        assertThat(queue.status().depth()).isEqualTo(2);
        release.countDown();
        assertThat(third.get(10, TimeUnit.SECONDS).payload()).containsEntry("n", 3);
        Wait.until("the queue drains", () -> queue.status().depth() == 0);
        assertThat(queue.status().rejected()).isZero();
    }

    @Test
    void aFullQueueRefusesAfterTheBlockTimeout() throws Exception {
        EventQueue queue = open(new EventQueueSettings(Mode.MEMORY, 2, Overflow.BLOCK, Duration.ofMillis(50),
                Duration.ofSeconds(30), Duration.ZERO, 1, Duration.ofSeconds(1), 1 << 20));
        CountDownLatch never = latch();
        queue.addHandler(event -> never.await(), handlerProperties("t"));
        queue.emit("p", "a", "t", Map.of());
        queue.emit("p", "a", "t", Map.of());

        assertThatThrownBy(() -> queue.emit("p", "a", "t", Map.of())).isInstanceOfSatisfying(PluginException.class,
                e -> {
                    assertThat(e.retryable()).isTrue();
                    assertThat(e.getMessage()).isEqualTo("the plugin event queue is full (capacity 2 pending events):"
                            + " event 't' of instance 'a' was refused after waiting 50 ms for room; try again later");
                });
        assertThat(queue.status().rejected()).isEqualTo(1);
    }

    @Test
    void rejectModeRefusesAtOnceWithAClearError() throws Exception {
        EventQueue queue = open(new EventQueueSettings(Mode.MEMORY, 3, Overflow.REJECT, Duration.ofSeconds(30),
                Duration.ofSeconds(30), Duration.ZERO, 1, Duration.ofSeconds(1), 1 << 20));
        CountDownLatch never = latch();
        queue.addHandler(event -> never.await(), handlerProperties("t"));
        for (int i = 0; i < 3; i++) {
            queue.emit("p", "busy", "t", Map.of());
        }

        long start = System.nanoTime();
        assertThatThrownBy(() -> queue.emit("p", "busy", "msg.in", Map.of()))
                .isInstanceOfSatisfying(PluginException.class, e -> assertThat(e.retryable()).isTrue())
                .hasMessage("the plugin event queue is full (capacity 3 pending events): event 'msg.in' of instance"
                        + " 'busy' was refused; try again later");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(queue.status().depth()).isEqualTo(3);
        assertThat(queue.status().accepted()).isEqualTo(3);
    }

    @Test
    void newSettingsApplyToTheRunningQueue() throws Exception {
        EventQueue queue = open(new EventQueueSettings(Mode.MEMORY, 1, Overflow.REJECT, Duration.ZERO,
                Duration.ofSeconds(30), Duration.ZERO, 1, Duration.ofSeconds(1), 1 << 20));
        CountDownLatch never = latch();
        queue.addHandler(event -> never.await(), handlerProperties("t"));
        PluginEvent stuck = queue.emit("p", "a", "t", Map.of());
        assertThatThrownBy(() -> queue.emit("p", "a", "t", Map.of())).isInstanceOf(PluginException.class);

        assertThat(queue.reconfigure(new EventQueueSettings(Mode.MEMORY, 3, Overflow.REJECT, Duration.ZERO,
                Duration.ofMillis(100), Duration.ZERO, 2, Duration.ofSeconds(1), 1 << 20))).isTrue();

        queue.emit("p", "a", "t", Map.of());
        Wait.until("the stuck call times out under the new timeout", () -> queue.status().timedOut() >= 1);
        assertThat(queue.failures().get(0).event().id()).isEqualTo(stuck.id());
        assertThat(queue.status().capacity()).isEqualTo(3);
        assertThat(queue.reconfigure(settings(Mode.JOURNAL))).as("a mode change takes a new queue").isFalse();
    }

    @Test
    void aPayloadThatIsNotJsonIsRefusedInJournalModeAndTakesNoRoom() throws Exception {
        EventQueue queue = open(settings(Mode.JOURNAL));

        assertThatThrownBy(() -> queue.emit("p", "a", "t", Map.of("thing", new Object())))
                .isInstanceOf(PluginException.class)
                .hasMessageStartingWith("event 't' of instance 'a' cannot be journaled: its payload must be JSON-like");
        assertThat(queue.status().depth()).isZero();
    }

    @Test
    void memoryModeWritesNothing() throws Exception {
        Path journal = dir.resolve("events");
        EventQueue queue = open(settings(Mode.MEMORY), journal);
        Recorder recorder = new Recorder();
        queue.addHandler(recorder, handlerProperties("t"));

        queue.emit("p", "a", "t", Map.of());

        Wait.until("the event is handled", () -> recorder.events.size() == 1);
        assertThat(journal).doesNotExist();
        assertThat(queue.status().journaled()).isFalse();
    }

    @Test
    void eventsLeftUnhandledByACrashAreDeliveredAfterRestartWithTheirIds() throws Exception {
        Path live = dir.resolve("live");
        EventQueue before = open(settings(Mode.JOURNAL), live);
        CountDownLatch stuck = latch();
        List<String> handledBefore = new CopyOnWriteArrayList<>();
        before.addHandler(event -> {
            if (event.instanceId().equals("a") && event.payload().get("n").equals(3)) {
                stuck.await();
            }
            handledBefore.add(event.id());
        }, handlerProperties("t"));
        List<PluginEvent> emitted = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            emitted.add(before.emit("p", "a", "t", Map.of("n", i)));
            emitted.add(before.emit("p", "b", "t", Map.of("n", i)));
        }
        Wait.until("a is stuck at its event 3 and b is done",
                () -> handledBefore.size() == 9 && before.status().depth() == 3);
        Wait.until("the acknowledgements are written", () -> Files.exists(live.resolve(EventJournal.ACKED_FILE)));
        // what a kill -9 leaves on disk: the files as they are now, nothing flushed or closed
        Path crashed = copy(live, dir.resolve("crashed"));

        EventQueue after = open(settings(Mode.JOURNAL), crashed);
        Recorder recorder = new Recorder();
        after.addHandler(recorder, handlerProperties("t"));

        List<String> unhandledA = emitted.stream().filter(e -> e.instanceId().equals("a"))
                .filter(e -> (int) e.payload().get("n") >= 3).map(PluginEvent::id).toList();
        Wait.until("a's three unhandled events are delivered", () -> recorder.ids("a").size() >= 3);
        // acknowledgements are written lazily: events handled just before the crash may come again, never fewer
        assertThat(recorder.ids("a")).endsWith(unhandledA.toArray(String[]::new));
        Wait.until("the restarted queue is empty", () -> after.status().depth() == 0);
        assertThat(after.status().replayed()).isEqualTo(recorder.events.size());
        PluginEvent replayed = recorder.events.get(recorder.events.size() - 1);
        PluginEvent original = emitted.stream().filter(e -> e.id().equals(replayed.id())).findFirst().orElseThrow();
        assertThat(replayed).isEqualTo(original);
    }

    @Test
    void replayedEventsWaitForALateHandler() throws Exception {
        Crashed crashed = crashWithUnhandledEvents(5);

        EventQueue after = open(settings(Mode.JOURNAL), crashed.journal());
        assertThat(after.status().depth()).isEqualTo(5);
        assertThat(after.status().replayed()).isEqualTo(5);
        Recorder late = new Recorder();
        after.addHandler(late, handlerProperties("t"));

        Wait.until("the waiting events reach the late handler", () -> late.events.size() == 5);
        assertThat(late.ids("a")).containsExactlyElementsOf(crashed.ids());
        assertThat(after.status().unhandled()).isZero();
    }

    @Test
    void replayedEventsWithNoHandlerAreDroppedAfterTheReplayWait() throws Exception {
        Crashed crashed = crashWithUnhandledEvents(4);

        EventQueue after = open(new EventQueueSettings(Mode.JOURNAL, 100, Overflow.BLOCK, Duration.ofSeconds(1),
                Duration.ofSeconds(1), Duration.ofMillis(100), 1, Duration.ofSeconds(1), 1 << 20), crashed.journal());

        Wait.until("the replayed events are given up", () -> after.status().unhandled() == 4);
        assertThat(after.status().depth()).isZero();
        assertThat(log.warnings).anyMatch(w -> w.contains("replayed events with no handler after the replay wait"));
        after.close();
        EventQueue third = open(settings(Mode.JOURNAL), crashed.journal());
        assertThat(third.status().replayed()).as("dropped events are done").isZero();
    }

    private record Crashed(Path journal, List<String> ids) {}

    /** The journal a kill -9 leaves while the only handler is stuck on the first of {@code count} events. */
    private Crashed crashWithUnhandledEvents(int count) throws Exception {
        Path live = dir.resolve("live");
        EventQueue before = open(settings(Mode.JOURNAL), live);
        CountDownLatch stuck = latch();
        CountDownLatch started = new CountDownLatch(1);
        before.addHandler(event -> {
            started.countDown();
            stuck.await();
        }, handlerProperties("t"));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(before.emit("p", "a", "t", Map.of("n", i)).id());
        }
        Wait.await(started, "the handler is called");
        return new Crashed(copy(live, dir.resolve("crashed")), ids);
    }

    @Test
    void handledSegmentsAreDeleted() throws Exception {
        EventQueue queue = open(new EventQueueSettings(Mode.JOURNAL, 1000, Overflow.BLOCK, Duration.ofSeconds(5),
                Duration.ofSeconds(5), Duration.ZERO, 2, Duration.ofMillis(10), 2048));
        CountDownLatch release = latch();
        queue.addHandler(event -> release.await(), handlerProperties("t"));
        for (int i = 0; i < 200; i++) {
            queue.emit("p", "i" + i % 3, "t", Map.of("text", "some text to fill the segments " + i));
        }
        assertThat(segments()).as("segments while the events wait").hasSizeGreaterThan(5);

        release.countDown();

        Wait.until("only the current segment is left", () -> segments().size() == 1);
        queue.close();
        assertThat(segments()).as("segments after a stop with nothing pending").isEmpty();
    }

    private List<Path> segments() {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().startsWith("segment-")).toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static Path copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path file : files.toList()) {
                if (!file.getFileName().toString().endsWith(".tmp")) {
                    try {
                        Files.copy(file, to.resolve(file.getFileName()));
                    } catch (java.nio.file.NoSuchFileException e) {
                        // replaced meanwhile (acknowledgements): as if the kill came a moment earlier
                    }
                }
            }
        }
        return to;
    }
}
