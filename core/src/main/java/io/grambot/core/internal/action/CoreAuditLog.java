package io.grambot.core.internal.action;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.grambot.api.action.AuditLog;
import io.grambot.api.action.AuditRecord;
import io.grambot.core.internal.DataLayout;

/**
 * The audit log of action attempts: one JSON line per record in {@code <data>/audit/audit.jsonl}, redacted before
 * it is written (see {@link Redactor}), rotated by size, forced to disk every second. Writing never fails the
 * caller: a record that cannot be written is logged.
 */
@Designate(ocd = CoreAuditLog.Config.class)
@Component(configurationPid = CoreAuditLog.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL,
        service = { AuditLog.class, CoreAuditLog.class })
public final class CoreAuditLog implements AuditLog {

    static final String PID = "grambot.audit";

    @ObjectClassDefinition(name = "Grambot audit log", description = "Where action attempts are recorded: "
            + "<data>/audit/audit.jsonl, rotated to audit.1.jsonl … when it grows past the size.")
    public @interface Config {

        @AttributeDefinition(name = "File size (bytes)", min = "1024",
                description = "When audit.jsonl would grow past this, it becomes audit.1.jsonl and a new one starts.")
        long maxFileBytes() default 10L * 1024 * 1024;

        @AttributeDefinition(name = "Rotated files kept", min = "0", max = "1000",
                description = "How many older files (audit.1.jsonl …) are kept; the oldest beyond goes.")
        int keepFiles() default 5;
    }

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    private final ObjectMapper json = new ObjectMapper();
    private final AuditFiles files;
    private final Redactor redactor;
    private final Logger log;
    private final ScheduledExecutorService syncer;
    private volatile boolean failing;

    @Activate
    public CoreAuditLog(BundleContext context, Config config, @Reference Redactor redactor,
            @Reference(service = LoggerFactory.class) Logger log) throws IOException {
        this(DataLayout.of(context).auditDirectory(), config.maxFileBytes(), config.keepFiles(), redactor, log);
    }

    CoreAuditLog(Path directory, long maxFileBytes, int keepFiles, Redactor redactor, Logger log) throws IOException {
        this.files = new AuditFiles(directory, maxFileBytes, keepFiles);
        this.redactor = redactor;
        this.log = log;
        this.syncer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "grambot-audit-sync");
            thread.setDaemon(true);
            return thread;
        });
        syncer.scheduleWithFixedDelay(this::force, 1, 1, TimeUnit.SECONDS);
    }

    @Modified
    void modified(Config config) {
        files.limits(config.maxFileBytes(), config.keepFiles());
    }

    @Deactivate
    void close() {
        syncer.shutdownNow();
        try {
            files.close();
        } catch (IOException e) {
            log.error("the audit log could not be closed: {}", e.toString());
        }
    }

    /** Writes one record, its payload and error redacted; a failure is logged, never thrown. */
    public void append(AuditRecord record) {
        try {
            files.append(line(record));
            if (failing) {
                failing = false;
                log.info("the audit log is written again");
            }
        } catch (IOException | RuntimeException e) {
            if (!failing) {
                failing = true;
                log.error("an audit record (action '{}' of instance '{}', attempt {}) could not be written: {}",
                        record.action(), record.instanceId(), record.attempt(), e.toString());
            }
        }
    }

    @Override
    public List<AuditRecord> query(String instanceId, String action, Instant since, int limit) {
        List<AuditRecord> found = new ArrayList<>();
        if (limit <= 0) {
            return found;
        }
        try {
            files.newestFirst(line -> {
                AuditRecord record = parse(line);
                if (record != null && matches(record, instanceId, action, since)) {
                    found.add(record);
                }
                return found.size() < limit;
            });
        } catch (IOException e) {
            log.error("the audit log could not be read: {}", e.toString());
        }
        return found;
    }

    /** The files the log keeps, newest first. */
    List<Path> files() {
        return files.files();
    }

    private static boolean matches(AuditRecord record, String instanceId, String action, Instant since) {
        return (blank(instanceId) || instanceId.equals(record.instanceId()))
                && (blank(action) || action.equals(record.action()))
                && (since == null || record.time() != null && !record.time().isBefore(since));
    }

    private byte[] line(AuditRecord record) throws IOException {
        ObjectNode node = json.createObjectNode();
        node.put("time", String.valueOf(record.time()));
        node.put("invocationId", record.invocationId());
        node.put("invokedBy", redactor.text(record.invokedBy()));
        node.put("pluginId", record.pluginId());
        node.put("instanceId", record.instanceId());
        node.put("action", record.action());
        node.put("attempt", record.attempt());
        node.put("outcome", record.outcome());
        node.put("durationMillis", record.durationMillis());
        node.put("error", redactor.text(record.error()));
        node.set("payload", json.valueToTree(redactor.payload(record.payload())));
        byte[] bytes = json.writeValueAsBytes(node); // no raw newline: JSON escapes those inside strings
        byte[] line = new byte[bytes.length + 1];
        System.arraycopy(bytes, 0, line, 0, bytes.length);
        line[bytes.length] = '\n';
        return line;
    }

    // null for a line that is no record (torn by a crash and ended at the next start, or edited by hand)
    private AuditRecord parse(byte[] line) {
        try {
            JsonNode node = json.readTree(line);
            if (node == null || !node.isObject()) {
                return null;
            }
            Map<String, Object> payload = node.path("payload").isObject() ? json.convertValue(node.get("payload"), MAP)
                    : Map.of();
            return new AuditRecord(Instant.parse(node.path("time").asText()), text(node, "invocationId"),
                    text(node, "invokedBy"), text(node, "pluginId"), text(node, "instanceId"), text(node, "action"),
                    node.path("attempt").asInt(), text(node, "outcome"), node.path("durationMillis").asLong(),
                    text(node, "error"), payload);
        } catch (IOException | DateTimeParseException | IllegalArgumentException e) {
            log.debug("skipped an audit line that is no record: {}", e.getMessage());
            return null;
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? "" : value.asText();
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    private void force() {
        try {
            files.force();
        } catch (IOException e) {
            log.warn("the audit log could not be forced to disk: {}", e.toString());
        }
    }
}
