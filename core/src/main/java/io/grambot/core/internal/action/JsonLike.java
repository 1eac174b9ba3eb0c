package io.grambot.core.internal.action;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks that a value is JSON-like (maps with text keys, lists, text, finite numbers, booleans, {@code null}) and
 * copies it into unmodifiable collections, so that what an action returns or is given cannot change under the
 * caller, and a cycle or a foreign object is refused with where it was found.
 */
final class JsonLike {

    private static final int MAX_DEPTH = 64;

    private JsonLike() {}

    /** An unmodifiable copy of a map. @throws IllegalArgumentException naming what is not JSON-like and where */
    static Map<String, Object> copy(Map<?, ?> map) {
        @SuppressWarnings("unchecked")
        Map<String, Object> copy = (Map<String, Object>) copy(map, "", 0);
        return copy;
    }

    private static Object copy(Object value, String path, int depth) {
        if (value == null || value instanceof String || value instanceof Boolean || value instanceof Integer
                || value instanceof Long || value instanceof Short || value instanceof Byte
                || value instanceof BigInteger || value instanceof BigDecimal) {
            return value;
        }
        if (value instanceof Double || value instanceof Float) {
            double number = ((Number) value).doubleValue();
            if (Double.isNaN(number) || Double.isInfinite(number)) {
                throw new IllegalArgumentException(where(path) + "is " + number + ", which JSON cannot hold");
            }
            return value;
        }
        if (depth >= MAX_DEPTH) {
            throw new IllegalArgumentException(where(path) + "is nested more than " + MAX_DEPTH
                    + " levels deep (a map or list that contains itself?)");
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if (!(entry.getKey() instanceof String key)) {
                    throw new IllegalArgumentException(where(path) + "has a key that is not text but "
                            + typeOf(entry.getKey()));
                }
                copy.put(key, copy(entry.getValue(), path + "/" + key, depth + 1));
            }
            return Collections.unmodifiableMap(copy);
        }
        if (value instanceof Collection<?> collection) {
            List<Object> copy = new ArrayList<>(collection.size());
            int i = 0;
            for (Object item : collection) {
                copy.add(copy(item, path + "/" + i++, depth + 1));
            }
            return Collections.unmodifiableList(copy);
        }
        throw new IllegalArgumentException(where(path) + "is a " + typeOf(value) + ", not JSON-like data");
    }

    private static String where(String path) {
        return path.isEmpty() ? "the value " : "the value at '" + path.substring(1) + "' ";
    }

    private static String typeOf(Object value) {
        return value == null ? "null" : value.getClass().getName();
    }
}
