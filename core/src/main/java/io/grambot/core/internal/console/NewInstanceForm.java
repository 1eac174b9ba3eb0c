package io.grambot.core.internal.console;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

import io.grambot.api.runtime.PluginInfo;

/**
 * The "new instance" forms of the Grambot console page, one per installed plugin, generated from the plugin's
 * settings as JSON Schema ({@code PluginRuntime.settingsSchema}): a text, number or password input, a checkbox, a
 * list of options, or a text area (one value per line) per setting, with its title, description and default. A
 * secret ({@code "format": "password"}) is a password input that is never filled in. Each form is a plain POST of
 * {@code action=create} with the session's token; {@link #values} reads the settings back from it.
 */
public final class NewInstanceForm {

    /** Settings are posted as {@code s.<key>}, apart from the form's own fields. */
    public static final String SETTING_PREFIX = "s.";
    /** What an instance id may look like (the core's rule; checked again when the instance is created). */
    static final String ID_PATTERN = "[A-Za-z0-9][A-Za-z0-9._\\-]{0,127}";

    private NewInstanceForm() {}

    /**
     * Writes the section: one collapsed form per plugin.
     *
     * @param schemas a plugin's settings schema, or {@code null} when it declares none
     */
    public static void render(PrintWriter out, List<PluginInfo> plugins,
            Function<String, Map<String, Object>> schemas, String action, String token) {
        out.println("<h2 id=\"new-instance\" class=\"ui-widget-header\">New plugin instance</h2>");
        if (plugins.isEmpty()) {
            out.println("<p>No plugin is installed: drop a plugin jar into <code>deploy/</code>.</p>");
            return;
        }
        out.println("<p class=\"statline\">Each creates a factory configuration (also editable on the Configuration "
                + "page); secrets go to the secrets store, never into the configuration.</p>");
        for (PluginInfo plugin : plugins) {
            form(out, plugin, schemas.apply(plugin.id()), action, token);
        }
    }

    private static void form(PrintWriter out, PluginInfo plugin, Map<String, Object> schema, String action,
            String token) {
        String id = plugin.id();
        out.println("<details class=\"grambot-new\" id=\"new-" + Html.attribute(id) + "\"><summary>"
                + Html.text(plugin.name()) + " (<code>" + Html.text(id) + "</code>)"
                + (plugin.description().isEmpty() ? "" : " — " + Html.text(plugin.description())) + "</summary>");
        out.println("<form method=\"post\" action=\"" + Html.attribute(action) + "\" autocomplete=\"off\">"
                + Html.hidden("action", "create") + Html.hidden(RequestGuard.TOKEN_PARAMETER, token)
                + Html.hidden("plugin", id));
        out.println("<table class=\"nicetable\"><tbody>");
        String idField = fieldId(id, "instance");
        out.println("<tr><td><label for=\"" + idField + "\">Instance id</label></td><td><input type=\"text\" id=\""
                + idField + "\" name=\"instance\" required=\"required\" pattern=\"" + Html.attribute(ID_PATTERN)
                + "\" size=\"40\"/></td><td>Names the instance (its data directory, its configuration "
                + "<code>" + Html.text(plugin.factoryPid()) + "~&lt;id&gt;</code>); letters, digits, '.', '_', "
                + "'-'.</td></tr>");
        Map<String, Map<String, Object>> properties = properties(schema);
        List<String> required = strings(schema == null ? null : schema.get("required"));
        properties.forEach((key, property) -> out.println(row(id, key, property, required.contains(key))));
        out.println("</tbody></table>");
        out.println("<p><button type=\"submit\" class=\"ui-button ui-state-default ui-corner-all\">Create</button>"
                + "</p></form></details>");
    }

