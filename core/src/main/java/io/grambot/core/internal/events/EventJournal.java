package io.grambot.core.internal.events;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;

import org.osgi.service.log.Logger;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.grambot.api.PluginEvent;

/**
 * The durable side of the event queue: every accepted event is appended to a segment file before emit returns, so
 * it survives the death of the process (and, once forced at the configured interval, of the machine).
 *
 * <p>Files in the journal directory:
 * <ul>
 * <li>{@code segment-<n>.log}: a header ({@code GBEVJRN} and a format version byte), then records of a 4-byte
 * length, the 4-byte CRC32C of the body and the body, the event as JSON. A new segment is started at every start
 * and when the current one reaches the segment size; a segment is deleted once all its events are handled.</li>
 * <li>{@code acked.json}: for each instance, the position up to which all its events are fully handled (events
 * handled asynchronously may finish out of order; the position never passes an unfinished one). It is rewritten
 * lazily (a lost update means redelivery, never loss) and replaced by rename.</li>
 * </ul>
 * At start, a record that is cut short or fails its checksum ends the reading of its segment with a warning: it can
 * only be the record being written when the process died, since a segment is never appended to after a failure.
 */
final class EventJournal implements Closeable {

    static final String ACKED_FILE = "acked.json";
    static final int MAX_RECORD = 16 << 20;
    private static final byte[] MAGIC = "GBEVJRN\1".getBytes(StandardCharsets.ISO_8859_1);
    private static final int RECORD_HEADER = 8;
    private static final Pattern SEGMENT_NAME = Pattern.compile("segment-(\\d{1,18})\\.log");
    private static final long ACK_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    /** One segment file and how many of its events are done. */
    static final class Segment {
        final long seq;
        final Path path;
        /** Records appended; changes only under the journal lock while current, fixed once sealed. */
        int records;
        final AtomicInteger done = new AtomicInteger();
        /** Set under the journal lock when no more records will be appended. */
        volatile boolean sealed;

        Segment(long seq, Path path) {
            this.seq = seq;
            this.path = path;
        }

        boolean complete() {
            return sealed && done.get() >= records;
        }
    }

    /** A position in the journal. */
    record Mark(long segment, int record) {}

    /** The acknowledgement position of one instance. */
    static final class Cursor {
        private final Mark recovered;
        volatile QueuedEvent last;

        Cursor(Mark recovered) {
            this.recovered = recovered;
        }

        Mark mark() {
            QueuedEvent q = last;
            return q != null ? new Mark(q.segment().seq, q.record()) : recovered;
        }
    }

    /** An event serialised as one record, header included, ready to append. */
    static final class Frame extends ByteArrayOutputStream {
        Frame() {
            super(256);
            write(new byte[RECORD_HEADER], 0, RECORD_HEADER);
        }

        byte[] bytes() {
            return buf;
        }
    }

    private final Path dir;
    private volatile long segmentBytes;
    private volatile boolean forceEachAppend;
    private volatile long forceIntervalNanos;
    private final ObjectMapper mapper;
    private final Logger log;
    private final ConcurrentHashMap<String, Cursor> cursors = new ConcurrentHashMap<>();
    private final Object lock = new Object();
    private final List<QueuedEvent> recovered;
    private final Thread flusher;

    // guarded by lock
    private final List<Segment> segments = new ArrayList<>();
    private Segment current;
    private FileChannel channel;
    private long position;
    private long nextSeq;
    private boolean dirty;
    private long lastForce = System.nanoTime();
    private volatile boolean closed;

    // flusher (or close) only
    private Map<String, Mark> writtenMarks = Map.of();

    EventJournal(Path dir, EventQueueSettings settings, ObjectMapper mapper, Logger log) throws IOException {
        this.dir = dir;
        this.segmentBytes = settings.segmentBytes();
        this.forceEachAppend = settings.fsyncInterval().isZero();
        this.forceIntervalNanos = settings.fsyncInterval().toNanos();
        this.mapper = mapper;
        this.log = log;
        this.recovered = recover();
        synchronized (lock) {
            rotate();
        }
        this.flusher = new Thread(this::flushLoop, "grambot-events-journal");
        flusher.setDaemon(true);
        flusher.start();
    }

