package io.grambot.core.internal.console;

import java.io.PrintWriter;
import java.util.List;
import java.util.function.Function;

import io.grambot.api.ConnectionTestResult;
import io.grambot.api.runtime.InstanceStatus;

/**
 * The instances section of the Grambot console page: each plugin instance with its state and last connection test,
 * and a Test connection button (a plain form POSTing {@code action=test} with the session's token). Everything shown
 * is escaped.
 */
public final class InstancesPage {

    private InstancesPage() {}

    /**
     * Writes the section.
     *
     * @param lastTest the last connection test of an instance, or {@code null}
     * @param action where the forms post to (the plugin's address)
     * @param token the session's token for the forms
     */
    public static void render(PrintWriter out, List<InstanceStatus> instances,
            Function<String, ConnectionTestResult> lastTest, String action, String token) {
        out.println("<h2 id=\"instances\" class=\"ui-widget-header\">Plugin instances</h2>");
        out.println("<table class=\"nicetable\" id=\"grambot-instances\"><thead><tr><th>Instance</th>"
                + "<th>Plugin</th><th>State</th><th>Last connection test</th><th></th></tr></thead><tbody>");
        if (instances.isEmpty()) {
            out.println("<tr><td colspan=\"5\">No plugin instances yet.</td></tr>");
        }
        for (InstanceStatus instance : instances) {
            ConnectionTestResult last = lastTest.apply(instance.instanceId());
            String state = instance.state().name().toLowerCase(java.util.Locale.ROOT)
                    + (instance.reason().isEmpty() ? "" : ": " + instance.reason());
            String tested = last == null ? "not run since the start"
                    : (last.ok() ? "ok: " : "failed: ") + last.message();
            out.println("<tr><td>" + Html.text(instance.instanceId()) + "</td><td>" + Html.text(instance.pluginId())
                    + "</td><td>" + Html.text(state) + "</td><td class=\"grambot-test-result\">" + Html.text(tested)
                    + "</td><td><form method=\"post\" action=\"" + Html.attribute(action) + "\">"
                    + Html.hidden("action", "test") + Html.hidden(RequestGuard.TOKEN_PARAMETER, token)
                    + Html.hidden("instance", instance.instanceId())
                    + "<button type=\"submit\" class=\"ui-button ui-state-default ui-corner-all\">Test connection"
                    + "</button></form></td></tr>");
        }
        out.println("</tbody></table>");
    }
}