    private static String row(String pluginId, String key, Map<String, Object> property, boolean required) {
        String field = fieldId(pluginId, key);
        String name = SETTING_PREFIX + key;
        String title = string(property.getOrDefault("title", key));
        String description = string(property.get("description"));
        StringBuilder input = new StringBuilder();
        Object defaultValue = property.get("default");
        String requiredAttribute = required ? " required=\"required\"" : "";
        if ("array".equals(property.get("type"))) {
            List<String> defaults = strings(defaultValue);
            input.append("<textarea id=\"").append(field).append("\" name=\"").append(Html.attribute(name))
                    .append("\" rows=\"3\" cols=\"40\"").append(requiredAttribute).append(">")
                    .append(Html.text(String.join("\n", defaults))).append("</textarea>");
            description = (description.isEmpty() ? "" : description + " ") + "One value per line.";
        } else if (isSecret(property)) {
            input.append("<input type=\"password\" id=\"").append(field).append("\" name=\"")
                    .append(Html.attribute(name)).append("\" autocomplete=\"new-password\" size=\"40\"")
                    .append(requiredAttribute).append("/>");
            description = (description.isEmpty() ? "" : description + " ")
                    + "Secret: kept in the secrets store, never shown again.";
        } else if (property.get("oneOf") instanceof List<?> options) {
            input.append("<select id=\"").append(field).append("\" name=\"").append(Html.attribute(name)).append("\">");
            for (Object option : options) {
                if (option instanceof Map<?, ?> choice) {
                    String value = string(choice.get("const"));
                    input.append("<option value=\"").append(Html.attribute(value)).append("\"")
                            .append(Objects.equals(value, string(defaultValue)) ? " selected=\"selected\"" : "")
                            .append(">").append(Html.text(string(choice.containsKey("title") ? choice.get("title")
                                    : value))).append("</option>");
                }
            }
            input.append("</select>");
        } else if ("boolean".equals(property.get("type"))) {
            input.append("<input type=\"checkbox\" id=\"").append(field).append("\" name=\"")
                    .append(Html.attribute(name)).append("\" value=\"true\"")
                    .append(Boolean.TRUE.equals(defaultValue) ? " checked=\"checked\"" : "").append("/>");
        } else if ("integer".equals(property.get("type")) || "number".equals(property.get("type"))) {
            input.append("<input type=\"number\" id=\"").append(field).append("\" name=\"")
                    .append(Html.attribute(name)).append("\"")
                    .append("integer".equals(property.get("type")) ? " step=\"1\"" : " step=\"any\"")
                    .append(bound("min", property.get("minimum"))).append(bound("max", property.get("maximum")))
                    .append(defaultValue == null ? "" : " value=\"" + Html.attribute(string(defaultValue)) + "\"")
                    .append(requiredAttribute).append("/>");
        } else {
            input.append("<input type=\"text\" id=\"").append(field).append("\" name=\"").append(Html.attribute(name))
                    .append("\" size=\"40\"")
                    .append(defaultValue == null ? "" : " value=\"" + Html.attribute(string(defaultValue)) + "\"")
                    .append(requiredAttribute).append("/>");
        }
        return "<tr><td><label for=\"" + field + "\">" + Html.text(title) + "</label>" + (required ? " *" : "")
                + "</td><td>" + input + "</td><td>" + Html.text(description) + "</td></tr>";
    }

    /**
     * The settings a create form posted, as the core's validation takes them: text for single values, a list of
     * texts for a multi-valued one (its lines, blank ones left out), {@code "true"}/{@code "false"} for a checkbox
     * (not sent: unchecked). An empty field is left out, so that the declared default applies (a secret stays
     * unset), unless it is a text whose default is not empty: then the person cleared it, and it is kept empty.
     *
     * @param parameter a request parameter's value, or {@code null}
     */
    public static Map<String, Object> values(Map<String, Object> schema, Function<String, String> parameter) {
        Map<String, Object> values = new LinkedHashMap<>();
        properties(schema).forEach((key, property) -> {
            String posted = parameter.apply(SETTING_PREFIX + key);
            Object type = property.get("type");
            if ("array".equals(type)) {
                List<String> lines = new ArrayList<>();
                if (posted != null) {
                    posted.lines().map(String::strip).filter(line -> !line.isEmpty()).forEach(lines::add);
                }
                values.put(key, lines);
            } else if ("boolean".equals(type)) {
                values.put(key, posted == null ? "false" : posted.isBlank() ? "false" : posted.strip());
            } else if (posted == null || posted.isEmpty() && (isSecret(property) || !"string".equals(type)
                    || string(property.get("default")).isEmpty())) {
                // left out: the default applies (a text cleared of a non-empty default is kept, as empty)
            } else {
                values.put(key, "string".equals(type) && !isSecret(property) ? posted : posted.strip());
            }
        });
        return values;
    }

    private static boolean isSecret(Map<String, Object> property) {
        return "password".equals(property.get("format")) || Boolean.TRUE.equals(property.get("writeOnly"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> properties(Map<String, Object> schema) {
        Map<String, Map<String, Object>> properties = new LinkedHashMap<>();
        if (schema != null && schema.get("properties") instanceof Map<?, ?> declared) {
            declared.forEach((key, value) -> {
                if (value instanceof Map<?, ?> property) {
                    properties.put(String.valueOf(key), (Map<String, Object>) property);
                }
            });
        }
        return properties;
    }

    private static String bound(String attribute, Object value) {
        return value instanceof Number number ? " " + attribute + "=\"" + Html.attribute(number.toString()) + "\""
                : "";
    }

    /** An element id unique on the page, made of safe characters only. */
    private static String fieldId(String pluginId, String key) {
        return ("grambot-new-" + pluginId + "-" + key).replaceAll("[^A-Za-z0-9_-]", "_");
    }

    private static String string(Object value) {
        return value == null ? "" : String.valueOf(value);
    }

    private static List<String> strings(Object value) {
        List<String> values = new ArrayList<>();
        if (value instanceof Collection<?> collection) {
            collection.forEach(v -> values.add(String.valueOf(v)));
        } else if (value != null) {
            values.add(String.valueOf(value));
        }
        return values;
    }
}
