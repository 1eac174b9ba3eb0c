package io.grambot.api.flow;

import java.time.Instant;
import java.util.Map;

/**
 * One node a run executed.
 *
 * @param nodeId the node
 * @param kind its kind ({@code trigger}, {@code plugin_action}, {@code condition}, {@code send_message},
 *        {@code inference})
 * @param ok whether it succeeded
 * @param output what it passed on (secrets masked)
 * @param error why it failed, or empty
 * @param startedAt when it started
 * @param durationMillis how long it took
 */
public record FlowStep(String nodeId, String kind, boolean ok, Map<String, Object> output, String error,
        Instant startedAt, long durationMillis) {

    public FlowStep {
        output = output == null ? Map.of() : output;
        error = error == null ? "" : error;
    }
}
