package io.grambot.api.action;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * How an invocation ended. Never thrown: every failure is an outcome with its reason.
 *
 * @param status how it ended
 * @param output the action's output when it succeeded, else empty
 * @param text the action's summary when it succeeded, else the reason it failed (secrets masked)
 * @param problems for {@link Status#INVALID}: what is wrong with the payload, one per problem
 * @param attempts how many attempts were made (0 when it never ran)
 * @param duration from the call to the outcome, waits included
 */
public record ActionOutcome(Status status, Map<String, Object> output, String text, List<String> problems,
        int attempts, Duration duration) {

    public enum Status {
        /** The action returned a result. */
        SUCCEEDED,
        /** The action failed (after its retries, if it had any). */
        FAILED,
        /** The last attempt took longer than the action's timeout. */
        TIMED_OUT,
        /** The payload did not match the input schema; the action was not run. */
        INVALID,
        /** No running instance offers an action of that name. */
        NOT_FOUND
    }

    public ActionOutcome {
        output = output == null ? Map.of() : output;
        text = text == null ? "" : text;
        problems = problems == null ? List.of() : List.copyOf(problems);
    }

    public boolean succeeded() {
        return status == Status.SUCCEEDED;
    }
}
