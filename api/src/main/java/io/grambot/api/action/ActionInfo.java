package io.grambot.api.action;

import java.util.Map;

/**
 * An action a running instance offers.
 *
 * @param pluginId the plugin of the instance
 * @param instanceId the instance
 * @param name the action's name
 * @param description what it does
 * @param inputSchema its payload's JSON Schema
 * @param offeredAsTool whether bots may offer it to their model as a tool ({@link Action#offeredAsTool()})
 */
public record ActionInfo(String pluginId, String instanceId, String name, String description,
        Map<String, Object> inputSchema, boolean offeredAsTool) {

    /** An action that bots may offer as a tool. */
    public ActionInfo(String pluginId, String instanceId, String name, String description,
            Map<String, Object> inputSchema) {
        this(pluginId, instanceId, name, description, inputSchema, true);
    }
}
