package io.grambot.core.internal.action;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.service.log.Logger;

import io.grambot.api.action.AuditRecord;

/** The audit log's files: rotation, a torn last line, queries newest first with filters, and redaction. */
class CoreAuditLogTest {

    private static final Instant T0 = Instant.parse("2026-02-01T12:00:00Z");

    @TempDir
    Path dir;

    @TempDir
    Path scratch;

    private final Set<String> secrets = new HashSet<>();
    private final Logger log = (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(),
            new Class<?>[] { Logger.class }, (proxy, method, args) -> method.getReturnType() == boolean.class ? false
                    : null);
    private final List<CoreAuditLog> opened = new ArrayList<>();

    @AfterEach
    void close() {
        opened.forEach(CoreAuditLog::close);
    }

    private CoreAuditLog open(long maxFileBytes, int keepFiles) throws Exception {
        CoreAuditLog audit = new CoreAuditLog(dir, maxFileBytes, keepFiles, new Redactor(() -> secrets), log);
        opened.add(audit);
        return audit;
    }

    private static AuditRecord record(int n, String instance, String action, String outcome) {
        return new AuditRecord(T0.plusSeconds(n), "inv-" + n, "shell", "webhooks", instance, action, 1, outcome, n,
                "", Map.of("n", n));
    }