    /** Applies a new segment size and fsync interval to the running journal. */
    void reconfigure(EventQueueSettings settings) {
        segmentBytes = settings.segmentBytes();
        forceIntervalNanos = settings.fsyncInterval().toNanos();
        forceEachAppend = settings.fsyncInterval().isZero();
        LockSupport.unpark(flusher);
    }

    /** The events found unhandled at start, in journal order. */
    List<QueuedEvent> recovered() {
        return recovered;
    }

    Path directory() {
        return dir;
    }

    /** Serialises an event; fails if its payload cannot be written as JSON or is too large. */
    Frame encode(PluginEvent event) throws IOException {
        Frame frame = new Frame();
        try (JsonGenerator g = mapper.getFactory().createGenerator(frame)) {
            g.writeStartObject();
            g.writeStringField("id", event.id());
            g.writeStringField("pluginId", event.pluginId());
            g.writeStringField("instanceId", event.instanceId());
            g.writeStringField("type", event.type());
            g.writeNumberField("createdAt", event.createdAt().toEpochMilli());
            g.writeFieldName("payload");
            mapper.writeValue(g, event.payload());
            g.writeEndObject();
        }
        int length = frame.size() - RECORD_HEADER;
        if (length > MAX_RECORD) {
            throw new IOException("the event is " + length + " bytes as JSON; the journal takes at most " + MAX_RECORD);
        }
        CRC32C crc = new CRC32C();
        crc.update(frame.bytes(), RECORD_HEADER, length);
        ByteBuffer.wrap(frame.bytes()).putInt(0, length).putInt(4, (int) crc.getValue());
        return frame;
    }

    /**
     * Appends an encoded event and, still under the journal lock so that queue order is journal order, hands it to
     * {@code enqueue}. When this returns the bytes are with the operating system.
     */
    QueuedEvent append(PluginEvent event, Frame frame, Consumer<QueuedEvent> enqueue) throws IOException {
        Cursor cursor = cursor(event.instanceId(), null);
        synchronized (lock) {
            if (closed) {
                throw new IOException("the event journal in " + dir + " is closed");
            }
            if (channel == null || position + frame.size() > segmentBytes && current.records > 0) {
                rotate();
            }
            ByteBuffer buffer = ByteBuffer.wrap(frame.bytes(), 0, frame.size());
            try {
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                if (forceEachAppend) {
                    channel.force(false);
                }
            } catch (IOException e) {
                // a partly written record must stay the last one of its segment: start a new one next time
                seal();
                throw e;
            }
            position += frame.size();
            dirty = true;
            QueuedEvent queued = new QueuedEvent(event, false, current, current.records++, cursor);
            enqueue.accept(queued);
            return queued;
        }
    }

    /** Records that an event is fully handled, so that its segment can go once all its events are. */
    void finished(QueuedEvent event) {
        event.segment().done.incrementAndGet();
    }

    /**
     * Records that every event of an instance up to this one (in journal order) is fully handled; calls for one
     * instance come in journal order. Cheap: the acknowledgement is written later, by the flusher.
     */
    void acknowledge(QueuedEvent upTo) {
        upTo.cursor().last = upTo;
    }

