package io.grambot.core.internal.flow;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The kinds of flow node, by the name a definition uses, with the config fields each takes. */
public enum NodeKind {

    TRIGGER("trigger", List.of(), List.of("instance", "trigger")),
    CONDITION("condition", List.of("left", "op"), List.of("right")),
    PLUGIN_ACTION("plugin_action", List.of("actionName"), List.of("instance", "pluginId", "payload")),
    INFERENCE("inference", List.of("provider", "prompt"), List.of("model", "system", "maxTokens")),
    SEND_MESSAGE("send_message", List.of("connector", "conversationId", "text"), List.of());

    private final String jsonName;
    private final List<String> required;
    private final List<String> fields;

    NodeKind(String jsonName, List<String> required, List<String> optional) {
        this.jsonName = jsonName;
        this.required = required;
        this.fields = java.util.stream.Stream.concat(required.stream(), optional.stream()).toList();
    }

    /** The name in a definition, such as {@code plugin_action}. */
    public String jsonName() {
        return jsonName;
    }

    /** The config fields a node of this kind always needs (fields needed in some cases are checked separately). */
    List<String> required() {
        return required;
    }

    /** Every config field a node of this kind knows. */
    List<String> fields() {
        return fields;
    }

    static Optional<NodeKind> of(String jsonName) {
        return Arrays.stream(values()).filter(kind -> kind.jsonName.equals(jsonName)).findFirst();
    }

    /** The known names, for messages. */
    static String names() {
        return String.join(", ", Arrays.stream(values()).map(NodeKind::jsonName).toList());
    }
}