    @Test
    void recordsAreOneJsonLineEachInAnOwnerOnlyFile() throws Exception {
        CoreAuditLog audit = open(1 << 20, 5);

        audit.append(record(1, "hooks", "send", "succeeded"));
        audit.append(new AuditRecord(T0, "inv-2", "bot:helper", "webhooks", "hooks", "send", 2, "failed", 15,
                "line one\nline two", Map.of("text", "a\nb")));

        List<String> lines = Files.readAllLines(dir.resolve("audit.jsonl"));
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).isEqualTo("{\"time\":\"2026-02-01T12:00:01Z\",\"invocationId\":\"inv-1\","
                + "\"invokedBy\":\"shell\",\"pluginId\":\"webhooks\",\"instanceId\":\"hooks\",\"action\":\"send\","
                + "\"attempt\":1,\"outcome\":\"succeeded\",\"durationMillis\":1,\"error\":\"\",\"payload\":{\"n\":1}}");
        assertThat(lines.get(1)).contains("\"error\":\"line one\\nline two\"");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("audit.jsonl"))))
                .isEqualTo("rw-------");
        AuditRecord read = audit.query(null, null, null, 1).get(0);
        assertThat(read).isEqualTo(new AuditRecord(T0, "inv-2", "bot:helper", "webhooks", "hooks", "send", 2,
                "failed", 15, "line one\nline two", Map.of("text", "a\nb")));
    }

    @Test
    void theFileIsRotatedBySizeKeepingTheNewestFilesAndQueriesReadAcrossThemNewestFirst() throws Exception {
        CoreAuditLog audit = open(1024, 2);
        int lineBytes = lineBytes(record(10, "hooks", "send", "succeeded"));
        for (int n = 10; n < 70; n++) {
            audit.append(record(n, "hooks", "send", "succeeded"));
        }

        assertThat(dir.resolve("audit.jsonl")).exists();
        assertThat(dir.resolve("audit.1.jsonl")).exists();
        assertThat(dir.resolve("audit.2.jsonl")).exists();
        assertThat(dir.resolve("audit.3.jsonl")).doesNotExist();
        for (Path file : List.of(dir.resolve("audit.jsonl"), dir.resolve("audit.1.jsonl"),
                dir.resolve("audit.2.jsonl"))) {
            assertThat(Files.size(file)).isLessThanOrEqualTo(1024);
        }
        int perFile = 1024 / lineBytes;
        assertThat(Files.readAllLines(dir.resolve("audit.1.jsonl"))).hasSize(perFile);
        int kept = Files.readAllLines(dir.resolve("audit.jsonl")).size() + 2 * perFile;

        List<AuditRecord> all = audit.query(null, null, null, 1000);
        assertThat(all).hasSize(kept);
        assertThat(all).extracting(AuditRecord::invocationId).first().isEqualTo("inv-69");
        assertThat(all).extracting(r -> ((Number) r.payload().get("n")).intValue())
                .isSortedAccordingTo((a, b) -> Integer.compare(b, a)).endsWith(70 - kept);
    }

    @Test
    void aTornLastLineIsSkippedOnReadAndTheNextRecordStartsOnAFreshLine() throws Exception {
        CoreAuditLog audit = open(1 << 20, 5);
        audit.append(record(1, "hooks", "send", "succeeded"));
        audit.append(record(2, "hooks", "send", "succeeded"));
        audit.close();
        opened.clear();
        // a crash in the middle of the third line
        Files.write(dir.resolve("audit.jsonl"), "{\"time\":\"2026-02-01T12:00:03Z\",\"invoca".getBytes(
                StandardCharsets.UTF_8), StandardOpenOption.APPEND);

        CoreAuditLog reopened = open(1 << 20, 5);
        assertThat(reopened.query(null, null, null, 10)).extracting(AuditRecord::invocationId)
                .containsExactly("inv-2", "inv-1");
        reopened.append(record(4, "hooks", "send", "succeeded"));

        assertThat(reopened.query(null, null, null, 10)).extracting(AuditRecord::invocationId)
                .containsExactly("inv-4", "inv-2", "inv-1");
        assertThat(Files.readAllLines(dir.resolve("audit.jsonl"))).hasSize(4).element(2).asString()
                .endsWith("\"invoca");
    }

    @Test
    void queriesFilterByInstanceActionAndTimeAndStopAtTheLimit() throws Exception {
        CoreAuditLog audit = open(1 << 20, 5);
        audit.append(record(1, "hooks", "send", "succeeded"));
        audit.append(record(2, "hooks", "fetch", "failed"));
        audit.append(record(3, "mail", "send", "succeeded"));
        audit.append(record(4, "hooks", "send", "retrying"));
        audit.append(record(5, "hooks", "send", "succeeded"));

        assertThat(ids(audit.query("hooks", null, null, 10))).containsExactly("inv-5", "inv-4", "inv-2", "inv-1");
        assertThat(ids(audit.query("hooks", "send", null, 10))).containsExactly("inv-5", "inv-4", "inv-1");
        assertThat(ids(audit.query(null, "send", null, 10))).containsExactly("inv-5", "inv-4", "inv-3", "inv-1");
        assertThat(ids(audit.query(null, null, T0.plusSeconds(3), 10))).containsExactly("inv-5", "inv-4", "inv-3");
        assertThat(ids(audit.query("", " ", null, 2))).containsExactly("inv-5", "inv-4");
        assertThat(audit.query(null, null, null, 0)).isEmpty();
        assertThat(audit.query("nobody", null, null, 10)).isEmpty();
    }

    @Test
    void secretsInThePayloadAndTheErrorNeverReachTheFileNorAQuery() throws Exception {
        secrets.add("hunter2-secret-value");
        CoreAuditLog audit = open(1 << 20, 5);

        audit.append(new AuditRecord(T0, "inv-1", "shell", "webhooks", "hooks", "send", 1, "failed", 3,
                "401 for key hunter2-secret-value", Map.of("text", "my key is hunter2-secret-value, keep it",
                        "nested", Map.of("list", List.of("ok", "hunter2-secret-value")), "password", "pw-typed-in",
                        "x-api-key", "abc", "count", 3)));

        byte[] file = Files.readAllBytes(dir.resolve("audit.jsonl"));
        String content = new String(file, StandardCharsets.UTF_8);
        assertThat(content).doesNotContain("hunter2-secret-value", "pw-typed-in", "\"abc\"");
        AuditRecord read = audit.query(null, null, null, 1).get(0);
        assertThat(read.error()).isEqualTo("401 for key ********");
        assertThat(read.payload()).isEqualTo(Map.of("text", "********", "nested", Map.of("list", List.of("ok",
                "********")), "password", "********", "x-api-key", "********", "count", 3));
    }

    @Test
    void loweringKeepFilesDropsTheOldestFilesAtTheNextRotation() throws Exception {
        CoreAuditLog audit = open(1024, 3);
        for (int n = 10; n < 80; n++) {
            audit.append(record(n, "hooks", "send", "succeeded"));
        }
        assertThat(dir.resolve("audit.3.jsonl")).exists();

        audit.modified(config(1024, 1));
        for (int n = 80; n < 90; n++) {
            audit.append(record(n, "hooks", "send", "succeeded"));
        }

        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted()).containsExactly("audit.1.jsonl",
                    "audit.jsonl");
        }
    }

    private static CoreAuditLog.Config config(long maxFileBytes, int keepFiles) {
        return (CoreAuditLog.Config) Proxy.newProxyInstance(CoreAuditLog.Config.class.getClassLoader(),
                new Class<?>[] { CoreAuditLog.Config.class }, (proxy, method, args) -> switch (method.getName()) {
                case "maxFileBytes" -> maxFileBytes;
                case "keepFiles" -> keepFiles;
                default -> null;
                });
    }

    private static List<String> ids(List<AuditRecord> records) {
        return records.stream().map(AuditRecord::invocationId).toList();
    }

    // the size of one such record's line, to know how many fit in a file
    private int lineBytes(AuditRecord record) throws Exception {
        CoreAuditLog audit = new CoreAuditLog(scratch, 1 << 20, 1, new Redactor(Set::of), (Logger) Proxy
                .newProxyInstance(Logger.class.getClassLoader(), new Class<?>[] { Logger.class }, (p, m, a) -> null));
        try {
            audit.append(record);
            return (int) Files.size(scratch.resolve("audit.jsonl"));
        } finally {
            audit.close();
        }
    }
}
