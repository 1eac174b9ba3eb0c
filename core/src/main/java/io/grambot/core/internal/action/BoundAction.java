package io.grambot.core.internal.action;

import java.util.Map;

import io.grambot.api.action.Action;

/** An action service as the invoker holds it: who offers it, and its input schema compiled on first use. */
final class BoundAction {

    private final Action action;
    private final String pluginId;
    private final String instanceId;
    private final String name;
    private volatile InputSchema schema;

    BoundAction(Action action, String pluginId, String instanceId, String name) {
        this.action = action;
        this.pluginId = pluginId;
        this.instanceId = instanceId;
        this.name = name;
    }

    Action action() {
        return action;
    }

    String pluginId() {
        return pluginId;
    }

    String instanceId() {
        return instanceId;
    }

    String name() {
        return name;
    }

    /** The compiled input schema, compiled again if the action now declares another one. */
    InputSchema schema() {
        Map<String, Object> declared = action.inputSchema();
        if (declared == null) {
            throw new IllegalArgumentException("the action declares no input schema (null)");
        }
        InputSchema compiled = schema;
        if (compiled == null || !compiled.compiledFrom(declared)) {
            compiled = new InputSchema(JsonLike.copy(declared));
            schema = compiled;
        }
        return compiled;
    }

    static String key(String instanceId, String name) {
        return instanceId + "/" + name;
    }
}
