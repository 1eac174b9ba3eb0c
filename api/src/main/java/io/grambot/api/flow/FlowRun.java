package io.grambot.api.flow;

import java.time.Instant;
import java.util.List;

/**
 * One run of a flow.
 *
 * @param runId unique
 * @param flowId the flow
 * @param status how it stands
 * @param startedAt when it started
 * @param endedAt when it ended, or {@code null} while it runs
 * @param steps the nodes it ran, in order
 * @param error why it failed, or empty
 */
public record FlowRun(String runId, String flowId, Status status, Instant startedAt, Instant endedAt,
        List<FlowStep> steps, String error) {

    public enum Status { RUNNING, SUCCEEDED, FAILED }

    public FlowRun {
        steps = List.copyOf(steps);
        error = error == null ? "" : error;
    }
}
