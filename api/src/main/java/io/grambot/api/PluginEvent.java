package io.grambot.api;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * An event a plugin instance emitted, as queued and delivered by the core.
 *
 * @param id unique id generated on emit; handlers use it to de-duplicate redeliveries
 * @param pluginId the emitting plugin
 * @param instanceId the emitting instance
 * @param type the event type
 * @param payload JSON-like data
 * @param createdAt when the event was accepted
 */
public record PluginEvent(String id, String pluginId, String instanceId, String type, Map<String, Object> payload,
        Instant createdAt) {

    public PluginEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(pluginId, "pluginId");
        Objects.requireNonNull(instanceId, "instanceId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(createdAt, "createdAt");
        payload = payload == null ? Map.of() : payload;
    }
}
