package io.grambot.core.internal.action;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.grambot.core.internal.SecretStore;

/**
 * Makes payloads and texts safe to keep and show: the value of a key that looks secret ({@code password},
 * {@code secret}, {@code token}, {@code authorization}, {@code credential}, {@code apiKey}, {@code api_key}, a name
 * ending in the word {@code key}; any case) and every string that equals or contains a secret value of any instance
 * become {@value #MASK}; in a text only the secret itself is masked. Long strings and lists are cut.
 */
@Component(service = Redactor.class)
public final class Redactor {

    public static final String MASK = "********";
    /** Longer strings in a payload are cut to this many characters. */
    public static final int MAX_STRING = 500;
    /** Longer texts (errors) are cut to this many characters. */
    public static final int MAX_TEXT = 1_000;
    /** Longer lists and maps in a payload are cut to this many entries. */
    static final int MAX_ENTRIES = 100;
    /** Shorter secret values are not searched for: masking every "a" would hide everything and protect nothing. */
    static final int MIN_SECRET = 4;
    private static final int MAX_DEPTH = 20;
    private static final List<String> SECRET_WORDS = List.of("password", "passwd", "secret", "token", "apikey",
            "authorization", "credential", "privatekey", "accesskey");

    private final Supplier<? extends Collection<String>> secretValues;

    @Activate
    public Redactor(@Reference SecretStore secrets) {
        this(secrets::values);
    }

    /** @param secretValues every secret value there is, asked on each use (secrets change) */
    public Redactor(Supplier<? extends Collection<String>> secretValues) {
        this.secretValues = secretValues;
    }

    /** A JSON-like copy of the payload with secrets masked and long values cut. */
    public Map<String, Object> payload(Map<String, ?> payload) {
        if (payload == null) {
            return Map.of();
        }
        Object redacted = redact(payload, secrets(), 0);
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) redacted;
        return map;
    }

    /** The text with every secret value in it masked, cut to {@link #MAX_TEXT} characters. */
    public String text(String text) {
        return cut(masked(text), MAX_TEXT);
    }

    /** The text with every secret value in it masked, whole: for what a person reads (the shell's outputs). */
    public String masked(String text) {
        if (text == null) {
            return "";
        }
        String masked = text;
        for (String secret : secrets()) {
            masked = masked.replace(secret, MASK);
        }
        return masked;
    }

    /** Whether a key names a secret: it contains a secret word, or ends in the word "key" ({@code sshKey}). */
    static boolean secretKey(String key) {
        String plain = key.toLowerCase(Locale.ROOT).replace("_", "").replace("-", "").replace(".", "");
        if (SECRET_WORDS.stream().anyMatch(plain::contains)) {
            return true;
        }
        if (!key.toLowerCase(Locale.ROOT).endsWith("key")) {
            return false;
        }
        int k = key.length() - 3;
        if (k == 0) {
            return true;
        }
        char before = key.charAt(k - 1);
        // "api_key", "x-api-key", "sshKey": a word of its own; "monkey", "hockey": not
        return !Character.isLetterOrDigit(before) || Character.isUpperCase(key.charAt(k)) && Character.isLowerCase(before);
    }

    // longest first, so that a secret containing another is masked whole
    private List<String> secrets() {
        Collection<String> values = secretValues.get();
        if (values == null || values.isEmpty()) {
            return List.of();
        }
        List<String> usable = new ArrayList<>();
        for (String value : Set.copyOf(values)) {
            if (value != null && value.length() >= MIN_SECRET) {
                usable.add(value);
            }
        }
        usable.sort(Comparator.comparingInt(String::length).reversed());
        return usable;
    }

    private Object redact(Object value, List<String> secrets, int depth) {
        if (value == null || value instanceof Boolean) {
            return value;
        }
        if (value instanceof Number number) {
            return containsSecret(String.valueOf(number), secrets) ? MASK : number;
        }
        if (value instanceof CharSequence text) {
            return string(text.toString(), secrets);
        }
        if (depth >= MAX_DEPTH) {
            return "…(nested too deep)";
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            int shown = 0;
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if (shown++ == MAX_ENTRIES) {
                    copy.put("…", "(" + (map.size() - MAX_ENTRIES) + " more entries)");
                    break;
                }
                String key = String.valueOf(entry.getKey());
                Object redacted = secretKey(key) && entry.getValue() != null ? MASK
                        : redact(entry.getValue(), secrets, depth + 1);
                copy.put(containsSecret(key, secrets) ? MASK : cut(key, MAX_STRING), redacted);
            }
            return Collections.unmodifiableMap(copy);
        }
        if (value instanceof Collection<?> collection) {
            return list(new ArrayList<>(collection), secrets, depth);
        }
        if (value.getClass().isArray()) {
            List<Object> items = new ArrayList<>();
            for (int i = 0; i < Array.getLength(value); i++) {
                items.add(Array.get(value, i));
            }
            return list(items, secrets, depth);
        }
        return string(String.valueOf(value), secrets);
    }

    private List<Object> list(List<?> items, List<String> secrets, int depth) {
        List<Object> copy = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            if (i == MAX_ENTRIES) {
                copy.add("…(" + (items.size() - MAX_ENTRIES) + " more items)");
                break;
            }
            copy.add(redact(items.get(i), secrets, depth + 1));
        }
        return Collections.unmodifiableList(copy);
    }

    private static String string(String text, List<String> secrets) {
        return containsSecret(text, secrets) ? MASK : cut(text, MAX_STRING);
    }

    private static boolean containsSecret(String text, List<String> secrets) {
        for (String secret : secrets) {
            if (text.contains(secret)) {
                return true;
            }
        }
        return false;
    }

    static String cut(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max) + "…(" + text.length() + " chars)";
    }
}
