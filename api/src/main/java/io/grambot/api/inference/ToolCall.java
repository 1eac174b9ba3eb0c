package io.grambot.api.inference;

import java.util.Map;
import java.util.Objects;

/**
 * A model's request to call a tool.
 *
 * @param id the provider's id of the call, echoed in the tool result
 * @param name the tool's name
 * @param arguments the arguments, JSON-like
 */
public record ToolCall(String id, String name, Map<String, Object> arguments) {

    public ToolCall {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        arguments = arguments == null ? Map.of() : arguments;
    }
}
