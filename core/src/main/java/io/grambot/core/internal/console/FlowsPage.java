package io.grambot.core.internal.console;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.function.Function;

import io.grambot.api.flow.FlowInfo;
import io.grambot.api.flow.FlowRun;

/**
 * The flows section of the Grambot console page: each flow with its state, what starts it and its last run (kept
 * in memory, so this costs no file reads). Everything shown is escaped.
 */
public final class FlowsPage {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private FlowsPage() {}

    /**
     * Writes the section.
     *
     * @param flows the flows, or {@code null} when the flow engine is not running
     * @param lastRun a flow's newest run, or {@code null}
     */
    public static void render(PrintWriter out, List<FlowInfo> flows, Function<String, FlowRun> lastRun) {
        out.println("<h2 id=\"flows\" class=\"ui-widget-header\">Flows</h2>");
        if (flows == null) {
            out.println("<p>The flow engine is not running.</p>");
            return;
        }
        out.println("<table class=\"nicetable\" id=\"grambot-flows\"><thead><tr><th>Flow</th><th>State</th>"
                + "<th>Started by</th><th>Last run</th></tr></thead><tbody>");
        if (flows.isEmpty()) {
            out.println("<tr><td colspan=\"4\">No flows: a flow is a <code>grambot.flow</code> configuration "
                    + "(see the README's Flows section); <code>grambot:flows</code> and <code>grambot:runs</code> in "
                    + "the shell show more.</td></tr>");
        }
        for (FlowInfo flow : flows) {
            String state = (flow.enabled() ? "enabled" : "disabled")
                    + (flow.valid() ? "" : "; invalid: " + String.join("; ", flow.problems()));
            FlowRun run = lastRun.apply(flow.flowId());
            String last = run == null ? "none kept" : run.status() + " " + TIME.format(run.startedAt())
                    + (run.endedAt() == null ? "" : " (" + Duration.between(run.startedAt(), run.endedAt()).toMillis()
                            + " ms, " + run.steps().size() + " steps)")
                    + (run.error().isEmpty() ? "" : ": " + run.error());
            out.println("<tr><td>" + Html.text(flow.flowId()) + "</td><td>" + Html.text(state) + "</td><td>"
                    + Html.text(flow.trigger()) + "</td><td>" + Html.text(last) + "</td></tr>");
        }
        out.println("</tbody></table>");
    }
}
