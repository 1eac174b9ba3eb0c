package io.grambot.core.internal;

import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Dictionary;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.grambot.api.PluginConstants;

/**
 * Setting values as {@code settings.json} and ConfigAdmin both understand them. The canonical form used for merging
 * and comparing is: {@link String}, {@link Boolean}, {@link Long} (every integral number), {@link Double} (every
 * decimal number), or an immutable {@link List} of one of these.
 */
final class SettingValues {

    private SettingValues() {}

    /**
     * Whether a property is bookkeeping rather than a setting: framework, FileInstall, DS and wiring properties, and
     * the {@code enabled} flag (which {@code settings.json} keeps beside the settings). Case-insensitive,
     * because ConfigAdmin keys are; {@link PluginInstanceManager#settings} and the settings file both use it.
     */
    static boolean isBookkeeping(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return k.startsWith("service.") || k.startsWith("felix.") || k.startsWith("component.")
                || k.startsWith("grambot.") || k.endsWith(".target") || k.equals(PluginConstants.ENABLED);
    }

    /** Whether a configuration's instance is enabled: it is unless its {@code enabled} property says {@code false}. */
    static boolean isEnabled(Dictionary<String, Object> properties) {
        Object enabled = properties.get(PluginConstants.ENABLED);
        return enabled == null || !"false".equalsIgnoreCase(String.valueOf(enabled));
    }

    /** The canonical form of a ConfigAdmin property value, or {@code null} for a type JSON cannot carry. */
    static Object fromConfig(Object value) {
        if (value == null) {
            return null;
        }
        if (value.getClass().isArray()) {
            List<Object> list = new ArrayList<>(Array.getLength(value));
            for (int i = 0; i < Array.getLength(value); i++) {
                list.add(scalar(Array.get(value, i)));
            }
            return homogeneous(list);
        }
        if (value instanceof Collection<?> collection) {
            List<Object> list = new ArrayList<>(collection.size());
            collection.forEach(element -> list.add(scalar(element)));
            return homogeneous(list);
        }
        return scalar(value);
    }

    // a JSON array of settings holds one kind of value, as a ConfigAdmin array does
    private static List<Object> homogeneous(List<Object> list) {
        if (list.contains(null) || list.stream().map(SettingValues::kind).distinct().count() > 1) {
            return null;
        }
        return List.copyOf(list);
    }

    /** The kind of a canonical scalar as a word for messages: string, number or boolean. */
    static String kind(Object scalar) {
        return scalar instanceof Number ? "number" : scalar instanceof Boolean ? "boolean" : "string";
    }

    private static Object scalar(Object value) {
        if (value instanceof String || value instanceof Boolean || value instanceof Long) {
            return value;
        }
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof Float f) {
            return Double.valueOf(f.toString()); // 0.1f stays 0.1, not 0.10000000149011612
        }
        if (value instanceof Double) {
            return value;
        }
        if (value instanceof Character c) {
            return c.toString();
        }
        return null;
    }

    /**
     * The ConfigAdmin value for a canonical value. Where the configuration already holds a number of some type, a
     * number is stored in that type if it fits, so unchanged typing survives (an {@code Integer} stays one).
     */
    static Object toConfig(Object canonical, Object existing) {
        if (canonical instanceof List<?> list) {
            Class<?> existingElement = existing != null && existing.getClass().isArray()
                    ? existing.getClass().getComponentType() : null;
            return array(list, existingElement);
        }
        if (canonical instanceof Number number) {
            return number(number, existing == null ? null : existing.getClass());
        }
        return canonical;
    }

    private static Object array(List<?> list, Class<?> existingElement) {
        Class<?> element = String.class;
        if (!list.isEmpty()) {
            element = list.get(0) instanceof Number ? Integer.class : list.get(0).getClass();
            if (element == Integer.class) {
                boolean decimal = list.stream().anyMatch(v -> v instanceof Double);
                boolean wide = list.stream().anyMatch(v -> v instanceof Long l && l != l.intValue());
                element = decimal ? Double.class : wide ? Long.class : Integer.class;
                if (existingElement != null && Number.class.isAssignableFrom(boxed(existingElement))
                        && list.stream().allMatch(v -> fits((Number) v, boxed(existingElement)))) {
                    element = boxed(existingElement);
                }
            }
        } else if (existingElement != null) {
            element = boxed(existingElement);
        }
        Object array = Array.newInstance(element, list.size());
        for (int i = 0; i < list.size(); i++) {
            Object v = list.get(i);
            Array.set(array, i, v instanceof Number n ? number(n, element) : v);
        }
        return array;
    }

    private static Object number(Number number, Class<?> preferred) {
        if (preferred != null && Number.class.isAssignableFrom(preferred) && fits(number, preferred)) {
            return convert(number, preferred);
        }
        if (number instanceof Double) {
            return number;
        }
        long l = number.longValue();
        if (l == (int) l) { // not a conditional expression: it would widen the Integer back to a Long
            return Integer.valueOf((int) l);
        }
        return Long.valueOf(l);
    }

    private static boolean fits(Number number, Class<?> type) {
        if (number instanceof Double d) {
            return type == Double.class || (type == Float.class && (double) d.floatValue() == d);
        }
        long l = number.longValue();
        return type == Long.class || (type == Integer.class && l == (int) l) || (type == Short.class && l == (short) l)
                || (type == Byte.class && l == (byte) l) || type == Double.class && (long) (double) l == l;
    }

    private static Object convert(Number number, Class<?> type) {
        if (type == Integer.class) {
            return number.intValue();
        } else if (type == Short.class) {
            return number.shortValue();
        } else if (type == Byte.class) {
            return number.byteValue();
        } else if (type == Float.class) {
            return number.floatValue();
        } else if (type == Double.class) {
            return number.doubleValue();
        }
        return number.longValue();
    }

    private static Class<?> boxed(Class<?> type) {
        if (!type.isPrimitive()) {
            return type;
        }
        return switch (type.getName()) {
            case "int" -> Integer.class;
            case "long" -> Long.class;
            case "short" -> Short.class;
            case "byte" -> Byte.class;
            case "float" -> Float.class;
            case "double" -> Double.class;
            case "boolean" -> Boolean.class;
            case "char" -> Character.class;
            default -> type;
        };
    }

    /** Whether two canonical values are the same; numbers compare by value (5 equals 5.0). */
    static boolean same(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            if (x instanceof Long && y instanceof Long) {
                return x.longValue() == y.longValue();
            }
            double dx = x.doubleValue();
            double dy = y.doubleValue();
            if (!Double.isFinite(dx) || !Double.isFinite(dy)) {
                return Double.compare(dx, dy) == 0;
            }
            return new BigDecimal(x.toString()).compareTo(new BigDecimal(y.toString())) == 0;
        }
        if (a instanceof List<?> x && b instanceof List<?> y) {
            if (x.size() != y.size()) {
                return false;
            }
            for (int i = 0; i < x.size(); i++) {
                if (!same(x.get(i), y.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return a == null ? b == null : a.equals(b);
    }

    /** Whether two canonical settings maps hold the same keys with the same values. */
    static boolean sameSettings(Map<String, Object> a, Map<String, Object> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (Map.Entry<String, Object> entry : a.entrySet()) {
            if (!b.containsKey(entry.getKey()) || !same(entry.getValue(), b.get(entry.getKey()))) {
                return false;
            }
        }
        return true;
    }
}
