package io.grambot.core.internal;

import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.osgi.service.metatype.AttributeDefinition;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/**
 * One setting a plugin declares: a Metatype attribute definition, its bounds and its format.
 *
 * @param id the configuration key
 * @param name a human-readable name
 * @param description what it is for, or empty
 * @param type its value type
 * @param cardinality 0 for a single value, otherwise at most {@code |cardinality|} values
 * @param defaults the declared default values as written (empty when there is no default)
 * @param required whether a value must be present (a default counts)
 * @param options the allowed values with their labels, or empty when any value of the type is allowed
 * @param min the declared lower bound (a number; for text, a length), or {@code null}
 * @param max the declared upper bound (a number; for text, a length), or {@code null}
 * @param format a JSON Schema format every value must have, or {@code null}
 * @param pattern a regular expression every value must match (not anchored), or {@code null}
 */
record Setting(String id, String name, String description, Type type, int cardinality, List<String> defaults,
        boolean required, List<Option> options, String min, String max, String format, String pattern) {

    /** An allowed value and its label. */
    record Option(String label, String value) {}

    /** The value types of the Metatype specification, with their JSON Schema type and Java representation. */
    enum Type {
        STRING("string", "a text", "texts"),
        PASSWORD("string", "a text", "texts"),
        CHARACTER("string", "a single character", "single characters"),
        BOOLEAN("boolean", "true or false", "true/false values"),
        BYTE("integer", "an integer", "integers"),
        SHORT("integer", "an integer", "integers"),
        INTEGER("integer", "an integer", "integers"),
        LONG("integer", "an integer", "integers"),
        BIGINTEGER("integer", "an integer", "integers"),
        FLOAT("number", "a number", "numbers"),
        DOUBLE("number", "a number", "numbers"),
        BIGDECIMAL("number", "a number", "numbers");

        final String jsonType;
        final String noun;
        final String plural;

        Type(String jsonType, String noun, String plural) {
            this.jsonType = jsonType;
            this.noun = noun;
            this.plural = plural;
        }

        @SuppressWarnings("deprecation") // BIGINTEGER and BIGDECIMAL are deprecated but may still be declared
        static Type of(int metatypeType) {
            return switch (metatypeType) {
                case AttributeDefinition.STRING -> STRING;
                case AttributeDefinition.PASSWORD -> PASSWORD;
                case AttributeDefinition.CHARACTER -> CHARACTER;
                case AttributeDefinition.BOOLEAN -> BOOLEAN;
                case AttributeDefinition.BYTE -> BYTE;
                case AttributeDefinition.SHORT -> SHORT;
                case AttributeDefinition.INTEGER -> INTEGER;
                case AttributeDefinition.LONG -> LONG;
                case AttributeDefinition.BIGINTEGER -> BIGINTEGER;
                case AttributeDefinition.FLOAT -> FLOAT;
                case AttributeDefinition.DOUBLE -> DOUBLE;
                case AttributeDefinition.BIGDECIMAL -> BIGDECIMAL;
                default -> throw new IllegalArgumentException("unknown Metatype attribute type " + metatypeType);
            };
        }

        boolean isText() {
            return this == STRING || this == PASSWORD || this == CHARACTER;
        }

        boolean isIntegral() {
            return jsonType.equals("integer");
        }

        boolean isNumeric() {
            return isIntegral() || jsonType.equals("number");
        }

        /** The range of an integral Java type, which a value must fit in whatever the declaration says. */
        BigDecimal typeMin() {
            return switch (this) {
                case BYTE -> BigDecimal.valueOf(Byte.MIN_VALUE);
                case SHORT -> BigDecimal.valueOf(Short.MIN_VALUE);
                case INTEGER -> BigDecimal.valueOf(Integer.MIN_VALUE);
                case LONG -> BigDecimal.valueOf(Long.MIN_VALUE);
                default -> null;
            };
        }

        BigDecimal typeMax() {
            return switch (this) {
                case BYTE -> BigDecimal.valueOf(Byte.MAX_VALUE);
                case SHORT -> BigDecimal.valueOf(Short.MAX_VALUE);
                case INTEGER -> BigDecimal.valueOf(Integer.MAX_VALUE);
                case LONG -> BigDecimal.valueOf(Long.MAX_VALUE);
                default -> null;
            };
        }
    }

    Setting {
        defaults = List.copyOf(defaults);
        options = List.copyOf(options);
        description = description == null ? "" : description;
        name = name == null || name.isBlank() ? id : name;
    }

    @Override
    public String toString() {
        return "Setting[" + id + ", " + type + (multiValued() ? "[" + cardinality + "]" : "")
                + (secret() ? "" : ", defaults=" + defaults) + (required ? ", required" : "") + "]";
    }

    boolean secret() {
        return type == Type.PASSWORD;
    }

    boolean multiValued() {
        return cardinality != 0;
    }

    /** How many values a multi-valued setting may hold, or {@code null} when unbounded. */
    Integer maxItems() {
        if (cardinality == Integer.MAX_VALUE || cardinality == Integer.MIN_VALUE) {
            return null; // bnd writes these for arrays and collections without a declared bound
        }
        return Math.abs(cardinality);
    }

    /** The effective lower bound of a number (declared, narrowed to the Java type's range), or {@code null}. */
    BigDecimal minimum() {
        return type.isNumeric() ? tighter(number(min, "min"), type.typeMin(), true) : null;
    }

    /** The effective upper bound of a number, or {@code null}. */
    BigDecimal maximum() {
        return type.isNumeric() ? tighter(number(max, "max"), type.typeMax(), false) : null;
    }

    /** The least number of characters of a text value, or {@code null}. */
    Integer minLength() {
        return type == Type.CHARACTER ? Integer.valueOf(1) : type.isText() ? length(min, "min") : null;
    }

    /** The greatest number of characters of a text value, or {@code null}. */
    Integer maxLength() {
        return type == Type.CHARACTER ? Integer.valueOf(1) : type.isText() ? length(max, "max") : null;
    }

    /** The JSON Schema of this setting: a property of the plugin's settings object. */
    Map<String, Object> jsonSchema() {
        Map<String, Object> property = new LinkedHashMap<>();
        property.put("title", name);
        if (!description.isEmpty()) {
            property.put("description", description);
        }
        Map<String, Object> value = multiValued() ? new LinkedHashMap<>() : property;
        value.put("type", type.jsonType);
        putIfNotNull(value, "minimum", json(minimum()));
        putIfNotNull(value, "maximum", json(maximum()));
        putIfNotNull(value, "minLength", minLength());
        putIfNotNull(value, "maxLength", maxLength());
        if (secret()) {
            value.put("format", "password");
            value.put("writeOnly", true);
            if (format != null) {
                // a declared format still applies to a secret; "format" itself says "password" to form renderers
                value.put("allOf", List.of(Map.of("format", format)));
            }
        } else {
            putIfNotNull(value, "format", format);
        }
        putIfNotNull(value, "pattern", pattern);
        if (!options.isEmpty()) {
            List<Object> oneOf = new ArrayList<>(options.size());
            for (Option option : options) {
                oneOf.add(Map.of("const", json(optionValue(option)), "title", option.label()));
            }
            value.put("oneOf", oneOf);
        }
        if (multiValued()) {
            property.put("type", "array");
            property.put("items", value);
            putIfNotNull(property, "maxItems", maxItems());
        }
        if (!defaults.isEmpty() && !secret()) {
            // a secret's default is not shown: a form must not prefill a password field
            property.put("default", json(defaultValue()));
        }
        return property;
    }

    /**
     * The declared default as a JSON value: a list for a multi-valued setting, else a single value.
     *
     * @throws IllegalArgumentException if a default does not have the declared type
     */
    JsonNode defaultValue() {
        if (defaults.isEmpty()) {
            return null;
        }
        JsonNode value = toJson(multiValued() ? defaults : defaults.get(0));
        if (value == null || !conforms(value)) {
            throw new IllegalArgumentException("setting '" + id + "' declares a default that is not " + noun());
        }
        return value;
    }

    /**
     * A configuration value as a JSON value of this setting's type, where it can be read as one: text from
     * configuration files is parsed, a comma-separated text is split for a multi-valued setting ({@code \,} keeps a
     * comma; a blank text is an empty list; blank non-text items are skipped), a list with one value stands for that
     * value. A value that cannot be read is returned as it is, for validation to reject.
     *
     * @return the value, or {@code null} when it counts as absent (no value, or blank for a non-text single value)
     */
    JsonNode toJson(Object raw) {
        if (raw == null) {
            return null;
        }
        List<Object> values = values(raw);
        if (!multiValued()) {
            if (values == null) {
                return scalar(raw);
            }
            return switch (values.size()) {
                case 0 -> null;
                case 1 -> scalar(values.get(0));
                default -> array(values);
            };
        }
        if (values == null) {
            values = raw instanceof String text ? split(text) : List.of(raw);
        }
        return array(values);
    }

    /** A validated JSON value as the Java value a configuration holds: a boxed value, or a list of them. */
    Object toJava(JsonNode value) {
        if (multiValued()) {
            List<Object> list = new ArrayList<>(value.size());
            value.forEach(item -> list.add(javaScalar(item)));
            return List.copyOf(list);
        }
        return javaScalar(value);
    }

    /** Whether a value has the declared JSON type (items included). */
    boolean conforms(JsonNode value) {
        if (multiValued()) {
            if (!value.isArray()) {
                return false;
            }
            for (JsonNode item : value) {
                if (!scalarConforms(item)) {
                    return false;
                }
            }
            return true;
        }
        return scalarConforms(value);
    }

    /** What a value of this setting is, in plain words. */
    String noun() {
        return multiValued() ? "a list of " + type.plural : type.noun;
    }

    private boolean scalarConforms(JsonNode value) {
        return switch (type.jsonType) {
            case "string" -> value.isTextual();
            case "boolean" -> value.isBoolean();
            case "integer" -> value.isIntegralNumber();
            default -> value.isNumber();
        };
    }

    private JsonNode optionValue(Option option) {
        JsonNode value = scalar(option.value());
        if (value == null || !scalarConforms(value)) {
            throw new IllegalArgumentException("setting '" + id + "' declares option '" + option.value()
                    + "', which is not " + type.noun);
        }
        return value;
    }

    private JsonNode scalar(Object raw) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        if (raw == null) {
            return null;
        }
        if (type.isText()) {
            return nodes.textNode(raw instanceof String text ? text : String.valueOf(raw));
        }
        if (raw instanceof String text) {
            String trimmed = text.trim();
            if (trimmed.isEmpty()) {
                return null; // "key=" in a configuration file: no value
            }
            if (type == Type.BOOLEAN) {
                return trimmed.equalsIgnoreCase("true") || trimmed.equalsIgnoreCase("false")
                        ? nodes.booleanNode(Boolean.parseBoolean(trimmed)) : nodes.textNode(text);
            }
            try {
                return number(new BigDecimal(trimmed));
            } catch (NumberFormatException e) {
                return nodes.textNode(text);
            }
        }
        if (raw instanceof Boolean bool) {
            return nodes.booleanNode(bool);
        }
        if (raw instanceof BigDecimal decimal) {
            return number(decimal);
        }
        if (raw instanceof BigInteger integer) {
            return nodes.numberNode(integer);
        }
        if (raw instanceof Double || raw instanceof Float) {
            double d = ((Number) raw).doubleValue();
            return Double.isFinite(d) ? number(new BigDecimal(raw.toString())) : nodes.textNode(raw.toString());
        }
        if (raw instanceof Number number) {
            return nodes.numberNode(number.longValue());
        }
        return nodes.textNode(String.valueOf(raw)); // a Character, or anything else: let validation say what it is
    }

    /** A number as an integral node when it has no fraction, so that {@code 3.0} passes as an integer. */
    private static JsonNode number(BigDecimal value) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        BigDecimal stripped = value.stripTrailingZeros();
        if (stripped.scale() <= 0) {
            BigInteger integer = stripped.toBigIntegerExact();
            return integer.bitLength() < 64 ? nodes.numberNode(integer.longValue()) : nodes.numberNode(integer);
        }
        return nodes.numberNode(stripped); // 0.50 and 0.5 are one value, for options too
    }

    private JsonNode array(List<Object> values) {
        ArrayNode array = JsonNodeFactory.instance.arrayNode(values.size());
        for (Object value : values) {
            JsonNode item = scalar(value);
            if (item != null) {
                array.add(item);
            }
        }
        return array;
    }

    private Object javaScalar(JsonNode value) {
        return switch (type) {
            case STRING, PASSWORD -> value.textValue();
            case CHARACTER -> value.textValue().charAt(0);
            case BOOLEAN -> value.booleanValue();
            case BYTE -> (byte) value.intValue();
            case SHORT -> (short) value.intValue();
            case INTEGER -> value.intValue();
            case LONG -> value.longValue();
            case BIGINTEGER -> value.bigIntegerValue();
            case FLOAT -> value.floatValue();
            case DOUBLE -> value.doubleValue();
            case BIGDECIMAL -> value.decimalValue();
        };
    }

    /** The elements of an array or collection, or {@code null} for a single value. */
    private static List<Object> values(Object raw) {
        if (raw instanceof Collection<?> collection) {
            return new ArrayList<>(collection);
        }
        if (raw.getClass().isArray()) {
            int length = Array.getLength(raw);
            List<Object> list = new ArrayList<>(length);
            for (int i = 0; i < length; i++) {
                list.add(Array.get(raw, i));
            }
            return list;
        }
        return null;
    }

    /** Splits {@code a, b\,c} into {@code a} and {@code b,c}, as Metatype writes multiple values in one text. */
    static List<Object> split(String text) {
        List<Object> values = new ArrayList<>();
        if (text.isBlank()) {
            return values;
        }
        StringBuilder current = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                current.append(text.charAt(++i));
            } else if (c == ',') {
                values.add(current.toString().trim());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        values.add(current.toString().trim());
        return values;
    }

    private BigDecimal number(String bound, String which) {
        if (bound == null) {
            return null;
        }
        try {
            return new BigDecimal(bound.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("setting '" + id + "' declares " + which + " '" + bound
                    + "', which is not a number");
        }
    }

    private Integer length(String bound, String which) {
        if (bound == null) {
            return null;
        }
        try {
            int length = Integer.parseInt(bound.trim());
            if (length >= 0) {
                return length;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("setting '" + id + "' declares " + which + " '" + bound
                + "', which is not a length (a whole number, 0 or more)");
    }

    private static BigDecimal tighter(BigDecimal declared, BigDecimal typeBound, boolean lower) {
        if (declared == null) {
            return typeBound;
        }
        if (typeBound == null) {
            return declared;
        }
        return lower ? declared.max(typeBound) : declared.min(typeBound);
    }

    /** A bound as a JSON-friendly number: a long when it has no fraction, else a BigDecimal. */
    private static Object json(BigDecimal bound) {
        if (bound == null) {
            return null;
        }
        JsonNode node = number(bound);
        return node.isBigInteger() ? node.bigIntegerValue() : node.isIntegralNumber() ? node.longValue()
                : node.decimalValue();
    }

    /** A JSON node as a plain Java value for the schema map (numbers, text, booleans, lists). */
    private static Object json(JsonNode node) {
        if (node.isArray()) {
            List<Object> list = new ArrayList<>(node.size());
            node.forEach(item -> list.add(json(item)));
            return List.copyOf(list);
        }
        if (node.isTextual()) {
            return node.textValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isBigInteger()) {
            return node.bigIntegerValue();
        }
        if (node.isIntegralNumber()) {
            return node.longValue();
        }
        return node.decimalValue();
    }

    private static void putIfNotNull(Map<String, Object> map, String key, Object value) {
        if (value != null) {
            map.put(key, value);
        }
    }
}
