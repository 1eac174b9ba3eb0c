package io.grambot.core.internal.flow;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The operators of a condition node. Numbers (and texts that read as numbers, against a number or for ordering)
 * compare by value, so {@code 150 gt 100} and {@code "150" gt 100} hold; other texts order alphabetically.
 */
public enum ConditionOp {
    EQ, NE, GT, GTE, LT, LTE, CONTAINS, EXISTS, NOT_EXISTS;

    /** The name in a definition: {@code eq}, {@code not_exists}. */
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether the operator compares {@code left} with a {@code right}; {@code exists} looks at {@code left} only. */
    public boolean binary() {
        return this != EXISTS && this != NOT_EXISTS;
    }

    static Optional<ConditionOp> of(String jsonName) {
        return Arrays.stream(values()).filter(op -> op.jsonName().equals(jsonName)).findFirst();
    }

    static String names() {
        return String.join(", ", Arrays.stream(values()).map(ConditionOp::jsonName).toList());
    }

    /**
     * Whether the condition holds.
     *
     * @param left the left value, {@link Templates#MISSING} when its placeholder led nowhere
     * @throws IllegalArgumentException if the values cannot be compared this way, saying why
     */
    public boolean test(Object left, Object right) {
        return switch (this) {
            case EQ -> same(left, right);
            case NE -> !same(left, right);
            case GT -> order(left, right) > 0;
            case GTE -> order(left, right) >= 0;
            case LT -> order(left, right) < 0;
            case LTE -> order(left, right) <= 0;
            case CONTAINS -> contains(left, right);
            case EXISTS -> left != Templates.MISSING && left != null;
            case NOT_EXISTS -> left == Templates.MISSING || left == null;
        };
    }

    private static boolean same(Object left, Object right) {
        if (left instanceof Number || right instanceof Number) {
            BigDecimal a = number(left);
            BigDecimal b = number(right);
            if (a != null && b != null) {
                return a.compareTo(b) == 0;
            }
        }
        return Objects.equals(left, right);
    }

    private int order(Object left, Object right) {
        BigDecimal a = number(left);
        BigDecimal b = number(right);
        if (a != null && b != null) {
            return a.compareTo(b);
        }
        if (left instanceof String x && right instanceof String y) {
            return x.compareTo(y);
        }
        throw new IllegalArgumentException("'" + jsonName() + "' compares numbers or texts, not "
                + Templates.describe(left) + " with " + Templates.describe(right));
    }

    private static boolean contains(Object left, Object right) {
        if (left instanceof String text) {
            return right != null && right != Templates.MISSING && text.contains(Templates.stringify(right));
        }
        if (left instanceof List<?> list) {
            return list.stream().anyMatch(item -> same(item, right));
        }
        if (left instanceof Map<?, ?> map) {
            return map.containsKey(String.valueOf(right));
        }
        throw new IllegalArgumentException("'contains' looks into a text, a list or an object, not "
                + Templates.describe(left));
    }

    /** The value as a number, or {@code null} if it is none. */
    private static BigDecimal number(Object value) {
        try {
            if (value instanceof Number number) {
                return number instanceof Double d && (d.isNaN() || d.isInfinite()) ? null
                        : new BigDecimal(number.toString());
            }
            if (value instanceof String text && !text.isBlank()) {
                return new BigDecimal(text.strip());
            }
        } catch (NumberFormatException e) {
            // not a number
        }
        return null;
    }
}
