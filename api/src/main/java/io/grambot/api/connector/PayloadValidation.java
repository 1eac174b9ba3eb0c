package io.grambot.api.connector;

import java.util.List;

/**
 * The result of {@link Connector#validate}: valid, or the problems that make a message unsendable.
 *
 * @param problems what is wrong, one sentence each; empty when the message is valid
 */
public record PayloadValidation(List<String> problems) {

    public static final PayloadValidation VALID = new PayloadValidation(List.of());

    public PayloadValidation {
        problems = List.copyOf(problems);
    }

    public static PayloadValidation invalid(String... problems) {
        return new PayloadValidation(List.of(problems));
    }

    public boolean valid() {
        return problems.isEmpty();
    }
}
