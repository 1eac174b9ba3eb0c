package io.grambot.core.internal.flow;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a run record may keep of a step's output: values under secret-looking keys masked, long texts and lists
 * cut, deep nesting ended, anything that is not JSON-like turned into its text. Records are read in the shell and
 * kept on disk, so a token an action returns must not end up there.
 */
public final class Redaction {

    static final String MASK = "********";
    static final int MAX_TEXT = 2_000;
    static final int MAX_ITEMS = 100;
    static final int MAX_DEPTH = 10;

    /** Parts of key names (lower case, without '_' and '-') that say a value is secret. */
    private static final List<String> SECRET_WORDS = List.of("password", "passwd", "secret", "token", "apikey",
            "authorization", "cookie", "credential", "privatekey", "accesskey", "signature");

    private Redaction() {}

    public static Map<String, Object> apply(Map<String, Object> output) {
        @SuppressWarnings("unchecked")
        Map<String, Object> redacted = (Map<String, Object>) value(output, 0);
        return redacted;
    }

    static boolean secretKey(String key) {
        // "tokens" counts usage (inputTokens, tokens_used), "token" holds one
        String plain = key.toLowerCase(Locale.ROOT).replace("_", "").replace("-", "").replace("tokens", "");
        return SECRET_WORDS.stream().anyMatch(plain::contains);
    }

    private static Object value(Object value, int depth) {
        if (value == null || value instanceof Number || value instanceof Boolean) {
            return value;
        }
        if (value instanceof String text) {
            return text.length() <= MAX_TEXT ? text
                    : text.substring(0, MAX_TEXT) + "… (cut, " + text.length() + " characters)";
        }
        if (depth >= MAX_DEPTH && (value instanceof Map<?, ?> || value instanceof List<?>)) {
            return "… (cut, nested deeper than " + MAX_DEPTH + ")";
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                String key = String.valueOf(entry.getKey());
                copy.put(key, secretKey(key) && entry.getValue() != null ? MASK : value(entry.getValue(), depth + 1));
            }
            return copy;
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>();
            for (int i = 0; i < Math.min(list.size(), MAX_ITEMS); i++) {
                copy.add(value(list.get(i), depth + 1));
            }
            if (list.size() > MAX_ITEMS) {
                copy.add("… (cut, " + (list.size() - MAX_ITEMS) + " more)");
            }
            return copy;
        }
        return value(String.valueOf(value), depth);
    }
}
