package io.grambot.core.internal.console;

import java.io.PrintWriter;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.grambot.api.action.AuditRecord;

/**
 * The audit log section of the Grambot console page: the newest action attempts, one row each, with the payload as
 * the audit log keeps it (redacted) cut short. Everything shown is escaped.
 */
public final class AuditPage {

    /** How many records the page shows. */
    public static final int RECORDS = 100;
    static final int PAYLOAD_CHARS = 200;

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS 'UTC'")
            .withZone(ZoneOffset.UTC);
    private static final ObjectMapper JSON = new ObjectMapper();

    private AuditPage() {}

    /** Writes the section with these records, newest first. */
    public static void render(PrintWriter out, List<AuditRecord> records) {
        out.println("<h2 id=\"audit\" class=\"ui-widget-header\">Audit log</h2>");
        out.println("<p class=\"statline\">The newest " + RECORDS + " action attempts; all of them are in "
                + "<code>audit/audit.jsonl</code> of the data directory and in the shell: "
                + "<code>grambot:audit</code>.</p>");
        out.println("<table class=\"nicetable\" id=\"grambot-audit\"><thead><tr><th>Time</th><th>Invoked by</th>"
                + "<th>Instance</th><th>Action</th><th>Attempt</th><th>Outcome</th><th>Duration</th><th>Error</th>"
                + "<th>Payload</th></tr></thead><tbody>");
        if (records.isEmpty()) {
            out.println("<tr><td colspan=\"9\">No action has been invoked yet.</td></tr>");
        }
        for (AuditRecord record : records) {
            out.println("<tr><td>" + Html.text(record.time() == null ? "" : TIME.format(record.time())) + "</td><td>"
                    + Html.text(record.invokedBy()) + "</td><td>" + Html.text(record.instanceId()) + "</td><td>"
                    + Html.text(record.action()) + "</td><td>" + record.attempt() + "</td><td>"
                    + Html.text(record.outcome()) + "</td><td>" + record.durationMillis() + " ms</td><td>"
                    + Html.text(record.error()) + "</td><td><code>" + Html.text(payload(record)) + "</code></td></tr>");
        }
        out.println("</tbody></table>");
    }

    private static String payload(AuditRecord record) {
        String json;
        try {
            json = JSON.writeValueAsString(record.payload());
        } catch (JsonProcessingException e) {
            json = String.valueOf(record.payload());
        }
        return json.length() <= PAYLOAD_CHARS ? json : json.substring(0, PAYLOAD_CHARS) + "…";
    }
}
