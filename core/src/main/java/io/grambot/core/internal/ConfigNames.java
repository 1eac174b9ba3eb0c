package io.grambot.core.internal;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The configuration property names of a component property type's methods, by the rules of Declarative Services
 * 1.4 (112.8.2), which bnd also follows when it writes the attribute ids of the type's metatype.
 */
final class ConfigNames {

    private ConfigNames() {}

    /** Each method of a configuration type by the property name it reads. */
    static Map<String, Method> methodsByProperty(Class<?> configType) {
        Map<String, Method> methods = new LinkedHashMap<>();
        String prefix = prefix(configType);
        boolean singleElement = isSingleElementAnnotation(configType);
        for (Method method : configType.getDeclaredMethods()) {
            if (method.getParameterCount() != 0 || Modifier.isStatic(method.getModifiers()) || method.isSynthetic()) {
                continue;
            }
            String name = singleElement && method.getName().equals("value")
                    ? typeNameToKey(configType.getSimpleName())
                    : identifierToKey(method.getName());
            methods.put(prefix + name, method);
        }
        return methods;
    }

    /**
     * {@code $_$} becomes {@code -}, {@code $$} becomes {@code $}, any other {@code $} is dropped, {@code __} becomes
     * {@code _} and any other {@code _} becomes {@code .}.
     */
    static String identifierToKey(String identifier) {
        StringBuilder key = new StringBuilder(identifier.length());
        for (int i = 0; i < identifier.length(); i++) {
            char c = identifier.charAt(i);
            if (c == '$') {
                if (identifier.startsWith("$_$", i)) {
                    key.append('-');
                    i += 2;
                } else if (identifier.startsWith("$$", i)) {
                    key.append('$');
                    i += 1;
                }
            } else if (c == '_') {
                if (identifier.startsWith("__", i)) {
                    key.append('_');
                    i += 1;
                } else {
                    key.append('.');
                }
            } else {
                key.append(c);
            }
        }
        return key.toString();
    }

    /** A single-element annotation's key: {@code ServiceRanking} becomes {@code service.ranking}. */
    static String typeNameToKey(String simpleName) {
        StringBuilder key = new StringBuilder(simpleName.length() + 4);
        boolean afterLowerCase = false;
        for (char c : simpleName.toCharArray()) {
            if (afterLowerCase && Character.isUpperCase(c)) {
                key.append('.');
            }
            afterLowerCase = Character.isLetter(c) && Character.isLowerCase(c);
            key.append(Character.toLowerCase(c));
        }
        return key.toString();
    }

    /** An annotation whose only element without a default is {@code value}. */
    static boolean isSingleElementAnnotation(Class<?> type) {
        if (!type.isAnnotation()) {
            return false;
        }
        boolean hasValue = false;
        for (Method method : type.getDeclaredMethods()) {
            if (method.getName().equals("value")) {
                hasValue = true;
            } else if (method.getDefaultValue() == null) {
                return false;
            }
        }
        return hasValue;
    }

    private static String prefix(Class<?> configType) {
        try {
            Field field = configType.getField("PREFIX_");
            int modifiers = field.getModifiers();
            if (Modifier.isStatic(modifiers) && Modifier.isFinal(modifiers) && field.getType() == String.class) {
                Object value = field.get(null);
                return value == null ? "" : (String) value;
            }
        } catch (NoSuchFieldException | IllegalAccessException | SecurityException e) {
            // no prefix declared (or not readable): names are unprefixed
        }
        return "";
    }
}
