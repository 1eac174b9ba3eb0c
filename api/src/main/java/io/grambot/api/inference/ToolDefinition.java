package io.grambot.api.inference;

import java.util.Map;
import java.util.Objects;

/**
 * A tool offered to a model.
 *
 * @param name the name the model calls it by
 * @param description what it does, for the model
 * @param parametersSchema the JSON Schema of its arguments, as JSON-like maps
 */
public record ToolDefinition(String name, String description, Map<String, Object> parametersSchema) {

    public ToolDefinition {
        Objects.requireNonNull(name, "name");
        description = description == null ? "" : description;
        parametersSchema = parametersSchema == null ? Map.of("type", "object") : parametersSchema;
    }
}
