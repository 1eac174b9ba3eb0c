package io.grambot.core.internal.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.grambot.api.PluginEvent;
import io.grambot.core.internal.events.EventQueueSettings.Mode;
import io.grambot.core.internal.events.EventQueueSettings.Overflow;

class EventJournalTest {

    @TempDir
    Path dir;

    private final TestLog log = new TestLog();
    private final List<EventJournal> opened = new ArrayList<>();
    private int sequence;

    @AfterEach
    void close() {
        opened.forEach(EventJournal::close);
    }

    private EventJournal open(Path journal) throws IOException {
        EventJournal j = new EventJournal(journal, new EventQueueSettings(Mode.JOURNAL, 100, Overflow.BLOCK,
                Duration.ZERO, Duration.ofSeconds(1), Duration.ZERO, 1, Duration.ofSeconds(1), 4096),
                new ObjectMapper(), log.logger);
        opened.add(j);
        return j;
    }

    private QueuedEvent append(EventJournal journal, String instance) throws IOException {
        PluginEvent event = new PluginEvent("e" + ++sequence, "p", instance, "t", Map.of("n", sequence),
                Instant.ofEpochMilli(1_000 + sequence));
        return journal.append(event, journal.encode(event), q -> {});
    }

    /** What the queue does for an event handled in order: finished, and acknowledged up to it. */
    private static void done(EventJournal journal, QueuedEvent event) {
        journal.finished(event);
        journal.acknowledge(event);
    }

    private static List<String> ids(List<QueuedEvent> events) {
        return events.stream().map(e -> e.event().id()).toList();
    }

    private List<Path> segments(Path journal) throws IOException {
        try (Stream<Path> files = Files.list(journal)) {
            return files.filter(f -> f.getFileName().toString().matches("segment-\\d+\\.log")).sorted().toList();
        }
    }

    @Test
    void aCrashLeavesEveryAppendedEventToRecover() throws Exception {
        EventJournal live = open(dir.resolve("live"));
        for (int i = 0; i < 60; i++) {
            append(live, i % 2 == 0 ? "a" : "b");
        }
        assertThat(segments(dir.resolve("live"))).as("60 events fill more than one 4 KiB segment").hasSizeGreaterThan(1);

        EventJournal after = open(EventQueueTest.copy(dir.resolve("live"), dir.resolve("crashed")));

        assertThat(after.recovered()).hasSize(60).allSatisfy(e -> assertThat(e.replayed()).isTrue());
        assertThat(ids(after.recovered())).containsExactlyElementsOf(
                Stream.iterate(1, i -> i + 1).limit(60).map(i -> "e" + i).toList());
        PluginEvent first = after.recovered().get(0).event();
        assertThat(first).isEqualTo(new PluginEvent("e1", "p", "a", "t", Map.of("n", 1), Instant.ofEpochMilli(1001)));
        assertThat(log.warnings).isEmpty();
    }

    @Test
    void acknowledgedEventsAreNotRecovered() throws Exception {
        EventJournal live = open(dir.resolve("live"));
        List<QueuedEvent> a = new ArrayList<>();
        List<QueuedEvent> b = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            a.add(append(live, "a"));
            b.add(append(live, "b"));
        }
        a.subList(0, 3).forEach(q -> done(live, q));
        done(live, b.get(0));
        live.flush(false);

        EventJournal after = open(EventQueueTest.copy(dir.resolve("live"), dir.resolve("crashed")));

