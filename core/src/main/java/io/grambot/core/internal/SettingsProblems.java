package io.grambot.core.internal;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.path.NodePath;

/**
 * Turns a JSON Schema validator's errors into sentences a user can act on, such as
 * {@code instance 'bot1' of plugin 'telegram': setting 'pollTimeout' must be at most 50 (was 90)}. The sentences
 * come from the declared settings, not from the validator's own messages, and never quote a secret's value.
 */
final class SettingsProblems {

    private static final int LONGEST_QUOTE = 80;

    private static final Map<String, String> FORMAT_NOUNS = Map.ofEntries(
            Map.entry("uri", "an absolute URI such as https://example.org/path"),
            Map.entry("uri-reference", "a URI or a relative reference"),
            Map.entry("iri", "an absolute IRI"),
            Map.entry("iri-reference", "an IRI or a relative reference"),
            Map.entry("uri-template", "a URI template"),
            Map.entry("email", "an e-mail address"),
            Map.entry("idn-email", "an e-mail address"),
            Map.entry("hostname", "a host name"),
            Map.entry("idn-hostname", "a host name"),
            Map.entry("ipv4", "an IPv4 address"),
            Map.entry("ipv6", "an IPv6 address"),
            Map.entry("date", "a date such as 2024-05-31"),
            Map.entry("time", "a time with offset such as 10:15:00Z"),
            Map.entry("date-time", "a date and time such as 2024-05-31T10:15:00Z"),
            Map.entry("duration", "an ISO 8601 duration such as PT30S"),
            Map.entry("uuid", "a UUID"),
            Map.entry("regex", "a regular expression"),
            Map.entry("json-pointer", "a JSON pointer"),
            Map.entry("relative-json-pointer", "a relative JSON pointer"));

    private final String prefix;
    private final Map<String, Setting> settings;

    /** Problems whose sentences start with {@code owner}, such as {@code bot 'default'}. */
    SettingsProblems(String owner, Map<String, Setting> settings) {
        this.prefix = owner + ": ";
        this.settings = settings;
    }

    /**
     * One problem per failed rule and value, in declaration order of the settings, a setting's own problems before
     * those of its values; a wrong type hides the other rules of a value.
     */
    List<Validation.Problem> describe(List<Error> errors) {
        Set<String> wrongType = new HashSet<>();
        for (Error error : errors) {
            if ("type".equals(error.getKeyword())) {
                wrongType.add(String.valueOf(error.getInstanceLocation()));
            }
        }
        List<String> order = new ArrayList<>(settings.keySet());
        Map<String, Ranked> problems = new LinkedHashMap<>();
        for (Error error : errors) {
            String location = String.valueOf(error.getInstanceLocation());
            if (wrongType.contains(location) && !"type".equals(error.getKeyword())) {
                continue;
            }
            Validation.Problem problem = describe(error);
            if (problem != null) {
                int setting = order.indexOf(problem.key());
                problems.putIfAbsent(problem.message(), new Ranked(problem, setting < 0 ? order.size() : setting,
                        item(error.getInstanceLocation())));
            }
        }
        return problems.values().stream()
                .sorted(Comparator.comparingInt(Ranked::setting).thenComparingInt(Ranked::item))
                .map(Ranked::problem).toList();
    }

    private record Ranked(Validation.Problem problem, int setting, int item) {}

    /** The index of the value of a list a location points at, or -1 for a setting's whole value. */
    private static int item(NodePath location) {
        return location != null && location.getNameCount() > 1 && location.getElement(1) instanceof Integer index
                ? index : -1;
    }

    private Validation.Problem describe(Error error) {
        String keyword = error.getKeyword();
        NodePath location = error.getInstanceLocation();
        if ("required".equals(keyword)) {
            String key = error.getProperty();
            return new Validation.Problem(key, keyword, prefix + "setting '" + key + "' is required");
        }
        if (location == null || location.getNameCount() == 0) {
            return null; // the settings object itself: always an object, so nothing a user did
        }
        String key = String.valueOf(location.getElement(0));
        Setting setting = settings.get(key);
        if (setting == null) {
            return null;
        }
        int index = item(location);
        boolean item = index >= 0;
        String subject = "setting '" + key + "'" + (item ? " value " + (index + 1) : "");
        JsonNode value = error.getInstanceNode();
        String rule = switch (keyword) {
            case "type" -> typeRule(setting, item, value);
            case "minimum" -> "must be at least " + plain(setting.minimum()) + was(setting, value);
            case "maximum" -> "must be at most " + plain(setting.maximum()) + was(setting, value);
            case "minLength" -> setting.type() == Setting.Type.CHARACTER ? "must be a single character"
                    + was(setting, value) : "must be at least " + characters(setting.minLength()) + " long"
                            + length(setting, value);
            case "maxLength" -> setting.type() == Setting.Type.CHARACTER ? "must be a single character"
                    + was(setting, value) : "must be at most " + characters(setting.maxLength()) + " long"
                            + length(setting, value);
            case "oneOf", "enum", "const" -> "must be one of " + options(setting) + was(setting, value);
            case "format" -> "must be " + FORMAT_NOUNS.getOrDefault(setting.format(),
                    "in the format '" + setting.format() + "'") + was(setting, value);
            case "pattern" -> "must match the pattern " + setting.pattern() + was(setting, value);
            case "maxItems" -> "must have at most " + setting.maxItems() + (setting.maxItems() == 1 ? " value" : " values")
                    + " (had " + value.size() + ")";
            default -> "does not satisfy the rule '" + keyword + "'";
        };
        return new Validation.Problem(key, keyword, prefix + subject + " " + rule);
    }

    private static String typeRule(Setting setting, boolean item, JsonNode value) {
        if (!item && !setting.multiValued() && value != null && value.isArray()) {
            return "must be one value, " + setting.type().noun + ", not a list" + was(setting, value);
        }
        return "must be " + (item || !setting.multiValued() ? setting.type().noun : setting.noun())
                + was(setting, value);
    }

    private static String options(Setting setting) {
        return setting.options().stream()
                .map(o -> quote(o.value()) + (o.label().equals(o.value()) ? "" : " (" + o.label() + ")"))
                .collect(Collectors.joining(", "));
    }

    private static String characters(Integer count) {
        return count + (count == 1 ? " character" : " characters");
    }

    /** The length of a text value, never the text: a secret's length is not shown either. */
    private static String length(Setting setting, JsonNode value) {
        if (setting.secret() || value == null || !value.isTextual()) {
            return "";
        }
        return " (was " + characters(value.textValue().length()) + ")";
    }

    /** The offending value, for a secret nothing. */
    private static String was(Setting setting, JsonNode value) {
        if (setting.secret() || value == null) {
            return "";
        }
        return " (was " + show(value) + ")";
    }

    private static String show(JsonNode value) {
        if (value.isTextual()) {
            return quote(value.textValue());
        }
        if (value.isArray()) {
            List<String> items = new ArrayList<>();
            value.forEach(item -> items.add(show(item)));
            return items.stream().collect(Collectors.joining(", ", "[", "]"));
        }
        if (value.isBigDecimal()) {
            return value.decimalValue().toPlainString();
        }
        return value.toString();
    }

    private static String quote(String text) {
        String shown = text.length() > LONGEST_QUOTE ? text.substring(0, LONGEST_QUOTE) + "..." : text;
        return "'" + shown + "'";
    }

    private static String plain(BigDecimal number) {
        return number == null ? "?" : number.stripTrailingZeros().toPlainString();
    }
}
