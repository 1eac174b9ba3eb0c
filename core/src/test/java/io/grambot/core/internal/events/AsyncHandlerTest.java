package io.grambot.core.internal.events;

import static io.grambot.core.internal.events.EventQueueTest.handlerProperties;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.grambot.api.PluginEvent;
import io.grambot.api.PluginEventHandler;
import io.grambot.api.runtime.EventFailure;
import io.grambot.api.runtime.EventQueueStatus;
import io.grambot.core.internal.events.EventQueueSettings.Mode;
import io.grambot.core.internal.events.EventQueueSettings.Overflow;

/** Handlers that accept events in {@code handleAsync} and finish them later. */
class AsyncHandlerTest {

    @TempDir
    Path dir;

    private final TestLog log = new TestLog();
    private final List<EventQueue> opened = new ArrayList<>();

    @AfterEach
    void close() {
        opened.forEach(EventQueue::close);
    }

    private EventQueue open(Mode mode, Duration completionTimeout, Path journal) throws IOException {
        EventQueue queue = new EventQueue(new EventQueueSettings(mode, 100, Overflow.BLOCK, Duration.ofSeconds(5),
                Duration.ofSeconds(30), Duration.ofSeconds(30), 2, Duration.ofSeconds(1),
                EventQueueSettings.DEFAULT_SEGMENT_BYTES, completionTimeout), journal, log.logger, Clock.systemUTC());
        opened.add(queue);
        return queue;
    }

    /** Accepts every event with a stage of its own, which the test completes. */
    static final class Deferred implements PluginEventHandler {
        final Map<String, CompletableFuture<Void>> stages = new ConcurrentHashMap<>();

        @Override
        public void handle(PluginEvent event) {
            throw new AssertionError("the queue must call handleAsync");
        }

        @Override
        public CompletionStage<?> handleAsync(PluginEvent event) {
            CompletableFuture<Void> stage = new CompletableFuture<>();
            stages.put(event.id(), stage);
            return stage;
        }

        CompletableFuture<Void> stage(PluginEvent event) {
            return stages.get(event.id());
        }
    }

    /** The acknowledgement position of an instance in {@code acked.json}, as "segment/record", or "none". */
    private static String mark(Path journal, String instance) {
        try {
            Path file = journal.resolve(EventJournal.ACKED_FILE);
            if (!Files.exists(file)) {
                return "none";
            }
            JsonNode mark = new ObjectMapper().readTree(file.toFile()).path("acked").path(instance);
            return mark.isMissingNode() ? "none" : mark.path(0).asLong() + "/" + mark.path(1).asInt();
        } catch (IOException e) {
            return "unreadable: " + e; // being replaced: the next poll reads it
        }
    }

    @Test
    void theLaneGoesOnWhileAnEventIsInFlightAndTheEventIsPendingUntilItsStageCompletes() throws Exception {
        EventQueue queue = open(Mode.MEMORY, Duration.ofMinutes(1), dir);
        Deferred handler = new Deferred();
        queue.addHandler(handler, handlerProperties("t"));
        EventQueueTest.Recorder marker = new EventQueueTest.Recorder();
        queue.addHandler(marker, handlerProperties("marker"));

        PluginEvent first = queue.emit("p", "a", "t", Map.of());
        PluginEvent second = queue.emit("p", "a", "t", Map.of());
        queue.emit("p", "a", "marker", Map.of());

        Wait.until("the lane went past both events to the third", () -> marker.events.size() == 1);
        assertThat(handler.stages).hasSize(2);
        EventQueueStatus status = queue.status();
        assertThat(status.inFlight()).isEqualTo(2);
        assertThat(status.depth()).isEqualTo(2);
        assertThat(status.delivered()).isEqualTo(3);
        handler.stage(second).complete(null);
        assertThat(queue.status().depth()).isEqualTo(1);
        assertThat(queue.status().inFlight()).isEqualTo(1);
        handler.stage(first).complete(null);
        assertThat(queue.status().depth()).isZero();
        assertThat(queue.status().inFlight()).isZero();
        assertThat(queue.status().failed()).isZero();
    }

    @Test
    void aStageCompletedExceptionallyIsRecordedAsAHandlerFailure() throws Exception {
        EventQueue queue = open(Mode.MEMORY, Duration.ofMinutes(1), dir);
        Deferred handler = new Deferred();
        queue.addHandler(handler, handlerProperties("t"));
        PluginEvent event = queue.emit("p", "a", "t", Map.of());
        Wait.until("the event is in flight", () -> queue.status().inFlight() == 1);

        handler.stage(event).completeExceptionally(new CompletionException(new IllegalStateException("turn failed")));

        Wait.until("the event is done", () -> queue.status().depth() == 0);
        assertThat(queue.status().failed()).isEqualTo(1);
        assertThat(queue.failures()).singleElement().satisfies(f -> {
            assertThat(f.event()).isEqualTo(event);
            assertThat(f.handler()).isEqualTo(Deferred.class.getName());
            assertThat(f.message()).isEqualTo("java.lang.IllegalStateException: turn failed");
            assertThat(f.timedOut()).isFalse();
        });
        assertThat(log.warnings).anyMatch(w -> w.contains("failed on event " + event.id())
                && w.contains("turn failed"));
    }

