package io.grambot.core.internal.console;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

import io.grambot.core.internal.health.HealthResult;
import io.grambot.core.internal.health.HealthResult.Finding;

/**
 * The health summary at the top of the Grambot console page: each of Grambot's checks with its status and what it
 * found, and a link to the Felix Health Check page when that is installed. Everything shown is escaped.
 */
public final class HealthPage {

    private HealthPage() {}

    /**
     * Writes the section.
     *
     * @param felixPage the address of the web console's Health Check page, or {@code null} when it is not installed
     */
    public static void render(PrintWriter out, List<HealthResult> results, String felixPage) {
        HealthResult.Status overall = results.stream().map(HealthResult::status).max(Enum::compareTo)
                .orElse(HealthResult.Status.OK);
        out.println("<h2 id=\"health\" class=\"ui-widget-header\">Health</h2>");
        out.println("<p class=\"statline\" id=\"grambot-health-overall\" data-status=\"" + overall.name()
                + "\">Overall: <b class=\"" + css(overall) + "\">" + overall.name() + "</b>. "
                + (felixPage == null ? "The same checks run as Felix Health Checks (tag <code>grambot</code>) when "
                        + "the Felix Health Check bundles are installed."
                        : "These run as Felix Health Checks too (tag <code>grambot</code>), beside the others, on the "
                                + "<a href=\"" + Html.attribute(felixPage) + "\">Health Check</a> page.")
                + "</p>");
        out.println("<table class=\"nicetable\" id=\"grambot-health\"><thead><tr><th>Check</th><th>Status</th>"
                + "<th>Findings</th></tr></thead><tbody>");
        for (HealthResult result : results) {
            StringBuilder findings = new StringBuilder("<ul class=\"grambot-findings\">");
            for (Finding finding : result.findings()) {
                findings.append("<li class=\"").append(css(finding.status())).append("\">")
                        .append(finding.status() == HealthResult.Status.OK ? "" : finding.status().name() + ": ")
                        .append(Html.text(finding.message())).append("</li>");
            }
            findings.append("</ul>");
            out.println("<tr data-check=\"" + Html.attribute(result.name()) + "\" data-status=\""
                    + result.status().name() + "\"><td>" + Html.text(result.name()) + "</td><td class=\""
                    + css(result.status()) + "\">" + result.status().name() + "</td><td>" + findings + "</td></tr>");
        }
        out.println("</tbody></table>");
    }

    private static String css(HealthResult.Status status) {
        return "grambot-health-" + status.name().toLowerCase(Locale.ROOT);
    }
}
