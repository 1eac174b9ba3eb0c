package io.grambot.core.internal.console;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.grambot.api.PluginEvent;
import io.grambot.api.runtime.EventFailure;
import io.grambot.api.runtime.EventQueueStatus;

/**
 * The event queue section of the Grambot console page: depth against capacity, counters, throughput over the
 * recent events, the recent events (newest first; payloads redacted and cut short) and the recent handler failures.
 * Everything shown is escaped.
 */
public final class EventsPage {

    /** How much of a payload's JSON is shown. */
    static final int PAYLOAD_CHARS = 200;
    /** The window throughput is measured over, when the recent events reach back that far. */
    static final Duration RATE_WINDOW = Duration.ofMinutes(1);

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS 'UTC'")
            .withZone(ZoneOffset.UTC);
    private static final ObjectMapper JSON = new ObjectMapper();

    private EventsPage() {}

    /**
     * Writes the section.
     *
     * @param recent the most recent events, oldest first (as the queue gives them)
     * @param failures the most recent failures, oldest first
     * @param redact makes a payload safe to show (secret-looking keys and secret values masked)
     * @param redactText makes a text safe to show (secret values masked)
     * @param now the time throughput is measured up to
     */
    public static void render(PrintWriter out, EventQueueStatus status, List<PluginEvent> recent,
            List<EventFailure> failures, UnaryOperator<Map<String, Object>> redact, UnaryOperator<String> redactText,
            Instant now) {
        out.println("<h2 id=\"events\" class=\"ui-widget-header\">Event queue</h2>");
        double share = status.capacity() <= 0 ? 0 : 100.0 * status.depth() / status.capacity();
        out.println("<p class=\"statline\" id=\"grambot-queue\">Depth <b>" + status.depth() + "</b> of "
                + status.capacity() + " (" + String.format(Locale.ROOT, "%.1f", share) + " %; " + status.inFlight()
                + " in flight), " + (status.journaled() ? "journaled" : "in memory only") + ", " + status.handlers()
                + " handlers. Throughput: " + Html.text(throughput(recent, now)) + ".</p>");
        out.println("<table class=\"nicetable\" id=\"grambot-queue-counters\"><thead><tr><th>Accepted</th>"
                + "<th>Replayed</th><th>Delivered</th><th>Unhandled</th><th>Refused (full)</th><th>Handler failures"
                + "</th><th>Timed out</th><th>Stuck calls</th></tr></thead><tbody><tr><td>" + status.accepted()
                + "</td><td>" + status.replayed() + "</td><td>" + status.delivered() + "</td><td>" + status.unhandled()
                + "</td><td>" + status.rejected() + "</td><td>" + status.failed() + "</td><td>" + status.timedOut()
                + "</td><td>" + status.stuckCalls() + "</td></tr></tbody></table>");

        out.println("<h3>Recent events</h3>");
        out.println("<table class=\"nicetable\" id=\"grambot-events\"><thead><tr><th>Time</th><th>Type</th>"
                + "<th>Instance</th><th>Plugin</th><th>Event id</th><th>Payload</th></tr></thead><tbody>");
        if (recent.isEmpty()) {
            out.println("<tr><td colspan=\"6\">No events since the start.</td></tr>");
        }
        List<PluginEvent> newestFirst = new ArrayList<>(recent);
        Collections.reverse(newestFirst);
        for (PluginEvent event : newestFirst) {
            out.println("<tr><td>" + Html.text(TIME.format(event.createdAt())) + "</td><td>" + Html.text(event.type())
                    + "</td><td>" + Html.text(event.instanceId()) + "</td><td>" + Html.text(event.pluginId())
                    + "</td><td><code>" + Html.text(event.id()) + "</code></td><td><code>"
                    + Html.text(payload(redact.apply(event.payload()))) + "</code></td></tr>");
        }
        out.println("</tbody></table>");

        out.println("<h3>Failed events</h3>");
        out.println("<table class=\"nicetable\" id=\"grambot-event-failures\"><thead><tr><th>Time</th><th>Type</th>"
                + "<th>Instance</th><th>Handler</th><th>Failure</th></tr></thead><tbody>");
        if (failures.isEmpty()) {
            out.println("<tr><td colspan=\"5\">No handler failed or timed out since the start.</td></tr>");
        }
        List<EventFailure> failuresNewestFirst = new ArrayList<>(failures);
        Collections.reverse(failuresNewestFirst);
        for (EventFailure failure : failuresNewestFirst) {
            out.println("<tr><td>" + Html.text(TIME.format(failure.at())) + "</td><td>"
                    + Html.text(failure.event().type()) + "</td><td>" + Html.text(failure.event().instanceId())
                    + "</td><td>" + Html.text(failure.handler()) + "</td><td>"
                    + (failure.timedOut() ? "timed out: " : "") + Html.text(cut(redactText.apply(failure.message()), 500))
                    + "</td></tr>");
        }
        out.println("</tbody></table>");
    }

    /**
     * Events per second: over the last minute when the recent events reach back that far, else over the span of
     * the recent events.
     */
    static String throughput(List<PluginEvent> recent, Instant now) {
        if (recent.isEmpty()) {
            return "no recent events";
        }
        Instant windowStart = now.minus(RATE_WINDOW);
        Instant oldest = recent.get(0).createdAt();
        if (!oldest.isAfter(windowStart)) {
            long inWindow = recent.stream().filter(e -> e.createdAt().isAfter(windowStart)).count();
            return String.format(Locale.ROOT, "%.2f events/s over the last minute (%d events)",
                    inWindow / (double) RATE_WINDOW.toSeconds(), inWindow);
        }
        Duration span = Duration.between(oldest, now);
        double seconds = Math.max(span.toMillis(), 1) / 1000.0;
        return String.format(Locale.ROOT, "%.2f events/s over the last %d events (%.1f s)", recent.size() / seconds,
                recent.size(), seconds);
    }

    static String payload(Map<String, Object> payload) {
        String json;
        try {
            json = JSON.writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            json = String.valueOf(payload);
        }
        return cut(json, PAYLOAD_CHARS);
    }

    private static String cut(String text, int chars) {
        return text.length() <= chars ? text : text.substring(0, chars) + "…";
    }
}