        assertThat(ids(after.recovered())).containsExactly("e4", "e6", "e7", "e8", "e9", "e10");
    }

    @Test
    void eventsFinishedOutOfOrderAreRecoveredUntilTheAcknowledgementPassesThem() throws Exception {
        EventJournal live = open(dir.resolve("live"));
        List<QueuedEvent> a = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            a.add(append(live, "a"));
        }
        // e2 is still in flight: the queue acknowledges e1 only, however many after it finished
        for (int i : new int[] { 4, 0, 2, 3 }) {
            live.finished(a.get(i));
        }
        live.acknowledge(a.get(0));
        live.flush(false);

        EventJournal crashed = open(EventQueueTest.copy(dir.resolve("live"), dir.resolve("crashed")));
        assertThat(ids(crashed.recovered())).as("exactly the unacknowledged events")
                .containsExactly("e2", "e3", "e4", "e5");

        live.finished(a.get(1));
        live.acknowledge(a.get(4));
        live.flush(false);
        EventJournal later = open(EventQueueTest.copy(dir.resolve("live"), dir.resolve("crashed-later")));
        assertThat(later.recovered()).isEmpty();
    }

    @Test
    void aTornTailRecordIsSkippedWithAWarning() throws Exception {
        EventJournal live = open(dir.resolve("live"));
        for (int i = 0; i < 3; i++) {
            append(live, "a");
        }
        Path crashed = EventQueueTest.copy(dir.resolve("live"), dir.resolve("crashed"));
        Path segment = segments(crashed).get(0);
        // the process died 10 bytes into a 200-byte record
        Files.write(segment, ByteBuffer.allocate(10).putInt(200).putInt(42).array(), StandardOpenOption.APPEND);

        EventJournal after = open(crashed);

        assertThat(ids(after.recovered())).containsExactly("e1", "e2", "e3");
        assertThat(log.warnings).singleElement().asString().contains(segment.toString())
                .contains("ends with a record cut short").contains("(10 bytes ignored)")
                .contains("the 3 events before it are recovered");
    }

    @Test
    void aRecordFailingItsChecksumEndsItsSegment() throws Exception {
        EventJournal live = open(dir.resolve("live"));
        for (int i = 0; i < 3; i++) {
            append(live, "a");
        }
        Path crashed = EventQueueTest.copy(dir.resolve("live"), dir.resolve("crashed"));
        Path segment = segments(crashed).get(0);
        byte[] bytes = Files.readAllBytes(segment);
        bytes[bytes.length - 3] ^= 0x20;
        Files.write(segment, bytes);

        EventJournal after = open(crashed);

        assertThat(ids(after.recovered())).containsExactly("e1", "e2");
        assertThat(log.warnings).singleElement().asString().contains("failing its checksum");
    }

    @Test
    void emptyAndForeignSegmentFilesDoNotStopTheStart() throws Exception {
        Path journal = Files.createDirectories(dir.resolve("journal"));
        Files.write(journal.resolve("segment-0000000000000007.log"), new byte[3]);
        Files.writeString(journal.resolve("segment-0000000000000008.log"), "not a journal");

        EventJournal j = open(journal);

        assertThat(j.recovered()).isEmpty();
        assertThat(journal.resolve("segment-0000000000000007.log")).doesNotExist();
        assertThat(journal.resolve("segment-0000000000000008.log.unknown")).exists();
        assertThat(segments(journal)).extracting(p -> p.getFileName().toString())
                .containsExactly("segment-0000000000000009.log");
        assertThat(log.warnings).singleElement().asString().contains("does not start with the event journal header");
    }

    @Test
    void segmentNumbersAreNeverReusedEvenWhenAllSegmentsWereDeleted() throws Exception {
        Path journal = dir.resolve("journal");
        EventJournal first = open(journal);
        done(first, append(first, "a"));
        first.close();
        assertThat(segments(journal)).isEmpty();
        assertThat(Files.readString(journal.resolve(EventJournal.ACKED_FILE))).contains("\"segment\":0");

        EventJournal second = open(journal);
        QueuedEvent event = append(second, "a");
        second.close();
        EventJournal third = open(journal);

        assertThat(event.segment().seq).isEqualTo(1);
        assertThat(ids(third.recovered())).as("not taken for the acknowledged event of segment 0").containsExactly(
                event.event().id());
    }

    @Test
    void unreadableAcknowledgementsMeanRedeliveryNotLoss() throws Exception {
        EventJournal live = open(dir.resolve("live"));
        done(live, append(live, "a"));
        append(live, "a");
        live.flush(false);
        Path crashed = EventQueueTest.copy(dir.resolve("live"), dir.resolve("crashed"));
        Files.writeString(crashed.resolve(EventJournal.ACKED_FILE), "{\"acked\": {\"a\": [0,");

        EventJournal after = open(crashed);

        assertThat(ids(after.recovered())).containsExactly("e1", "e2");
        assertThat(log.warnings).singleElement().asString().contains("are unreadable");
    }
}
