package io.grambot.core.internal.console;

import java.io.PrintWriter;
import java.util.List;
import java.util.function.Function;

import io.grambot.api.ConnectionTestResult;
import io.grambot.api.runtime.InstanceState;
import io.grambot.api.runtime.InstanceStatus;

/**
 * The instances section of the Grambot console page: each plugin instance with its state (and the reason), plugin,
 * bundle, the services it publishes and its last connection test, and buttons to test its connection, enable or
 * disable it and delete it (plain forms POSTing an {@code action} with the session's token). Everything shown is
 * escaped.
 */
public final class InstancesPage {

    private InstancesPage() {}

    /**
     * Writes the section.
     *
     * @param lastTest the last connection test of an instance, or {@code null}
     * @param services the simple names of the services an instance publishes
     * @param configuration the console's Configuration page address of a configuration PID
     * @param action where the forms post to (the plugin's address)
     * @param token the session's token for the forms
     */
    public static void render(PrintWriter out, List<InstanceStatus> instances,
            Function<String, ConnectionTestResult> lastTest, Function<String, List<String>> services,
            Function<String, String> configuration, String action, String token) {
        out.println("<h2 id=\"instances\" class=\"ui-widget-header\">Plugin instances</h2>");
        out.println("<table class=\"nicetable\" id=\"grambot-instances\"><thead><tr><th>Instance</th>"
                + "<th>Plugin</th><th>State</th><th>Bundle</th><th>Services</th><th>Last connection test</th>"
                + "<th>Actions</th></tr></thead><tbody>");
        if (instances.isEmpty()) {
            out.println("<tr><td colspan=\"7\">No plugin instances yet: create one below.</td></tr>");
        }
        for (InstanceStatus instance : instances) {
            String id = instance.instanceId();
            ConnectionTestResult last = lastTest.apply(id);
            String tested = last == null ? "not run since the start"
                    : (last.ok() ? "ok: " : "failed: ") + last.message();
            boolean enabled = instance.state() != InstanceState.DISABLED;
            out.println("<tr id=\"instance-" + Html.attribute(id) + "\" data-state=\"" + instance.state().name()
                    + "\"><td><a href=\"" + Html.attribute(configuration.apply(instance.pid())) + "\">"
                    + Html.text(id) + "</a></td><td>" + Html.text(instance.pluginId()) + "</td>"
                    + "<td class=\"grambot-state\"><span class=\"grambot-state-" + instance.state().name()
                    .toLowerCase(java.util.Locale.ROOT) + "\">" + instance.state().name() + "</span>"
                    + (instance.reason().isEmpty() ? "" : "<br/>" + Html.text(instance.reason())) + "</td><td>"
                    + Html.text(instance.bundle().isEmpty() ? "–" : instance.bundle()) + "</td><td>"
                    + Html.text(String.join(", ", services.apply(id))) + "</td>"
                    + "<td class=\"grambot-test-result\">" + Html.text(tested) + "</td><td class=\"grambot-actions\">"
                    + button(action, token, "test", id, "Test connection", null)
                    + button(action, token, enabled ? "disable" : "enable", id, enabled ? "Disable" : "Enable", null)
                    + button(action, token, "delete", id, "Delete",
                            "Delete this instance with its data directory and secrets?")
                    + "</td></tr>");
        }
        out.println("</tbody></table>");
    }

    /** A one-button form; {@code confirm} asks before it is sent (the web console's pages run scripts anyway). */
    static String button(String action, String token, String name, String instanceId, String label,
            String confirm) {
        return "<form method=\"post\" action=\"" + Html.attribute(action) + "\" class=\"grambot-inline\""
                + (confirm == null ? "" : " onsubmit=\"return confirm('" + Html.attribute(confirm) + "')\"") + ">"
                + Html.hidden("action", name) + Html.hidden(RequestGuard.TOKEN_PARAMETER, token)
                + Html.hidden("instance", instanceId)
                + "<button type=\"submit\" name=\"do\" value=\"" + Html.attribute(name)
                + "\" class=\"ui-button ui-state-default ui-corner-all\">" + Html.text(label) + "</button></form>";
    }
}
