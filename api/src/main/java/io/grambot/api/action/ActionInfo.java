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
 */
public record ActionInfo(String pluginId, String instanceId, String name, String description,
        Map<String, Object> inputSchema) {}