    @Test
    void handleAsyncThrowingOrReturningNullIsAFailureAndTheEventIsDone() throws Exception {
        EventQueue queue = open(Mode.MEMORY, Duration.ofMinutes(1), dir);
        queue.addHandler(new PluginEventHandler() {
            @Override
            public void handle(PluginEvent event) {}

            @Override
            public CompletionStage<?> handleAsync(PluginEvent event) {
                if (event.type().equals("throw")) {
                    throw new IllegalArgumentException("not this one");
                }
                return null;
            }
        }, handlerProperties(List.of("throw", "null")));

        queue.emit("p", "a", "throw", Map.of());
        queue.emit("p", "a", "null", Map.of());

        Wait.until("both events are done", () -> queue.status().failed() == 2 && queue.status().depth() == 0);
        assertThat(queue.failures()).extracting(EventFailure::message).containsExactly(
                "java.lang.IllegalArgumentException: not this one",
                "java.lang.NullPointerException: handleAsync returned null; expected a CompletionStage");
        assertThat(queue.status().inFlight()).isZero();
    }

    @Test
    void aStageNotCompleteWithinTheCompletionTimeoutIsRecordedAsTimedOutAndAcknowledged() throws Exception {
        Path journal = dir.resolve("journal");
        EventQueue queue = open(Mode.JOURNAL, Duration.ofMillis(200), journal);
        Deferred handler = new Deferred();
        queue.addHandler(handler, handlerProperties("t"));

        PluginEvent stuck = queue.emit("p", "a", "t", Map.of());
        PluginEvent quick = queue.emit("p", "a", "t", Map.of());
        Wait.until("both are accepted", () -> handler.stages.size() == 2);
        handler.stage(quick).complete(null);

        Wait.until("the stuck event is given up", () -> queue.status().timedOut() == 1);
        assertThat(queue.failures()).singleElement().satisfies(f -> {
            assertThat(f.event()).isEqualTo(stuck);
            assertThat(f.timedOut()).isTrue();
            assertThat(f.message()).isEqualTo("did not complete the stage returned by handleAsync within 200 ms");
        });
        Wait.until("the event is done", () -> queue.status().depth() == 0);
        assertThat(queue.status().inFlight()).isZero();
        Wait.until("both events are acknowledged", () -> mark(journal, "a").equals("0/1"));
        handler.stage(stuck).complete(null); // too late: nothing changes
        assertThat(queue.status().depth()).isZero();
        queue.close();
        assertThat(open(Mode.JOURNAL, Duration.ofMinutes(1), journal).status().replayed()).isZero();
    }

    @Test
    void afterACrashTheEventsFromTheOldestUnfinishedOneOnAreDeliveredAgainAndNoOthers() throws Exception {
        Path live = dir.resolve("live");
        EventQueue before = open(Mode.JOURNAL, Duration.ofMinutes(1), live);
        Deferred handler = new Deferred();
        before.addHandler(handler, handlerProperties("t"));
        List<PluginEvent> a = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            a.add(before.emit("p", "a", "t", Map.of("n", i)));
        }
        PluginEvent b = before.emit("p", "b", "t", Map.of());
        Wait.until("all seven are accepted", () -> handler.stages.size() == 7);
        // every event finishes but a's third, in an order of their own
        for (int i : new int[] { 5, 1, 3, 0, 4 }) {
            handler.stage(a.get(i)).complete(null);
        }
        handler.stage(b).complete(null);
        Wait.until("a is acknowledged up to its second event and b fully",
                () -> mark(live, "a").equals("0/1") && mark(live, "b").equals("0/6"));
        Wait.until("only a's third event is pending", () -> before.status().depth() == 1);
        Path crashed = EventQueueTest.copy(live, dir.resolve("crashed"));

        EventQueue after = open(Mode.JOURNAL, Duration.ofMinutes(1), crashed);
        EventQueueTest.Recorder recorder = new EventQueueTest.Recorder();
        after.addHandler(recorder, handlerProperties("t"));

        Wait.until("the restarted queue is empty", () -> after.status().depth() == 0);
        assertThat(after.status().replayed()).isEqualTo(4);
        assertThat(recorder.events).as("a's unfinished event and the ones after it, in order, with their ids")
                .containsExactlyElementsOf(a.subList(2, 6));

        handler.stage(a.get(2)).complete(null);
        Wait.until("a is acknowledged to its last event", () -> mark(live, "a").equals("0/5"));
        assertThat(before.status().depth()).isZero();
        Path crashedLater = EventQueueTest.copy(live, dir.resolve("crashed-later"));
        assertThat(open(Mode.JOURNAL, Duration.ofMinutes(1), crashedLater).status().replayed()).isZero();
    }
}
