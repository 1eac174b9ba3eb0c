package io.grambot.core.internal.flow;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Placeholders in node configs: {@code {{nodeId.path}}} reads the output of an earlier node of the run
 * ({@code {{start.data.amount}}}, {@code {{call.output.items.0.name}}}). A text that is exactly one placeholder
 * becomes the value itself, keeping its type (a number stays a number, an object an object); placeholders inside
 * a longer text are replaced by the value's text (objects and lists as JSON, {@code null} as nothing).
 */
public final class Templates {

    /** What a lenient lookup gives for a path that leads nowhere ({@code exists} tests for it). */
    public static final Object MISSING = new Object() {
        @Override
        public String toString() {
            return "(missing)";
        }
    };

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String OPEN = "{{";
    private static final String CLOSE = "}}";

    private Templates() {}

    /** A placeholder found in a text: its path, or why it cannot be read. */
    record Placeholder(String path, String problem) {}

    /** The placeholders of one text, in order. */
    static List<Placeholder> placeholders(String text) {
        List<Placeholder> found = new ArrayList<>();
        int from = 0;
        while (true) {
            int open = text.indexOf(OPEN, from);
            if (open < 0) {
                return found;
            }
            int close = text.indexOf(CLOSE, open + OPEN.length());
            if (close < 0) {
                found.add(new Placeholder(null, "'{{' at character " + (open + 1) + " has no closing '}}'"));
                return found;
            }
            String path = text.substring(open + OPEN.length(), close).strip();
            found.add(new Placeholder(path, pathProblem(path)));
            from = close + CLOSE.length();
        }
    }

    private static String pathProblem(String path) {
        if (path.isEmpty()) {
            return "{{}} names no node";
        }
        for (String segment : path.split("\\.", -1)) {
            if (segment.isEmpty()) {
                return "{{" + path + "}} has an empty step in its path";
            }
        }
        return null;
    }

