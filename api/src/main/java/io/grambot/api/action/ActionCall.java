package io.grambot.api.action;

import java.util.Map;
import java.util.Objects;

/**
 * A request to invoke an action.
 *
 * @param instanceId the instance that offers the action
 * @param action the action's name
 * @param payload the input, validated against the action's schema
 * @param invokedBy who or what asks, for the audit log ({@code shell}, {@code console:admin}, {@code flow:<id>/<run>})
 */
public record ActionCall(String instanceId, String action, Map<String, Object> payload, String invokedBy) {

    public ActionCall {
        Objects.requireNonNull(instanceId, "instanceId");
        Objects.requireNonNull(action, "action");
        payload = payload == null ? Map.of() : payload;
        invokedBy = invokedBy == null || invokedBy.isBlank() ? "unknown" : invokedBy;
    }
}
