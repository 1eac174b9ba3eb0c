package io.grambot.api.action;

import java.time.Instant;
import java.util.Map;

/**
 * One attempt of an action invocation, as the audit log keeps it.
 *
 * @param time when the attempt ended
 * @param invocationId the same for every attempt of one invocation
 * @param invokedBy who or what invoked it
 * @param pluginId the plugin of the instance
 * @param instanceId the instance
 * @param action the action's name
 * @param attempt the attempt, from 1 (0 for an invocation refused before any attempt)
 * @param outcome {@code succeeded}, {@code retrying}, {@code failed}, {@code timed_out}, {@code invalid} or
 *        {@code not_found}
 * @param durationMillis how long the attempt took
 * @param error the reason it failed, secrets masked; empty when it succeeded
 * @param payload the payload with every secret masked and long values cut
 */
public record AuditRecord(Instant time, String invocationId, String invokedBy, String pluginId, String instanceId,
        String action, int attempt, String outcome, long durationMillis, String error, Map<String, Object> payload) {

    public AuditRecord {
        error = error == null ? "" : error;
        payload = payload == null ? Map.of() : payload;
    }
}