    /** Forces what was appended, writes the acknowledgements, removes the segments whose events are all done. */
    void flush(boolean forceNow) {
        FileChannel toForce = null;
        List<Segment> live;
        long currentSeq;
        synchronized (lock) {
            long now = System.nanoTime();
            if (dirty && channel != null && (forceNow || now - lastForce >= forceIntervalNanos)) {
                toForce = channel;
                dirty = false;
                lastForce = now;
            }
            live = List.copyOf(segments);
            currentSeq = nextSeq - 1;
        }
        if (toForce != null) {
            try {
                toForce.force(false);
            } catch (ClosedChannelException e) {
                // rotated meanwhile; sealing forced it
            } catch (IOException e) {
                log.warn("cannot force the event journal segment in {} to disk: {}", dir, e.toString());
            }
        }
        writeMarks(live, currentSeq);
        for (Segment segment : live) {
            if (segment.complete()) {
                try {
                    Files.deleteIfExists(segment.path);
                    synchronized (lock) {
                        segments.remove(segment);
                    }
                } catch (IOException e) {
                    log.warn("cannot delete the handled event journal segment {}: {}", segment.path, e.toString());
                }
            }
        }
    }

    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            seal();
        }
        LockSupport.unpark(flusher);
        try {
            flusher.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        flush(true);
    }

    private Cursor cursor(String instanceId, Mark recovered) {
        Cursor cursor = cursors.get(instanceId);
        return cursor != null ? cursor : cursors.computeIfAbsent(instanceId, id -> new Cursor(recovered));
    }

    private void flushLoop() {
        while (!closed) {
            long tick = forceEachAppend ? ACK_INTERVAL_NANOS
                    : Math.max(Math.min(ACK_INTERVAL_NANOS, forceIntervalNanos), TimeUnit.MILLISECONDS.toNanos(1));
            LockSupport.parkNanos(this, tick);
            if (closed) {
                return;
            }
            try {
                flush(false);
            } catch (RuntimeException e) {
                log.error("the event journal flusher failed; it goes on: {}", e.toString(), e);
            }
        }
    }

    // under lock
    private void rotate() throws IOException {
        seal();
        long seq = nextSeq++;
        Path path = dir.resolve(String.format("segment-%016d.log", seq));
        FileChannel opened = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try {
            ByteBuffer header = ByteBuffer.wrap(MAGIC);
            while (header.hasRemaining()) {
                opened.write(header);
            }
        } catch (IOException e) {
            opened.close();
            Files.deleteIfExists(path);
            throw e;
        }
        Segment segment = new Segment(seq, path);
        segments.add(segment);
        current = segment;
        channel = opened;
        position = MAGIC.length;
    }

    // under lock: no more appends to the current segment
    private void seal() {
        if (channel != null) {
            try {
                channel.force(false);
            } catch (IOException e) {
                log.warn("cannot force the event journal segment {} to disk: {}", current.path, e.toString());
            }
            try {
                channel.close();
            } catch (IOException e) {
                log.warn("cannot close the event journal segment {}: {}", current.path, e.toString());
            }
            channel = null;
            dirty = false;
        }
        if (current != null) {
            current.sealed = true;
        }
    }

    private void writeMarks(List<Segment> live, long currentSeq) {
        long oldest = live.stream().mapToLong(s -> s.seq).min().orElse(currentSeq);
        Map<String, Mark> marks = new TreeMap<>();
        cursors.forEach((instance, cursor) -> {
            Mark mark = cursor.mark();
            // a mark before the oldest live segment says nothing about the events still on disk
            if (mark != null && mark.segment() >= oldest) {
                marks.put(instance, mark);
            }
        });
        if (marks.equals(writtenMarks)) {
            return;
        }
        ObjectNode root = mapper.createObjectNode();
        root.put("version", 1);
        root.put("segment", currentSeq);
        ObjectNode acked = root.putObject("acked");
        marks.forEach((instance, mark) -> acked.putArray(instance).add(mark.segment()).add(mark.record()));
        Path target = dir.resolve(ACKED_FILE);
        Path temp = dir.resolve(ACKED_FILE + ".tmp");
        try {
            // no fsync: losing this file only means that handled events are delivered again
            Files.write(temp, mapper.writeValueAsBytes(root));
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            writtenMarks = marks;
        } catch (IOException e) {
            log.warn("cannot write the event acknowledgements {}: {}; handled events may be delivered again after a"
                    + " restart", target, e.toString());
        }
    }

    private record Marks(long segment, Map<String, Mark> acked) {}

    private Marks readMarks() {
        Path file = dir.resolve(ACKED_FILE);
        if (!Files.exists(file)) {
            return new Marks(-1, Map.of());
        }
        try {
            JsonNode root = mapper.readTree(file.toFile());
            Map<String, Mark> acked = new HashMap<>();
            root.path("acked").fields().forEachRemaining(e -> acked.put(e.getKey(),
                    new Mark(e.getValue().path(0).asLong(), e.getValue().path(1).asInt())));
            return new Marks(root.path("segment").asLong(-1), acked);
        } catch (IOException | RuntimeException e) {
            log.warn("the event acknowledgements {} are unreadable ({}); every event still in the journal will be"
                    + " delivered again", file, e.getMessage());
            return new Marks(-1, Map.of());
        }
    }

    private List<QueuedEvent> recover() throws IOException {
        Files.createDirectories(dir);
        Marks marks = readMarks();
        marks.acked().forEach((instance, mark) -> cursors.put(instance, new Cursor(mark)));
        long maxSeq = marks.segment();
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, "segment-*.log")) {
            stream.forEach(files::add);
        }
        files.sort(Comparator.comparing(p -> p.getFileName().toString()));
        List<QueuedEvent> pending = new ArrayList<>();
        for (Path file : files) {
            Matcher m = SEGMENT_NAME.matcher(file.getFileName().toString());
            if (!m.matches()) {
                continue;
            }
            Segment segment = new Segment(Long.parseLong(m.group(1)), file);
            segment.sealed = true;
            maxSeq = Math.max(maxSeq, segment.seq);
            if (!read(segment, marks.acked(), pending)) {
                continue; // set aside
            }
            if (segment.complete()) {
                Files.deleteIfExists(file);
            } else {
                segments.add(segment);
            }
        }
        nextSeq = maxSeq + 1;
        if (!pending.isEmpty()) {
            log.info("event journal {}: {} events accepted before the last stop were not handled; delivering them"
                    + " again", dir, pending.size());
        }
        return pending;
    }

    /** Reads one segment into {@code pending}; {@code false} if the file is not a segment and was set aside. */
    private boolean read(Segment segment, Map<String, Mark> acked, List<QueuedEvent> pending) throws IOException {
        byte[] data = Files.readAllBytes(segment.path);
        if (data.length < MAGIC.length) {
            return true; // created just before the process died: holds no record
        }
        if (!java.util.Arrays.equals(data, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            Path aside = segment.path.resolveSibling(segment.path.getFileName() + ".unknown");
            log.warn("{} does not start with the event journal header; set aside as {} and not read",
                    segment.path, aside.getFileName());
            Files.move(segment.path, aside, StandardCopyOption.REPLACE_EXISTING);
            return false;
        }
        ByteBuffer buffer = ByteBuffer.wrap(data);
        int offset = MAGIC.length;
        CRC32C crc = new CRC32C();
        while (offset < data.length) {
            int length = data.length - offset >= RECORD_HEADER ? buffer.getInt(offset) : -1;
            if (length <= 0 || length > MAX_RECORD || length > data.length - offset - RECORD_HEADER) {
                tornTail(segment, offset, data.length, "cut short");
                return true;
            }
            crc.reset();
            crc.update(data, offset + RECORD_HEADER, length);
            if ((int) crc.getValue() != buffer.getInt(offset + 4)) {
                tornTail(segment, offset, data.length, "failing its checksum");
                return true;
            }
            int record = segment.records++;
            try {
                PluginEvent event = decode(data, offset + RECORD_HEADER, length);
                Mark mark = acked.get(event.instanceId());
                Cursor cursor = cursor(event.instanceId(), null);
                if (mark != null && (segment.seq < mark.segment()
                        || segment.seq == mark.segment() && record <= mark.record())) {
                    segment.done.incrementAndGet();
                } else {
                    pending.add(new QueuedEvent(event, true, segment, record, cursor));
                }
            } catch (IOException | RuntimeException e) {
                log.warn("record {} at offset {} of {} passes its checksum but is not an event ({}); skipped", record,
                        offset, segment.path, e.getMessage());
                segment.done.incrementAndGet();
            }
            offset += RECORD_HEADER + length;
        }
        return true;
    }

    private void tornTail(Segment segment, int offset, int size, String what) {
        // appends stop at a failed write, so this is the record being written when the process died
        log.warn("event journal segment {} ends with a record {} at offset {} ({} bytes ignored), most likely"
                + " written when the process died; the {} events before it are recovered", segment.path, what,
                offset, size - offset, segment.records);
    }

    private PluginEvent decode(byte[] data, int offset, int length) throws IOException {
        Map<String, Object> record = mapper.readValue(data, offset, length, MAP);
        Object payload = record.get("payload");
        @SuppressWarnings("unchecked")
        Map<String, Object> map = payload instanceof Map<?, ?> p ? (Map<String, Object>) p : Map.of();
        return new PluginEvent((String) record.get("id"), (String) record.get("pluginId"),
                (String) record.get("instanceId"), (String) record.get("type"), map,
                Instant.ofEpochMilli(((Number) record.get("createdAt")).longValue()));
    }
}
