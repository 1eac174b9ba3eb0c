package io.grambot.core.internal;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The outcome of checking an instance's settings against its plugin's {@link SettingsSchema}: either the settings
 * the instance gets (declared keys typed, defaults applied, undeclared keys kept) or the problems found. Its
 * {@link #toString()} shows keys, never values.
 */
final class Validation {

    /**
     * One thing wrong with a setting.
     *
     * @param key the setting's key
     * @param rule the JSON Schema keyword that failed: {@code required}, {@code type}, {@code minimum},
     *            {@code maximum}, {@code minLength}, {@code maxLength}, {@code oneOf} (options), {@code format},
     *            {@code pattern}, {@code maxItems}, ...
     * @param message a sentence naming the instance, the plugin, the key and the rule; never a secret's value
     */
    record Problem(String key, String rule, String message) {
        @Override
        public String toString() {
            return message;
        }
    }

    private final Map<String, Object> settings;
    private final List<Problem> problems;
    private final Set<String> secretKeys;

    private Validation(Map<String, Object> settings, List<Problem> problems, Set<String> secretKeys) {
        this.settings = settings;
        this.problems = problems;
        this.secretKeys = secretKeys;
    }

    static Validation valid(Map<String, Object> settings, Set<String> secretKeys) {
        return new Validation(Collections.unmodifiableMap(new LinkedHashMap<>(settings)), List.of(),
                Set.copyOf(secretKeys));
    }

    static Validation invalid(List<Problem> problems, Set<String> secretKeys) {
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("an invalid configuration needs at least one problem");
        }
        return new Validation(Map.of(), List.copyOf(problems), Set.copyOf(secretKeys));
    }

    boolean isValid() {
        return problems.isEmpty();
    }

    /**
     * The settings the instance gets, secrets included (see {@link SettingsSchema#secretKeys()}): single values
     * boxed ({@code String}, {@code Integer}, {@code Long}, {@code Boolean}, {@code Double}, ...), several values as
     * an immutable {@code List}.
     *
     * @throws IllegalStateException if the configuration is invalid
     */
    Map<String, Object> settings() {
        if (!isValid()) {
            throw new IllegalStateException("the settings are invalid: " + message());
        }
        return settings;
    }

    /** What is wrong, in declaration order of the settings; empty when valid. */
    List<Problem> problems() {
        return problems;
    }

    /** All problems in one text (for a failed instance's reason), or empty when valid. */
    String message() {
        return problems.stream().map(Problem::message).collect(Collectors.joining("; "));
    }

    @Override
    public String toString() {
        return isValid() ? "Validation[valid, keys=" + new TreeSet<>(settings.keySet()) + ", secrets="
                + new TreeSet<>(secretKeys) + "]" : "Validation[invalid: " + message() + "]";
    }
}