    /**
     * Every text in a config value with the field it is in: {@code payload.url} for a key of an object,
     * {@code items.0} for an entry of a list.
     */
    static void texts(String field, Object value, java.util.function.BiConsumer<String, String> visitor) {
        if (value instanceof String text) {
            visitor.accept(field, text);
        } else if (value instanceof Map<?, ?> map) {
            map.forEach((key, item) -> texts(field + "." + key, item, visitor));
        } else if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                texts(field + "." + i, list.get(i), visitor);
            }
        }
    }

    /**
     * Fills in the placeholders of a config value.
     *
     * @param nodeId the node whose config it is, for messages
     * @param field the field the value is in, for messages
     * @param outputs the outputs of the nodes that ran so far, by node id
     * @throws StepException if a placeholder leads nowhere: it names the node, the field and the path
     */
    public static Object render(Object value, String nodeId, String field, Map<String, Object> outputs)
            throws StepException {
        if (value instanceof String text) {
            return renderText(text, nodeId, field, outputs);
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> rendered = new LinkedHashMap<>();
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                String key = String.valueOf(entry.getKey());
                rendered.put(key, render(entry.getValue(), nodeId, field + "." + key, outputs));
            }
            return rendered;
        }
        if (value instanceof List<?> list) {
            List<Object> rendered = new ArrayList<>(list.size());
            for (int i = 0; i < list.size(); i++) {
                rendered.add(render(list.get(i), nodeId, field + "." + i, outputs));
            }
            return rendered;
        }
        return value;
    }

    /**
     * Like {@link #render}, but a text that is exactly one placeholder leading nowhere gives {@link #MISSING}
     * instead of failing (for {@code exists} and {@code not_exists}).
     */
    public static Object renderLenient(Object value, String nodeId, String field, Map<String, Object> outputs)
            throws StepException {
        if (value instanceof String text && whole(text) != null) {
            Object found = lookup(whole(text), outputs);
            if (found == MISSING) {
                return MISSING;
            }
        }
        return render(value, nodeId, field, outputs);
    }

    private static Object renderText(String text, String nodeId, String field, Map<String, Object> outputs)
            throws StepException {
        List<Placeholder> placeholders = placeholders(text);
        if (placeholders.isEmpty()) {
            return text;
        }
        for (Placeholder placeholder : placeholders) {
            if (placeholder.problem() != null) {
                throw new StepException("node '" + nodeId + "': field '" + field + "': " + placeholder.problem());
            }
        }
        String whole = whole(text);
        if (whole != null) {
            return resolve(whole, nodeId, field, outputs);
        }
        StringBuilder out = new StringBuilder();
        int from = 0;
        while (true) {
            int open = text.indexOf(OPEN, from);
            if (open < 0) {
                return out.append(text, from, text.length()).toString();
            }
            int close = text.indexOf(CLOSE, open + OPEN.length());
            out.append(text, from, open);
            out.append(stringify(resolve(text.substring(open + OPEN.length(), close).strip(), nodeId, field,
                    outputs)));
            from = close + CLOSE.length();
        }
    }

    /** The path if the text is exactly one placeholder, else {@code null}. */
    static String whole(String text) {
        if (!text.startsWith(OPEN) || !text.endsWith(CLOSE) || text.length() < OPEN.length() + CLOSE.length()) {
            return null;
        }
        String inner = text.substring(OPEN.length(), text.length() - CLOSE.length());
        return inner.contains(OPEN) || inner.contains(CLOSE) ? null : inner.strip();
    }

    private static Object resolve(String path, String nodeId, String field, Map<String, Object> outputs)
            throws StepException {
        String[] segments = path.split("\\.");
        if (!outputs.containsKey(segments[0])) {
            throw new StepException(prefix(nodeId, field, path) + "node '" + segments[0] + "' did not run");
        }
        Object current = outputs.get(segments[0]);
        StringBuilder at = new StringBuilder(segments[0]);
        for (int i = 1; i < segments.length; i++) {
            String segment = segments[i];
            if (current instanceof Map<?, ?> map) {
                if (!map.containsKey(segment)) {
                    throw new StepException(prefix(nodeId, field, path) + "'" + at + "' has no '" + segment + "'");
                }
                current = map.get(segment);
            } else if (current instanceof List<?> list) {
                int index = index(segment);
                if (index < 0 || index >= list.size()) {
                    throw new StepException(prefix(nodeId, field, path) + "'" + at + "' is a list of "
                            + list.size() + ", without an entry '" + segment + "'");
                }
                current = list.get(index);
            } else {
                throw new StepException(prefix(nodeId, field, path) + "'" + at + "' is " + describe(current)
                        + ", not an object or list");
            }
            at.append('.').append(segment);
        }
        return current;
    }

    private static String prefix(String nodeId, String field, String path) {
        return "node '" + nodeId + "': field '" + field + "': nothing at '" + path + "': ";
    }

    /** The value at a path, or {@link #MISSING}. */
    private static Object lookup(String path, Map<String, Object> outputs) {
        try {
            return resolve(path, "", "", outputs);
        } catch (StepException e) {
            return MISSING;
        }
    }

    private static int index(String segment) {
        try {
            return Integer.parseInt(segment);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** A value as it appears inside a longer text. */
    public static String stringify(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof String text) {
            return text;
        }
        if (value instanceof Map<?, ?> || value instanceof List<?>) {
            try {
                return JSON.writeValueAsString(value);
            } catch (JsonProcessingException e) {
                return String.valueOf(value);
            }
        }
        return String.valueOf(value);
    }

    /** A value in words, for messages: {@code the text "abc"}, {@code the number 3}, {@code an object}. */
    public static String describe(Object value) {
        if (value == null) {
            return "null";
        }
        if (value == MISSING) {
            return "missing";
        }
        if (value instanceof String text) {
            return "the text \"" + (text.length() > 40 ? text.substring(0, 40) + "…" : text) + "\"";
        }
        if (value instanceof Number number) {
            return "the number " + number;
        }
        if (value instanceof Boolean bool) {
            return bool.toString();
        }
        if (value instanceof Map<?, ?>) {
            return "an object";
        }
        if (value instanceof List<?>) {
            return "a list";
        }
        return "a " + value.getClass().getSimpleName();
    }
}
